"""Rule-based translation with Apertium, run as a subprocess.

Apertium is fast (tens of thousands of words a second on one core), needs no
model download and never invents content, which makes it a good first engine
for the languages it covers and a fallback for the neural one.

How it is called, and why (checked with apertium 3.8.3 and apertium-eng-spa
0.8.1):

* ``-f txt`` with segments separated by a blank line. The txt deformatter
  treats a blank line as a paragraph end that transfer rules never cross
  ("la casa\\n\\nroja" stays "the house\\n\\nred"), and it keeps the blank lines
  in its output, so one process call translates a whole batch and the output
  splits back into exactly as many segments. ``-f line`` does *not* isolate
  lines (rules reorder words across them), and ``-z`` (null flush) breaks the
  txt deformatter, so neither is used.
* ``-u``: Apertium marks unknown words with ``*`` (and generation errors with
  ``#``). Without ``-u`` those marks land inside names and identifiers
  ("__*PH0__", "*XYZZY"), and would be printed on the wire; with it unknown
  words are copied through unchanged, which for names of people, places and
  agencies is exactly the right output. The unknown-word signal is lost;
  the translator's quality checks (untranslated ratio, placeholders, numbers)
  cover that instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.registry import register
from babelwire.translate.settings import TranslateSettings

#: ISO 639-1 codes (what the rest of babelwire uses) to Apertium's ISO 639-3
#: codes, for the languages Apertium pairs with English. Serbo-Croatian is one
#: language to Apertium (``hbs``) and three to a language detector.
ISO_TO_APERTIUM = {
    "en": "eng", "es": "spa", "ca": "cat", "gl": "glg", "eu": "eus", "is": "isl",
    "mk": "mkd", "eo": "epo", "sh": "hbs", "hr": "hbs", "sr": "hbs", "bs": "hbs",
}  # fmt: skip

#: A blank line (possibly with spaces) separates segments in the output.
_SEGMENT_BREAK = re.compile(r"\n[ \t]*\n")
_BLANK_LINES = re.compile(r"\s*\n\s*\n\s*")
#: Apertium leaves two spaces where it dropped a word ("will allocate  to").
_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")


def parse_modes(listing: str) -> frozenset[tuple[str, str]]:
    """ISO pairs from ``apertium -l`` output (one mode per line, ``spa-eng``).

    Variant modes (``spa-eng_US``) and languages outside the table are skipped.
    """
    by_code: dict[str, list[str]] = {}
    for iso, code in ISO_TO_APERTIUM.items():
        by_code.setdefault(code, []).append(iso)
    pairs = set()
    for line in listing.split():
        source, _, target = line.strip().partition("-")
        for iso_source in by_code.get(source, []):
            for iso_target in by_code.get(target, []):
                pairs.add((iso_source, iso_target))
    return frozenset(pairs)


class ApertiumEngine:
    """Translates through the ``apertium`` program; pairs come from its installed modes."""

    name = "apertium"

    def __init__(
        self,
        binary: str = "apertium",
        *,
        timeout_s: float = 60.0,
        max_chars_per_call: int = 200_000,
    ) -> None:
        path = shutil.which(binary)
        if path is None:
            raise EngineUnavailable(
                f"apertium: program {binary!r} not found "
                "(apt-get install apertium apertium-eng-spa)"
            )
        self.binary = path
        self.timeout_s = timeout_s
        # Bounds one process call (~30,000 words, about a second) so that a
        # huge batch cannot run into the timeout as a whole.
        self.max_chars_per_call = max_chars_per_call
        self._pairs = parse_modes(self._run(["-l"], ""))
        self._version = self._run(["-V"], "").strip().split("\n")[0] or "unknown"

    def _run(self, args: list[str], text: str) -> str:
        try:
            done = subprocess.run(
                [self.binary, *args],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise TranslateError(
                f"apertium: {' '.join(args)} took over {self.timeout_s}s"
            ) from None
        except OSError as exc:
            raise EngineUnavailable(f"apertium: cannot run {self.binary}: {exc}") from None
        if done.returncode != 0:
            error = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise TranslateError(
                f"apertium: {' '.join(args)} exited with {done.returncode}: {error[0]}"
            )
        return done.stdout.decode("utf-8", "replace")

    def pairs(self) -> frozenset[tuple[str, str]]:
        return self._pairs

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        return (self._mode(source, target), self._version)

    def _mode(self, source: str, target: str) -> str:
        if (source, target) not in self._pairs:
            raise TranslateError(f"apertium: no installed mode for {source}→{target}")
        return f"{ISO_TO_APERTIUM[source]}-{ISO_TO_APERTIUM[target]}"

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        mode = self._mode(source, target)
        results = [""] * len(texts)
        # A blank line inside a segment would split it in two; one newline is harmless.
        todo = [(i, _BLANK_LINES.sub("\n", t.strip())) for i, t in enumerate(texts) if t.strip()]
        for chunk in self._chunks(todo):
            outputs = self._translate_chunk([text for _, text in chunk], mode)
            for (index, _), output in zip(chunk, outputs, strict=True):
                results[index] = output
        return results

    def _chunks(self, todo: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
        chunks: list[list[tuple[int, str]]] = [[]]
        size = 0
        for item in todo:
            if chunks[-1] and size + len(item[1]) > self.max_chars_per_call:
                chunks.append([])
                size = 0
            chunks[-1].append(item)
            size += len(item[1]) + 2
        return [c for c in chunks if c]

    def _translate_chunk(self, texts: list[str], mode: str) -> list[str]:
        output = self._run(["-u", "-f", "txt", mode], "\n\n".join(texts) + "\n")
        parts = _SEGMENT_BREAK.split(output.strip("\n"))
        if len(parts) != len(texts):
            # Never guess an alignment: a shifted batch would put sentences
            # under the wrong paragraphs.
            raise TranslateError(
                f"apertium: {mode} returned {len(parts)} segments for {len(texts)}"
            )
        return [_DOUBLE_SPACE.sub(" ", part).strip() for part in parts]


@register("apertium")
def from_settings(settings: TranslateSettings) -> ApertiumEngine:
    engine = ApertiumEngine(settings.apertium_binary, timeout_s=settings.apertium_timeout_s)
    if not engine.pairs():
        raise EngineUnavailable("apertium: no language pair with English is installed")
    return engine
