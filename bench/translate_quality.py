"""How well the translate stage keeps facts, names and dates, against the bare engine.

    .venv/bin/python bench/translate_quality.py [--half test|tune|both] [--set frames|public|both]

The segments are expanded from the frames and slot values in ``bench/data``
(written for babelwire; see the header of each file): 64 frames × 9 = 576
Spanish segments with English references. Frames f01–f32 with the tuning
slot values are the *tuning* half, which the rules may be adjusted on;
f33–f64 with their own slot values the *test* half, which they are not.
For each half, the pipeline (``Translator`` with the apertium engine, as
``babelwire translate --from es`` runs it) and the bare engine (``apertium
-u spa-eng`` on the same text) are reported side by side:

* figures: value preserved (the output holds a figure of the same value,
  read the English way) and in English notation (exactly the English form);
  the deliberately ambiguous figure must be left as written and flagged;
* identifiers byte-exact (UN symbols, law numbers, currency signs);
* dates in the wire's style ("November 3, 2025");
* names damaged (a person, place or body not in its expected English form);
* residue flags: recall and precision of the flagged words against the
  words each frame is labelled to leave in Spanish;
* chrF against the references (sacrebleu);
* protection: segments whose output, outside the protected spans, equals the
  bare engine's output word for word, and those where it differs only by the
  stated rule (names and glossary terms go to the engine as a stand-in).

The *public* set (``bench/data/translate-public``, see its LICENCE.md) is an
official text with the official English beside it: the Universal
Declaration of Human Rights, 90 Spanish segments, tuning half the preamble
and articles 1-15, test half articles 16-30. Its figures (article numbers)
must come through; its residue is not labelled, so only the number of
segments flagged is shown there.
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
PUBLIC = DATA / "translate-public"
SLOT = re.compile(r"\{([A-Z]+)\}")
FIGURE = re.compile(r"\d(?:[\d.,]*\d)?")
TUNING_FRAMES = 32


@dataclass
class Segment:
    frame: str
    source: str
    reference: str
    #: (slot, Spanish, English, exact part)
    slots: list[tuple[str, str, str, str]]
    residue: frozenset[str]
    #: The half, where the set names it (the public set); frames derive it.
    split: str | None = None
    #: Whether ``residue`` was labelled (the frames); unlabelled sets show counts only.
    labelled: bool = True

    @property
    def half(self) -> str:
        if self.split is not None:
            return self.split
        return "tune" if int(self.frame[1:]) <= TUNING_FRAMES else "test"


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def load_segments() -> list[Segment]:
    values: dict[str, list[tuple[str, str, str]]] = {}
    for slot, spanish, english, exact in _rows("translate_quality_slots.tsv"):
        # "FIG@tune": a figure for the tuning half's frames.
        values.setdefault(slot, []).append((spanish, english, english if exact == "-" else exact))
    segments = []
    frames = _rows("translate_quality_frames.tsv")
    for number, (frame, spanish, english, residue) in enumerate(frames):
        for variant in range(9):
            used: list[tuple[str, str, str, str]] = []

            def fill(match: re.Match[str], lang: int, number: int = number, variant: int = variant,
                     used: list[tuple[str, str, str, str]] = used) -> str:  # fmt: skip
                slot = match.group(1)
                half = "tune" if number < TUNING_FRAMES else "test"
                choices = values[f"{slot}@{half}"]
                chosen = choices[(variant + number * 2 + len(slot)) % len(choices)]
                if lang == 0:
                    used.append((slot, *chosen))
                return chosen[lang]

            source = SLOT.sub(lambda m: fill(m, 0), spanish)
            reference = SLOT.sub(lambda m: fill(m, 1), english)
            source = re.sub(r"\b(de|a) el\b", lambda m: m.group(1) + "l", source)
            source = source[0].upper() + source[1:]
            reference = reference[0].upper() + reference[1:]
            labels = frozenset() if residue == "-" else frozenset(residue.split())
            segments.append(Segment(frame, source, reference, used, labels))
    return segments


def load_public(lang: str = "es") -> list[Segment]:
    """The public set's segments of ``lang``; each whole number must come through."""
    segments = []
    for ident, half, source, reference in _rows(f"translate-public/udhr-{lang}.tsv")[1:]:
        figures = [("FIG", n, n, n) for n in re.findall(r"(?<![\d.,])\d+(?![\d.,]\d)", source)]
        segments.append(Segment(ident, source, reference, figures, frozenset(), split=half,
                                labelled=False))  # fmt: skip
    return segments


def bare_apertium(texts: list[str]) -> list[str]:
    """``apertium -u spa-eng``, one call, segments kept apart by blank lines."""
    done = subprocess.run(
        ["apertium", "-u", "spa-eng"], input="\n\n".join(texts) + "\n",
        capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    parts = re.split(r"\n[ \t]*\n", done.stdout.strip("\n"))
    assert len(parts) == len(texts), "apertium kept every segment apart"
    return [re.sub(r"[ \t]{2,}", " ", p).strip() for p in parts]


def pipeline(texts: list[str]) -> tuple[list[str], list[tuple[str, ...]]]:
    from babelwire.translate.settings import TranslateSettings
    from babelwire.translate.translator import Translator

    translator = Translator.from_settings(TranslateSettings(engines=("apertium",)))
    done = translator.translate_segments(texts, "es")
    return [s.text for s in done], [s.flags for s in done]


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _spanish_value(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


@dataclass
class Score:
    counts: Counter[str] = field(default_factory=Counter)
    outputs: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    def add(self, segment: Segment, output: str, flags: tuple[str, ...]) -> None:
        c = self.counts
        self.outputs.append(output)
        self.references.append(segment.reference)
        found = {_value(f) for f in FIGURE.findall(output) if f.replace(",", "").count(".") <= 1}
        for slot, spanish, english, exact in segment.slots:
            if slot in ("FIG", "AMT"):
                for es_fig, en_fig in zip(FIGURE.findall(spanish), FIGURE.findall(english),
                                          strict=True):  # fmt: skip
                    if re.fullmatch(r"\d{1,3},\d{3}", es_fig):  # two readings
                        c["ambiguous"] += 1
                        c["ambiguous_kept_flagged"] += es_fig in output and any(
                            f.startswith("ambiguous_number") for f in flags)
                        continue
                    c["figures"] += 1
                    c["figure_value"] += _spanish_value(es_fig) in found
                    alone = rf"(?<![\d.,]){re.escape(en_fig)}(?![\d]|[.,]\d)"
                    c["figure_english"] += bool(re.search(alone, output))
                sign = spanish.split()[0]
                if slot == "AMT" and not sign[0].isdigit():
                    c["identifiers"] += 1
                    c["identifier_exact"] += sign in output
            elif slot in ("DOC", "LAW"):
                c["identifiers"] += 1
                c["identifier_exact"] += exact in output
            elif slot == "DATE":
                c["dates"] += 1
                c["date_style"] += english in output
            else:
                c["names"] += 1
                c["names_damaged"] += exact not in output
        flagged = {w for f in flags if f.startswith("residue(") for w in f[8:-1].split(", ")}
        c["residue_true"] += len(segment.residue)
        c["residue_flagged"] += len(flagged)
        c["residue_hit"] += len(flagged & segment.residue)
        c["residue_segments"] += bool(flagged)
        c["segments"] += 1

    def chrf(self) -> str:
        try:
            import sacrebleu
        except ImportError:
            return "n/a (sacrebleu not installed)"
        return f"{sacrebleu.corpus_chrf(self.outputs, [self.references]).score:.1f}"


def _ratio(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.1f} %)" if d else "n/a"


def _next_to_spans(with_spans: str, bare: str) -> bool:
    """Whether every difference between the two touches a placeholder (±1 word)."""
    ours, theirs = with_spans.split(), bare.split()
    near = {i + d for i, w in enumerate(ours) if re.search(r"\[\d+\]", w) for d in (-1, 0, 1)}
    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    return all(
        any(i in near for i in range(max(0, a0 - 1), a1 + 1))
        for tag, a0, a1, _, _ in matcher.get_opcodes() if tag != "equal"
    )  # fmt: skip


def protection_rows(segments: list[Segment], bare: list[str]) -> dict[str, str]:
    """Outside the spans, the pipeline's engine output against the bare engine's.

    Spans are sent as the pipeline sends them; a segment whose output,
    placeholders aside, is word for word the bare engine's counts as
    identical. The two rules that may change words outside a span: a span
    boundary inside one of the engine's multiword units ("millones de euros",
    "de Mendoza") splits it, which changes the word next to the span; and
    names go to the engine as a stand-in proper noun. A difference anywhere
    else is counted as unexplained.
    """
    try:
        from babelwire.translate.engine import SpanText
        from babelwire.translate.engines.apertium import ApertiumEngine
        from babelwire.translate.settings import TranslateSettings
        from babelwire.translate.translator import Translator
    except ImportError:
        return {"outside spans = bare engine": "n/a (no span-aware engine)"}
    engine = ApertiumEngine()
    finder = Translator(TranslateSettings(), {})._finder(None, "es")
    requests = []
    for segment in segments:
        spans = finder(segment.source)
        requests.append(SpanText(segment.source, tuple((s.start, s.end, s.kind) for s in spans)))
    outputs = engine.translate_spans(requests, "es", "en")
    engine.close()
    same = adjacent = other = 0
    for output, raw in zip(outputs, bare, strict=True):
        output = output.replace("\ue000", "")
        pattern = re.sub(r"\\\[\d+\\\]", "(.+?)", re.escape(output))
        if re.fullmatch(pattern, raw):
            same += 1
        elif _next_to_spans(output, raw):
            adjacent += 1
        else:
            other += 1
    n = len(segments)
    return {
        "outside spans: identical to bare engine": _ratio(same, n),
        "outside spans: differs next to a span only": _ratio(adjacent, n),
        "outside spans: differs elsewhere": _ratio(other, n),
    }


def report(name: str, segments: list[Segment], runs: dict[str, tuple[list[str], list[Any]]],
           extra: dict[str, str]) -> None:  # fmt: skip
    scores = {}
    for system, (outputs, flags) in runs.items():
        score = Score()
        for segment, output, seg_flags in zip(segments, outputs, flags, strict=True):
            score.add(segment, output, tuple(seg_flags))
        scores[system] = score
    words = sum(len(s.source.split()) for s in segments)
    print(f"\n{name} half: {len(segments)} segments, {words} words")
    print(f"{'':44}" + "".join(f"{system:>26}" for system in runs))
    rows = [
        ("figures: value preserved (read as English)", "figure_value", "figures"),
        ("figures: English notation", "figure_english", "figures"),
        ("ambiguous figure kept and flagged", "ambiguous_kept_flagged", "ambiguous"),
        ("identifiers byte-exact", "identifier_exact", "identifiers"),
        ("dates in house style", "date_style", "dates"),
        ("names damaged", "names_damaged", "names"),
    ]
    if all(s.labelled for s in segments):
        rows += [
            ("residue flag recall", "residue_hit", "residue_true"),
            ("residue flag precision", "residue_hit", "residue_flagged"),
        ]
    else:
        rows.append(("segments with a residue flag (unlabelled)", "residue_segments", "segments"))
    for label, num, den in rows:
        cells = [_ratio(s.counts[num], s.counts[den]) for s in scores.values()]
        print(f"{label:44}" + "".join(f"{cell:>26}" for cell in cells))
    print(f"{'chrF':44}" + "".join(f"{s.chrf():>26}" for s in scores.values()))
    for label, value in extra.items():
        print(f"{label:44}{value:>26}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("tune", "test", "both"), default="both")
    parser.add_argument("--set", choices=("frames", "public", "both"), default="both")
    args = parser.parse_args()
    if args.set in ("frames", "both"):
        segments = load_segments()
        print(f"{len(segments)} segments from {len({s.frame for s in segments})} frames "
              "(bench/data, written for babelwire)")  # fmt: skip
        run_set("frames", segments, args.half)
    if args.set in ("public", "both"):
        segments = load_public("es")
        print(f"\n{len(segments)} segments of the Universal Declaration of Human Rights, "
              "Spanish and English as the UN publishes them (bench/data/translate-public)")
        run_set("public", segments, args.half)


def run_set(name: str, segments: list[Segment], halves: str) -> None:
    sources = [s.source for s in segments]
    bare = bare_apertium(sources)
    outputs, flags = pipeline(sources)
    for half in ("tune", "test"):
        if halves not in (half, "both"):
            continue
        index = [i for i, s in enumerate(segments) if s.half == half]
        chosen = [segments[i] for i in index]
        runs = {
            "pipeline": ([outputs[i] for i in index], [flags[i] for i in index]),
            "bare apertium -u": ([bare[i] for i in index], [() for _ in index]),
        }
        extra = protection_rows(chosen, [bare[i] for i in index])
        report(f"{name}, {half}", chosen, runs, extra)


if __name__ == "__main__":
    main()
