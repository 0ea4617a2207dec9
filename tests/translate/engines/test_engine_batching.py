"""Dynamic batches by padded token count."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.translate.engines.batching import plan_batches


@given(st.lists(st.integers(0, 300), max_size=80), st.integers(1, 1000))
def test_every_input_once_and_batches_within_the_cap(lengths: list[int], cap: int) -> None:
    batches = plan_batches(lengths, cap)
    indices = [i for b in batches for i in b.indices]
    assert sorted(indices) == list(range(len(lengths)))
    for batch in batches:
        assert batch.longest_tokens == max(max(lengths[i], 1) for i in batch.indices)
        # Only an input longer than the cap on its own may exceed it.
        assert batch.padded_tokens <= cap or len(batch.indices) == 1


def test_similar_lengths_share_a_batch() -> None:
    lengths = [50, 3, 48, 4, 2, 49]
    batches = plan_batches(lengths, 150)
    assert [sorted(b.indices) for b in batches] == [[1, 3, 4], [0, 2, 5]]
    assert [b.padded_tokens for b in batches] == [12, 150]


def test_an_overlong_input_gets_a_batch_of_its_own() -> None:
    batches = plan_batches([10, 500, 10], 100)
    assert [b.indices for b in batches] == [(0, 2), (1,)]


def test_the_cap_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_batch_tokens"):
        plan_batches([1], 0)
