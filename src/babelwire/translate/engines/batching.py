"""Dynamic batches by token count, for neural engines.

A neural model pads every input of a batch to the longest one, so the work of
a batch is ``inputs × longest input``, not the sum of the lengths. Sorting by
length before cutting keeps similar lengths together (little padding), and a
cap on padded tokens keeps memory flat whether a batch holds five long
paragraphs or two hundred headlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Batch:
    """Positions (in the caller's list) translated together, and their longest length."""

    indices: tuple[int, ...]
    longest_tokens: int

    @property
    def padded_tokens(self) -> int:
        """What the model actually computes over: every input padded to the longest."""
        return len(self.indices) * self.longest_tokens


def plan_batches(lengths: Sequence[int], max_batch_tokens: int) -> list[Batch]:
    """Group inputs so that each batch's padded size stays within ``max_batch_tokens``.

    An input longer than the cap on its own still gets a batch of one: refusing
    it would lose text, and the model truncates at its own input limit anyway.
    Batches come out shortest first; callers put results back by index.
    """
    if max_batch_tokens < 1:
        raise ValueError(f"translate: max_batch_tokens must be positive, not {max_batch_tokens}")
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[Batch] = []
    current: list[int] = []
    longest = 0
    for index in order:
        # Lengths ascend, so adding this input makes it the new longest.
        length = max(lengths[index], 1)
        if current and (len(current) + 1) * length > max_batch_tokens:
            batches.append(Batch(tuple(current), longest))
            current = []
        current.append(index)
        longest = length
    if current:
        batches.append(Batch(tuple(current), longest))
    return batches
