"""Random-weight translation models in the Argos package format.

Real models are hundreds of megabytes and come from the internet, which tests,
benchmarks and the offline demo cannot reach. This module builds a package
with the same layout and the same kind of CTranslate2 Transformer, but with
random weights and a SentencePiece model trained on generated pseudo-words: it
exercises every code path (unpacking, tokenising, batching, decoding) and
costs what a real model of the same shape costs, while producing gibberish.

Needs the ``translate`` extra (numpy, ctranslate2, sentencepiece).
"""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Syllables for pseudo-words; the text only has to give SentencePiece
#: something word-like to segment, so it is made up rather than borrowed.
_SYLLABLES = (
    "ba", "be", "bi", "co", "cu", "da", "de", "do", "fa", "fi", "ga", "go", "la",
    "le", "li", "lo", "ma", "me", "mi", "mo", "na", "ne", "no", "pa", "pe", "po",
    "ra", "re", "ri", "ro", "sa", "se", "si", "so", "ta", "te", "ti", "to", "va",
    "ve", "za", "zo", "ción", "ñu", "qué", "más",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ModelShape:
    """Sizes of a Transformer encoder-decoder and of its tokenizer."""

    encoder_layers: int
    decoder_layers: int
    d_model: int
    heads: int
    ffn_dim: int
    #: Rows of the embedding and output matrices; when larger than the
    #: SentencePiece vocabulary, the rest is filled with unused tokens so the
    #: output projection costs what a real model's does.
    vocab_size: int
    sentencepiece_vocab_size: int


#: Builds in a fraction of a second; for tests.
TINY = ModelShape(1, 1, 32, 2, 64, 200, 200)
#: The shape of an OPUS-MT (Marian) model, the size most Argos packages have.
OPUS_MT = ModelShape(6, 6, 512, 8, 2048, 58_000, 2_000)


def pseudo_sentences(count: int, seed: int = 0) -> list[str]:
    """Deterministic sentences of made-up words, numbers and punctuation."""
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        words = [
            "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
            for _ in range(rng.randint(4, 18))
        ]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), str(rng.randint(1, 99_999)))
        sentence = " ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".?!;"))
    return sentences


def train_sentencepiece(path: Path, vocab_size: int, seed: int = 0) -> None:
    """Train a unigram SentencePiece model on pseudo-sentences, written to ``path``."""
    import sentencepiece as spm

    model = io.BytesIO()
    sentences = pseudo_sentences(max(300, vocab_size // 2), seed)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        vocab_size=vocab_size,
        # Small corpora cannot always fill the requested vocabulary; a
        # smaller one is fine for a model whose weights are random anyway.
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
    )
    path.write_bytes(model.getvalue())


def _shape_of(path: str, shape: ModelShape) -> tuple[int, ...]:
    """The weight shape CTranslate2 expects at a spec path such as
    ``decoder/layer_0/attention/linear_1/weight``."""
    d, parts = shape.d_model, path.split("/")
    leaf, parent = parts[-1], parts[-2]
    grand = parts[-3] if len(parts) > 2 else ""
    if leaf in {"gamma", "beta"}:
        return (d,)
    if parent.startswith("embeddings") or parent == "projection":
        return (shape.vocab_size, d)
    if grand == "ffn":
        return (shape.ffn_dim, d) if parent == "linear_0" else (d, shape.ffn_dim)
    if grand == "self_attention":  # fused query-key-value, then output
        return (3 * d, d) if parent == "linear_0" else (d, d)
    if grand == "attention":  # query, fused key-value over the encoder, output
        return {"linear_0": (d, d), "linear_1": (2 * d, d), "linear_2": (d, d)}[parent]
    raise ValueError(f"synthetic: no shape rule for {path}")


def save_ct2_model(
    out_dir: Path, vocabulary: list[str], shape: ModelShape, *, seed: int, quantization: str
) -> None:
    """Fill a Transformer spec with random weights and save it as a CTranslate2 model."""
    import numpy as np
    from ctranslate2.specs import TransformerSpec, model_spec

    spec = TransformerSpec.from_config(
        num_layers=(shape.encoder_layers, shape.decoder_layers), num_heads=shape.heads
    )
    rng = np.random.default_rng(seed)

    def fill(layer: object, path: str, value: object) -> None:
        if value is not None:
            return
        dims = _shape_of(path, shape)
        leaf = path.rsplit("/", 1)[-1]
        if leaf == "gamma":
            array = np.ones(dims, dtype=np.float32)
        elif leaf == "beta":
            array = np.zeros(dims, dtype=np.float32)
        else:
            array = rng.normal(0.0, 0.05, dims).astype(np.float32)
        setattr(layer, leaf, array)

    model_spec.visit_spec(spec, fill)
    tokens = vocabulary + [f"<unused{i}>" for i in range(shape.vocab_size - len(vocabulary))]
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    spec.validate()
    spec.optimize(quantization=quantization)
    out_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(out_dir))


def build_package_dir(
    dest: Path,
    *,
    from_code: str = "es",
    to_code: str = "en",
    version: str = "1.0",
    shape: ModelShape = TINY,
    seed: int = 0,
    quantization: str = "int8",
) -> Path:
    """Write an unpacked Argos package (metadata, model/, sentencepiece.model) at ``dest``."""
    import sentencepiece as spm

    dest.mkdir(parents=True, exist_ok=True)
    sp_path = dest / "sentencepiece.model"
    train_sentencepiece(sp_path, shape.sentencepiece_vocab_size, seed)
    processor = spm.SentencePieceProcessor(model_file=str(sp_path))
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    if len(vocabulary) > shape.vocab_size:
        raise ValueError("synthetic: vocab_size is smaller than the SentencePiece vocabulary")
    save_ct2_model(dest / "model", vocabulary, shape, seed=seed, quantization=quantization)
    metadata = {
        "package_version": version,
        "argos_version": "1.0",
        "from_code": from_code,
        "from_name": from_code,
        "to_code": to_code,
        "to_name": to_code,
        "type": "translate",
        "links": [],
    }
    (dest / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (dest / "README.md").write_text("Random weights: for tests only.\n", encoding="utf-8")
    return dest


def build_argosmodel(
    dest_file: Path,
    *,
    from_code: str = "es",
    to_code: str = "en",
    version: str = "1.0",
    shape: ModelShape = TINY,
    seed: int = 0,
    quantization: str = "int8",
) -> Path:
    """Build a package and zip it as ``dest_file`` (one top folder, as Argos does)."""
    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as tmp:
        root = build_package_dir(
            Path(tmp) / top,
            from_code=from_code,
            to_code=to_code,
            version=version,
            shape=shape,
            seed=seed,
            quantization=quantization,
        )
        with zipfile.ZipFile(dest_file, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                archive.write(path, path.relative_to(root.parent).as_posix())
    return dest_file
