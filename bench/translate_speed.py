"""How fast the translation engines are, on this machine.

    .venv/bin/python bench/translate_speed.py [--docs 40] [--threads 2]

(a) the ctranslate2 engine on an OPUS-MT-sized model (6+6 layers, d_model 512,
    8 heads, FFN 2048, 58,000-token vocabulary, int8), built here with random
    weights, translating every segment of a day's documents in one call, so
    that batches mix documents;
(b) the same segments one document per call (what a per-document pipeline
    does), and, on a small sample, one segment per call;
(c) the translate pipeline with the Apertium engine against bare
    ``apertium -u spa-eng`` on the same Spanish text (the Spanish pages of
    ../shared/corpus when present, otherwise a few sentences written for this
    bench), words per second side by side and their ratio
    (``--apertium-only`` runs just this part);
(d) start-up: ``babelwire --help`` and ``echo hola | babelwire translate
    --from es`` against ``echo hola | apertium -u spa-eng``, interleaved,
    median of ``--startup-rounds``; the CLI's own start-up is the translate
    time less Apertium's (``--startup-only`` runs just this part;
    ``--startup-before SRC`` times another checkout's ``src`` in the same
    rounds, e.g. one unpacked with ``git archive HEAD~3 src | tar -x -C DIR``).

Random weights never stop by themselves, so every output is forced to
``--decode-tokens`` tokens (min = max decoding length): the work per segment
is fixed and the numbers compare. A real day is ~300 documents × 12 segments;
the default workload is smaller so the bench stays within ~3 minutes on 2
cores, and the time for a full day is extrapolated. Needs the translate extra.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from babelwire.translate.engines.ct2 import CTranslate2Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.translate.engines.synthetic import (
    OPUS_MT,
    build_package_dir,
    pseudo_sentences,
)

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
DAY_SEGMENTS = 300 * 12

#: Used only when the corpus is absent; written for this bench.
SPANISH = (
    "El Gobierno aprobó ayer el presupuesto nacional para el año 2026.",
    "El ministro de Economía anunció nuevas medidas para reducir la inflación.",
    "La reunión del Consejo terminó sin acuerdo sobre la reforma de las pensiones.",
    "Según el informe, las exportaciones crecieron un 4,5 % en el segundo trimestre.",
    "La presidenta recibió a una delegación de la Unión Europea en el palacio.",
    "El banco central mantuvo el tipo de interés en el 3,25 % por tercera vez.",
    "Las autoridades sanitarias recomendaron la vacunación de los mayores de 60 años.",
    "El Parlamento debatirá la propuesta de ley la próxima semana.",
)


class FixedLength:
    """Wraps a ctranslate2.Translator so that every output has exactly ``tokens`` tokens."""

    def __init__(self, translator: Any, tokens: int) -> None:
        self.translator, self.tokens = translator, tokens

    def translate_batch(self, batch: list[list[str]], **options: Any) -> Any:
        options.update(max_decoding_length=self.tokens, min_decoding_length=self.tokens)
        return self.translator.translate_batch(batch, **options)


def neural_engine(models_dir: Path, args: argparse.Namespace) -> CTranslate2Engine:
    engine = CTranslate2Engine(
        models_dir, device=args.device, threads=args.threads, beam_size=args.beam,
        max_batch_tokens=args.max_batch_tokens[0],
    )  # fmt: skip
    loaded = engine._load("es", "en")
    fixed = FixedLength(loaded.translator, args.decode_tokens)
    engine._loaded[("es", "en")] = dataclasses.replace(loaded, translator=fixed)
    return engine


def timed(work: Any) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def cpu_s() -> float:
    """CPU seconds of this process and of its finished children (the engines)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_neural(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        models_dir = Path(tmp)
        build_s = timed(lambda: build_package_dir(models_dir / "es_en-1.0", shape=OPUS_MT))
        engine = neural_engine(models_dir, args)
        print(f"model: OPUS-MT shape, random int8 weights, built in {build_s:.1f}s; "
              f"device={engine.device} threads={args.threads} beam={args.beam}")  # fmt: skip
        docs = [pseudo_sentences(args.segments, seed=n) for n in range(args.docs)]
        segments = [s for doc in docs for s in doc]
        engine.translate_batch(segments[:4], "es", "en")  # warm-up: first call allocates
        output_tokens = len(segments) * args.decode_tokens
        batched_s = {}
        for cap in args.max_batch_tokens:
            engine.max_batch_tokens = cap
            batched_s[cap] = timed(lambda: engine.translate_batch(segments, "es", "en"))
        engine.max_batch_tokens = args.max_batch_tokens[0]
        per_doc_s = timed(lambda: [engine.translate_batch(d, "es", "en") for d in docs])
        sample = segments[: args.single_sample]
        single_s = timed(lambda: [engine.translate_batch([s], "es", "en") for s in sample])
        shutil.rmtree(models_dir / "es_en-1.0")
    b = output_tokens / per_doc_s
    c = len(sample) * args.decode_tokens / single_s
    print(f"workload: {args.docs} documents × {args.segments} segments = {len(segments)} "
          f"segments, {args.decode_tokens} output tokens each")  # fmt: skip
    for cap, seconds in batched_s.items():
        rate = output_tokens / seconds
        print(f"(a) batched across documents, max_batch_tokens={cap:5}: {rate:6.0f} output "
              f"tokens/s ({seconds:.1f}s), {rate / b:.2f}x (b)")  # fmt: skip
    a = output_tokens / min(batched_s.values())
    print(f"(b) one document per call ({args.max_batch_tokens[0]})   : {b:6.0f} output "
          f"tokens/s ({per_doc_s:.1f}s)")  # fmt: skip
    print(f"    one segment per call                    : {c:6.0f} output tokens/s "
          f"(sample of {len(sample)}); best (a) is {a / c:.1f}x this")  # fmt: skip
    day_s = DAY_SEGMENTS * args.decode_tokens / a
    print(f"    a day ({DAY_SEGMENTS} segments), best (a): ~{day_s / 60:.1f} min on this machine")


def spanish_paragraphs() -> tuple[list[str], str]:
    pages = sorted(CORPUS.glob("pages/es_*.html")) if CORPUS.is_dir() else []
    if pages:
        import trafilatura

        paragraphs = []
        for page in pages:
            text = trafilatura.extract(page.read_bytes().decode("utf-8", "replace")) or ""
            paragraphs += [line for line in text.splitlines() if line.strip()]
        return paragraphs, f"{len(pages)} Spanish corpus pages"
    rng = random.Random(0)
    return [" ".join(rng.sample(SPANISH, 3)) for _ in range(300)], "bench sentences"


def bench_apertium(rounds: int) -> None:
    """The pipeline (translator + apertium engine) against bare ``apertium -u spa-eng``."""
    import subprocess

    from babelwire.errors import EngineUnavailable
    from babelwire.translate.settings import TranslateSettings
    from babelwire.translate.translator import Translator

    paragraphs, origin = spanish_paragraphs()
    words = sum(len(p.split()) for p in paragraphs)
    text = "\n\n".join(paragraphs) + "\n"
    bare_s: list[float] = []
    pipeline_s: list[float] = []
    # CPU time as well as wall time: on a shared machine the wall clock
    # measures the neighbours as much as the work.
    bare_cpu: list[float] = []
    pipeline_cpu: list[float] = []
    for _ in range(rounds):
        before = cpu_s()
        bare_s.append(timed(lambda: subprocess.run(
            ["apertium", "-u", "spa-eng"], input=text.encode(), capture_output=True, check=True,
        )))  # fmt: skip
        bare_cpu.append(cpu_s() - before)
        before = cpu_s()
        try:
            # A fresh translator each round: its start-up (one pipeline per
            # pair) is counted and nothing comes from its cache.
            translator = Translator.from_settings(TranslateSettings(engines=("apertium",)))
        except EngineUnavailable as exc:
            print(f"(c) apertium: skipped ({exc})")
            return
        pipeline_s.append(timed(lambda t=translator: t.translate_segments(paragraphs, "es")))
        for engine in translator.engines.values():
            getattr(engine, "close", lambda: None)()  # its processes' CPU time is counted
        pipeline_cpu.append(cpu_s() - before)
    bare = words / min(bare_s)
    ours = words / min(pipeline_s)
    print(f"(c) apertium spa-eng, {origin}: {len(paragraphs)} paragraphs, {words} words, "
          f"best of {rounds}")  # fmt: skip
    bare_c, ours_c = words / min(bare_cpu), words / min(pipeline_cpu)
    print(f"{'':34}{'wall':>20}{'CPU':>22}")
    print(f"    bare `apertium -u spa-eng`  : {bare:8.0f} words/s ({min(bare_s):5.2f}s)"
          f"{bare_c:8.0f} words/s ({min(bare_cpu):5.2f}s)")  # fmt: skip
    print(f"    babelwire pipeline          : {ours:8.0f} words/s ({min(pipeline_s):5.2f}s)"
          f"{ours_c:8.0f} words/s ({min(pipeline_cpu):5.2f}s)")  # fmt: skip
    print(f"    ratio pipeline / bare       : {ours / bare:8.2f}x{'':15}{ours_c / bare_c:8.2f}x")


def bench_startup(rounds: int, before_src: Path | None) -> None:
    """Wall time of a start, as a user at a shell sees it, median of ``rounds``."""
    import os
    import statistics
    import subprocess

    times: dict[str, list[float]] = {}
    # CPU seconds (the command and its children) as well: on a shared machine
    # the wall clock measures the neighbours as much as the start-up.
    cpu_times: dict[str, list[float]] = {}

    def run(label: str, command: list[str], env: dict[str, str] | None = None) -> None:
        before = cpu_s()
        times.setdefault(label, []).append(timed(lambda: subprocess.run(
            command, input=b"hola\n", capture_output=True, check=True, env=env)))  # fmt: skip
        cpu_times.setdefault(label, []).append(cpu_s() - before)

    trees = {"this tree": None, **({"before": before_src} if before_src else {})}
    for _ in range(rounds):
        run("apertium", ["apertium", "-u", "spa-eng"])
        for label, src in trees.items():
            # PYTHONPATH comes before the editable install: the other tree's code runs.
            env = {**os.environ, "PYTHONPATH": str(src)} if src else None
            cli = [sys.executable, "-m", "babelwire"]
            run(f"{label} --help", [*cli, "--help"], env)
            run(f"{label} translate", [*cli, "translate", "--from", "es"], env)
    median = {name: statistics.median(values) for name, values in times.items()}
    cpu_of = {name: statistics.median(values) for name, values in cpu_times.items()}
    print(f"(d) start-up, median of {rounds}{'':22}wall s  CPU s")
    print(f"    echo hola | apertium -u spa-eng       : {median['apertium']:5.2f}"
          f"  {cpu_of['apertium']:5.2f}")  # fmt: skip
    for label in trees:
        help_s, translate_s = median[f"{label} --help"], median[f"{label} translate"]
        print(f"    {label:9} babelwire --help         : {help_s:5.2f}"
              f"  {cpu_of[f'{label} --help']:5.2f}")  # fmt: skip
        print(f"    {label:9} echo hola | translate    : {translate_s:5.2f}"
              f"  {cpu_of[f'{label} translate']:5.2f}"
              f"  (less Apertium: {translate_s - median['apertium']:5.2f} wall,"
              f" {cpu_of[f'{label} translate'] - cpu_of['apertium']:5.2f} CPU)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=40, help="documents (a real day: ~300)")
    parser.add_argument("--segments", type=int, default=12, help="segments per document")
    parser.add_argument("--decode-tokens", type=int, default=32, help="output tokens per segment")
    parser.add_argument("--single-sample", type=int, default=24, help="segments sent one by one")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument(
        "--max-batch-tokens",
        type=lambda t: [int(x) for x in t.split(",")],
        default=[4096, 1024],
        help="caps to compare for (a); the first is also used for (b)",
    )
    parser.add_argument("--device", default="auto")
    parser.add_argument("--apertium-rounds", type=int, default=3)
    parser.add_argument("--apertium-only", action="store_true", help="skip (a) and (b)")
    parser.add_argument("--startup-rounds", type=int, default=5)
    parser.add_argument("--startup-only", action="store_true", help="run only (d)")
    parser.add_argument("--startup-before", type=Path, help="another tree's src to time in (d)")
    args = parser.parse_args()
    if args.startup_only:
        bench_startup(args.startup_rounds, args.startup_before)
        return
    if not args.apertium_only:
        bench_neural(args)
    bench_apertium(args.apertium_rounds)
    bench_startup(args.startup_rounds, args.startup_before)
    print("argostranslate: not compared (not installed; it would pull in torch and stanza)")


if __name__ == "__main__":
    main()
