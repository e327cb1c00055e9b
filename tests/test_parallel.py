"""How --jobs shares files out: largest first, every file once, pieces shrinking to single files."""
from __future__ import annotations

import pytest

from checker.parallel import plan


@pytest.mark.parametrize(("sizes", "jobs", "most", "expected"), [
    ([], 2, 8, []),
    ([5], 2, 8, [[0]]),
    # Largest first; the first piece is at most a quarter of the bytes (jobs=2), then halves of what is left.
    ([1, 9, 3, 7], 2, 8, [[1], [3], [2], [0]]),
    ([10] * 8, 2, 8, [[0, 1], [2, 3], [4], [5], [6], [7]]),
    # Equal sizes keep input order; no piece holds more than ``most`` files.
    ([1] * 40, 2, 8, None),
])
def test_plan(sizes: list[int], jobs: int, most: int, expected: list[list[int]] | None) -> None:
    pieces = plan(sizes, jobs, most)
    assert sorted(i for piece in pieces for i in piece) == list(range(len(sizes)))
    assert all(1 <= len(piece) <= most for piece in pieces)
    flat = [i for piece in pieces for i in piece]
    assert [sizes[i] for i in flat] == sorted(sizes, reverse=True)
    if expected is not None:
        assert pieces == expected
    if len(sizes) > 4:
        assert len(pieces[-1]) == 1 and len(pieces[-2]) == 1  # the tail is single files
