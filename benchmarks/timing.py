"""Shared by the benchmarks: the best wall-clock time of repeated calls."""
from __future__ import annotations

import time


def timed(fn, repeat: int = 3) -> float:
    """The fastest of `repeat` calls of `fn`, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
