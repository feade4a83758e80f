"""Wall clocks for the exercise clock: the system clock in play, a virtual one in tests.

Exercise time itself is derived, not kept: the journal records anchors (start, pause, resume,
speed change, time jump) and exercise time is ``anchor_time + (wall_now - anchor_wall) * speed``
while running. So time stops when the exercise pauses, survives a restart, and a test can move a
:class:`VirtualClock` by hand without sleeping.
"""

from __future__ import annotations

import time
from typing import Protocol


class WallClock(Protocol):
    """Anything that tells the wall time in seconds."""

    def now(self) -> float: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> float:
        return time.time()


class VirtualClock:
    """A wall clock moved by hand: headless play and tests never sleep."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move wall time forward by ``seconds``."""
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds

    def set(self, wall: float) -> None:
        """Move wall time to ``wall`` (not backwards)."""
        self.advance(wall - self._now)


def exercise_time_at(elapsed: int, anchor_wall: float | None, speed: float, wall_now: float) -> int:
    """Exercise seconds at ``wall_now`` given the last anchor (None while not running)."""
    if anchor_wall is None:
        return elapsed
    return elapsed + max(0, int((wall_now - anchor_wall) * speed))
