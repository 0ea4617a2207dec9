from __future__ import annotations

from babelwire.translate.cache import MemoryCache, NoCache, cache_key


def test_key_names_engine_model_version_pair_and_text() -> None:
    key = cache_key("ct2", "opus-ru-en", "1.0", "ru", "en", "Мир [0].")
    assert key == cache_key("ct2", "opus-ru-en", "1.0", "ru", "en", "Мир [0].")
    assert key != cache_key("ct2", "opus-ru-en", "1.1", "ru", "en", "Мир [0].")
    assert key != cache_key("apertium", "opus-ru-en", "1.0", "ru", "en", "Мир [0].")
    assert len(key.text_sha256) == 64


def test_memory_cache_gets_what_was_put_and_evicts_the_oldest() -> None:
    cache = MemoryCache(max_entries=2)
    keys = [cache_key("e", "m", "1", "ru", "en", str(i)) for i in range(3)]
    cache.put_many({keys[0]: "zero", keys[1]: "one"})
    assert cache.get_many([keys[0], keys[2]]) == {keys[0]: "zero"}
    cache.put_many({keys[2]: "two"})  # keys[1] is now the least recently used
    assert cache.get_many(keys) == {keys[0]: "zero", keys[2]: "two"}
    assert len(cache) == 2


def test_no_cache_keeps_nothing() -> None:
    cache = NoCache()
    key = cache_key("e", "m", "1", "ru", "en", "x")
    cache.put_many({key: "y"})
    assert cache.get_many([key]) == {}
