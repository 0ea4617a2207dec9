"""Rule-based translation with Apertium, one long-lived pipeline per pair.

Apertium is fast (tens of thousands of words a second on one core), needs no
model download and never invents content, which makes it a good first engine
for the languages it covers and a fallback for the neural one.

How it is called, and why (checked with apertium 3.8.3 and apertium-eng-spa
0.8.1):

* The pair's mode pipeline runs once per pair and stays up, in null-flush
  mode (``apertium-wblank-mode -z``: every program flushes its output at a
  NUL byte), so a segment costs its translation and not the start-up of ten
  processes. The ``apertium`` wrapper script itself is not used for this: its
  NUL-aware ``gawk`` filter reads ahead and never answers a lone segment.
* Segments are written in Apertium's stream format by
  :mod:`~babelwire.translate.engines.apertium_stream` (what ``-f txt`` would
  do), one segment per NUL, so no rule can reach across two segments.
* Protected spans travel as word-bound blanks, not placeholders: the engine
  analyses them as the words they are, so the text around them comes out as
  it would without protection, and the words each span produced are known.
  Names and dates in figures go as stand-ins the engine reads better (see
  :data:`~babelwire.translate.engines.apertium_stream.STAND_IN_KINDS`).
* Unknown-word marks are kept on (no ``-u``): the words marked ``*`` or
  ``@`` outside spans are untranslated source words, reported to the
  translator (see :data:`~babelwire.translate.engine.UNKNOWN_MARK`) and
  removed from the text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate import dates
from babelwire.translate.engine import UNKNOWN_MARK, SpanText
from babelwire.translate.engines import apertium_stream
from babelwire.translate.engines.apertium_pipe import Pipe
from babelwire.translate.registry import register
from babelwire.translate.settings import TranslateSettings

#: ISO 639-1 codes (what the rest of babelwire uses) to Apertium's ISO 639-3
#: codes, for the languages Apertium pairs with English. Serbo-Croatian is one
#: language to Apertium (``hbs``) and three to a language detector.
ISO_TO_APERTIUM = {
    "en": "eng", "es": "spa", "ca": "cat", "gl": "glg", "eu": "eus", "is": "isl",
    "mk": "mkd", "eo": "epo", "sh": "hbs", "hr": "hbs", "sr": "hbs", "bs": "hbs",
}  # fmt: skip

#: Apertium leaves two spaces where it dropped a word ("will allocate  to").
_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")
#: Segments per engine batch. Apertium takes them one at a time through its
#: pipe, so a batch only bounds how much text waits in memory; the neural
#: engines' token budget (a GPU-memory limit) does not apply.
MAX_SEGMENTS_PER_BATCH = 2000


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


def assemble(output: apertium_stream.Output) -> str:
    """Engine output → text with ``[i]`` where span ``i``'s words were.

    The words of one span usually come back side by side ("3 November
    2025"); they become one placeholder with the characters between them
    ("/" in "A/59/2005"). When a rule moved an outside word between two of
    them, the span stands where its first word is and its other words are
    dropped: the span's own text replaces all of them anyway.
    """
    pieces = output.pieces
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for index, piece in enumerate(pieces):
        if piece.span is not None:
            first.setdefault(piece.span, index)
            last[piece.span] = index
    parts: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        if piece.span is None:
            parts.append(piece.text)
            index += 1
            continue
        if first[piece.span] != index:
            index += 1  # a stray word of a span already placed
            continue
        end = last[piece.span]
        between = pieces[index : end + 1]
        together = all(p.span == piece.span or not p.text.strip(" /.-–,") for p in between)
        parts.append(f"[{piece.span}]")
        index = end + 1 if together else index + 1
    return _DOUBLE_SPACE.sub(" ", "".join(parts)).strip()


class ApertiumEngine:
    """Translates through Apertium's installed modes; pairs come from ``apertium -l``."""

    name = "apertium"
    max_segments_per_batch = MAX_SEGMENTS_PER_BATCH

    def __init__(self, binary: str = "apertium", *, timeout_s: float = 60.0) -> None:
        path = shutil.which(binary)
        if path is None:
            raise EngineUnavailable(
                f"apertium: program {binary!r} not found "
                "(apt-get install apertium apertium-eng-spa)"
            )
        self.binary = path
        if not (Path(path).parent / "apertium-wblank-mode").is_file():
            raise EngineUnavailable(
                f"apertium: apertium-wblank-mode is missing beside {path} "
                "(Apertium 3.8 or later is needed)"
            )
        self.timeout_s = timeout_s
        # Both questions at once: each is a shell script's start (~30 ms),
        # paid by every `babelwire translate`.
        modes, version = self._run_all([[path, "-l"], [path, "-V"]])
        self._pairs = parse_modes(modes)
        self._version = version.strip().split("\n")[0] or "unknown"
        self._pipes: dict[str, Pipe] = {}
        self._lock = threading.Lock()

    def _run(self, argv: list[str]) -> str:
        return self._run_all([argv])[0]

    def _run_all(self, argvs: list[list[str]]) -> list[str]:
        """The standard output of each command, all started before any is awaited."""
        started: list[tuple[list[str], subprocess.Popen[bytes]]] = []
        try:
            for argv in argvs:
                try:
                    process = subprocess.Popen(
                        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                    )
                except OSError as exc:
                    raise EngineUnavailable(f"apertium: cannot run {argv[0]}: {exc}") from None
                started.append((argv, process))
            return [self._finish(argv, process) for argv, process in started]
        finally:
            for _, process in started:
                if process.poll() is None:
                    process.kill()
                    process.wait()

    def _finish(self, argv: list[str], process: subprocess.Popen[bytes]) -> str:
        try:
            out, err = process.communicate(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            command = " ".join(argv)
            raise TranslateError(f"apertium: {command} took over {self.timeout_s}s") from None
        if process.returncode != 0:
            error = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise TranslateError(
                f"apertium: {' '.join(argv[1:])} exited with {process.returncode}: {error[0]}"
            )
        return out.decode("utf-8", "replace")

    def pairs(self) -> frozenset[tuple[str, str]]:
        return self._pairs

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        return (self._mode(source, target), self._version)

    def _mode(self, source: str, target: str) -> str:
        if (source, target) not in self._pairs:
            raise TranslateError(f"apertium: no installed mode for {source}→{target}")
        return f"{ISO_TO_APERTIUM[source]}-{ISO_TO_APERTIUM[target]}"

    def _pipe(self, mode: str) -> Pipe:
        with self._lock:
            pipe = self._pipes.get(mode)
            if pipe is None:
                pipe = self._pipes[mode] = Pipe(self._command(mode), mode, self.timeout_s)
            return pipe

    def _command(self, mode: str) -> str:
        """The mode's pipeline in null-flush mode, with word-bound blank support."""
        # The data directory sits beside the program: /usr/bin/apertium →
        # /usr/share/apertium, as the wrapper script's own default has it.
        bin_dir = Path(self.binary).parent
        mode_file = bin_dir.parent / "share" / "apertium" / "modes" / f"{mode}.mode"
        helper = bin_dir / "apertium-wblank-mode"
        if not mode_file.is_file() or not helper.is_file():
            raise EngineUnavailable(f"apertium: {mode_file} or {helper} is missing")
        return self._run([str(helper), "-z", str(mode_file)])

    def translate_spans(
        self, texts: Sequence[SpanText], source: str, target: str
    ) -> list[str]:
        """Translate with spans kept: ``[i]`` marks span ``i``'s place in each output.

        Words the engine did not know are prefixed with :data:`UNKNOWN_MARK`.
        """
        mode = self._mode(source, target)
        stand_in = dates.written_stand_in(source) if any(
            kind == "numeric_date" for t in texts for _, _, kind in t.spans) else None
        stand_ins = {"numeric_date": stand_in} if stand_in else {}
        streams = [apertium_stream.write(t.text, t.spans, stand_ins) for t in texts]
        todo = [i for i, t in enumerate(texts) if t.text.strip()]
        outputs = self._pipe(mode).translate([streams[i] for i in todo])
        results = [""] * len(texts)
        for index, raw in zip(todo, outputs, strict=True):
            results[index] = assemble(apertium_stream.read(raw))
        return results

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Plain translation (no spans), unknown words unmarked."""
        spans = [SpanText(t.strip(), ()) for t in texts]
        outputs = self.translate_spans(spans, source, target)
        return [out.replace(UNKNOWN_MARK, "") for out in outputs]

    def close(self) -> None:
        with self._lock:
            for pipe in self._pipes.values():
                pipe.close()
            self._pipes.clear()


@register("apertium")
def from_settings(settings: TranslateSettings) -> ApertiumEngine:
    engine = ApertiumEngine(settings.apertium_binary, timeout_s=settings.apertium_timeout_s)
    if not engine.pairs():
        raise EngineUnavailable("apertium: no language pair with English is installed")
    return engine
