"""What a reader is told about an item's English text: one vocabulary everywhere.

:func:`text_label` is the only place that decides how the English text is
named; the item page's header and provenance panel, ninjs and the feeds all
print what it returns, so they cannot contradict each other:

- ``Original English``: the source writes in English;
- ``Official English version``: the source published its own English text;
- ``Machine translation (apertium, spa-eng)``: engine and model, several
  joined by ``;`` when parts of the text came from different engines;
- ``Human translation or post-edit (editor, December 12, 2025 10:30 UTC)``:
  who (the edit records a role, not a person) and when the edit was published.

The engine and model come from ``item.engines``, where compose records each as
``engine:model`` (older items name the engine alone, and are labelled so).

:func:`flag_notes` says the translation's quality flags in words, merging the
words that several paragraphs left untranslated into one sentence.
"""

from __future__ import annotations

from functools import cache

from babelwire.compose.dateline import format_published
from babelwire.model import Item

ORIGINAL_ENGLISH = "Original English"
OFFICIAL_ENGLISH = "Official English version"
MACHINE_TRANSLATION = "Machine translation"
HUMAN_TRANSLATION = "Human translation or post-edit"

#: Engine name of a person's edit (``run.republish`` writes it; compose cannot
#: import that module without a cycle, so the name is repeated here).
HUMAN_ENGINE = "human"
#: Who an edit is by when the edit names no one: the edit API records the role.
HUMAN_ROLE = "editor"
ENGINE_MODEL_SEPARATOR = ":"


def engine_ref(engine: str, model: str) -> str:
    """``apertium:spa-eng`` (``apertium`` when the model is unnamed)."""
    return f"{engine}{ENGINE_MODEL_SEPARATOR}{model}" if model else engine


def split_engine_ref(ref: str) -> tuple[str, str]:
    """``"apertium:spa-eng"`` → ``("apertium", "spa-eng")``; a bare name → (name, "")."""
    engine, _, model = ref.partition(ENGINE_MODEL_SEPARATOR)
    return engine, model


def is_human(item: Item) -> bool:
    return any(split_engine_ref(ref)[0] == HUMAN_ENGINE for ref in item.engines)


def text_label(item: Item) -> str:
    """How the item's English text came to be, in the wire's one vocabulary."""
    if item.kind == "original":
        return ORIGINAL_ENGLISH
    if item.kind == "official":
        return OFFICIAL_ENGLISH
    if is_human(item):
        when = format_published(item.version_created, has_time=True)
        return f"{HUMAN_TRANSLATION} ({HUMAN_ROLE}, {when})"
    engines = "; ".join(", ".join(p for p in split_engine_ref(ref) if p) for ref in item.engines)
    return f"{MACHINE_TRANSLATION} ({engines})" if engines else MACHINE_TRANSLATION


@cache
def language_name(code: str) -> str:
    """``"es"`` → ``"Spanish"``; the code itself when CLDR has no English name for it."""
    from babel import Locale  # imported late: it loads CLDR data on first use

    base = code.strip().lower().replace("_", "-").split("-")[0]
    name = Locale("en").languages.get(base) if base else None
    return str(name) if name else (code or "unknown language")


#: Each flag the translate stage raises, said for a reader. Flags that carry
#: details ("residue(desaceleración)") are handled in :func:`flag_notes`.
FLAG_WORDS: dict[str, str] = {
    "empty": "a paragraph came back empty",
    "untranslated": "a paragraph was left in the original language",
    "placeholder_lost": "a protected name or figure may be missing",
    "source_script": "text in the original script remains",
    "hallucinated_boilerplate": "the engine added words the original does not have",
    "repetition": "the engine repeated itself",
    "numbers_differ": "figures differ from the original",
    "length_ratio": "a paragraph is much shorter or longer than the original",
}


def _details(flags: tuple[str, ...], name: str) -> list[str]:
    """The comma- or semicolon-separated details of every ``name(...)`` flag, in order."""
    found: dict[str, None] = {}
    separator = "; " if name == "ambiguous_number" else ", "
    for flag in flags:
        if flag.startswith(f"{name}(") and flag.endswith(")"):
            found.update(dict.fromkeys(flag[len(name) + 1 : -1].split(separator)))
    return [detail for detail in found if detail]


def flag_notes(flags: tuple[str, ...]) -> tuple[str, ...]:
    """The flags as sentences for a reader, most useful first; () when there are none."""
    notes: list[str] = []
    if residue := _details(flags, "residue"):
        notes.append(f"Words left untranslated: {', '.join(residue)}")
    if figures := _details(flags, "ambiguous_number"):
        notes.append(f"Figures to check in the original (their notation reads two ways): "
                     f"{'; '.join(figures)}")
    named = {"residue", "ambiguous_number"}
    for flag in dict.fromkeys(flag.split("(", 1)[0] for flag in flags):
        if flag in named:
            continue
        words = FLAG_WORDS.get(flag, flag.replace("_", " "))
        notes.append(words[:1].upper() + words[1:])
    return tuple(notes)
