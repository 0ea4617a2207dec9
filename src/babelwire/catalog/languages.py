"""The language codes a catalog may name: ISO 639-1, two lower-case letters.

The catalog only accepts bare ISO 639-1 codes because every later stage
(extract's language check, translate's engine choice) keys on them; regional
variants such as ``pt-BR`` or ``zh-Hant`` are a property of the text, not of
the source, and are detected per document.
"""

from __future__ import annotations

#: Every code of ISO 639-1 in force (183), including the macrolanguages.
ISO_639_1: frozenset[str] = frozenset(
    # A blank-separated block reads and diffs better than 183 quoted strings.
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co
    cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd
    gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv
    ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg
    mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os
    pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
    st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo
    wa wo xh yi yo za zh zu
    """.split()  # noqa: SIM905
)

#: Codes withdrawn from ISO 639-1 that people still type, and their successors.
_WITHDRAWN = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}


def language_problem(code: str) -> str | None:
    """Why ``code`` is not an accepted language code, or None when it is.

    The message proposes the fix where one is obvious, because the usual
    mistakes are a capital letter, a regional tag or a withdrawn code.
    """
    if code in ISO_639_1:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    if base in ISO_639_1:
        return f"not an ISO 639-1 code: {code!r} (use {base!r})"
    if base in _WITHDRAWN:
        return f"withdrawn ISO 639-1 code: {code!r} (use {_WITHDRAWN[base]!r})"
    return f"not an ISO 639-1 code: {code!r}"
