"""The indexed scheduler: what can fall due next, without scanning every inject at every moment.

Who calls it: ``engine.advance`` asks it what is due and when the next moment is; ``engine.fold``
keeps it in step with the state it belongs to as each event is applied (an inject delivered, a
point closed). It is a cache of the state, never a source of truth: built from the state on first
use, copied with it, rolled back with it (``Savepoint``), and it answers exactly what a scan of the
state would answer, in the same order:

- timed injects not yet delivered whose time is known, sorted by (due time, file order), one list
  per phase they are limited to (``None``: any phase); an ``after`` inject enters its list when
  the inject it waits for is delivered (``Rules.waiting_on``);
- open decision points with a window, sorted by (deadline, file order, place in the inject);
- how many points are open in each phase (a gated phase holds its transitions while one is).

Sorted Python lists with ``bisect``: lookups are O(log n); an insertion or removal moves the
list's pointers in one C ``memmove``, negligible next to the Python work of an event even at
10,000 injects.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from exercise_engine.engine.rules import Rules
    from exercise_engine.engine.state import ExerciseState, PointState

Undo = list[Callable[[], object]]
PendingKey = tuple[int, int, str]
"""(due time, file order, inject id)."""
DeadlineKey = tuple[int, int, int, str, str]
"""(deadline, file order of the inject, place among its points, inject id, decision id)."""


def _remove(items: list[Any], key: tuple[Any, ...]) -> None:
    index = bisect_left(items, key)
    if index < len(items) and items[index] == key:
        del items[index]


class Schedule:
    """Indexes of one state's future (see the module docstring)."""

    __slots__ = ("deadlines", "open_in_phase", "pending", "pending_key")

    def __init__(self) -> None:
        self.pending: dict[str | None, list[PendingKey]] = {}
        self.pending_key: dict[str, tuple[str | None, PendingKey]] = {}
        self.deadlines: list[DeadlineKey] = []
        self.open_in_phase: dict[str, int] = {}

    @classmethod
    def build(cls, rules: Rules, state: ExerciseState) -> Schedule:
        """The schedule of ``state`` from scratch (once per state lineage: later kept in step)."""
        schedule = cls()
        deliveries = state.deliveries
        for inject in rules.timed:
            if inject.id in deliveries:
                continue
            times = [0] if inject.at is None else [0, inject.at]
            if inject.after is not None:
                target = deliveries.get(inject.after.inject)
                if target is None:
                    continue
                times.append(target.at + inject.after.delay)
            schedule._add_pending(inject.phase, (max(times), rules.order[inject.id], inject.id))
        for key, point in state.points.items():
            if point.is_open:
                schedule._opened(rules, key, point)
        return schedule

    def copy(self) -> Schedule:
        clone = Schedule()
        clone.pending = {phase: list(items) for phase, items in self.pending.items()}
        clone.pending_key = dict(self.pending_key)
        clone.deadlines = list(self.deadlines)
        clone.open_in_phase = dict(self.open_in_phase)
        return clone

    # --- kept in step by fold.apply -----------------------------------------------------------

    def _add_pending(self, phase: str | None, key: PendingKey) -> None:
        insort(self.pending.setdefault(phase, []), key)
        self.pending_key[key[2]] = (phase, key)

    def _drop_pending(self, inject_id: str) -> None:
        phase, key = self.pending_key.pop(inject_id)
        _remove(self.pending[phase], key)

    def _opened(self, rules: Rules, key: tuple[str, str], point: PointState) -> None:
        self.open_in_phase[point.phase] = self.open_in_phase.get(point.phase, 0) + 1
        if point.deadline is not None:
            insort(
                self.deadlines,
                (point.deadline, rules.order[key[0]], rules.point_rank[key], key[0], key[1]),
            )

    def _closed(self, rules: Rules, key: tuple[str, str], point: PointState) -> None:
        self.open_in_phase[point.phase] -= 1
        if point.deadline is not None:
            _remove(
                self.deadlines,
                (point.deadline, rules.order[key[0]], rules.point_rank[key], key[0], key[1]),
            )

    def delivered(
        self, rules: Rules, state: ExerciseState, inject_id: str, log: Undo | None
    ) -> None:
        """``inject_id`` was just delivered in ``state`` (its points already opened there)."""
        if inject_id in self.pending_key:
            phase, key = self.pending_key[inject_id]
            self._drop_pending(inject_id)
            if log is not None:
                log.append(partial(self._add_pending, phase, key))
        delivery = state.deliveries[inject_id]
        for waiting in rules.waiting_on.get(inject_id, ()):
            if waiting.id in state.deliveries or waiting.id in self.pending_key:
                continue
            assert waiting.after is not None
            due = max(0, waiting.at or 0, delivery.at + waiting.after.delay)
            self._add_pending(waiting.phase, (due, rules.order[waiting.id], waiting.id))
            if log is not None:
                log.append(partial(self._drop_pending, waiting.id))
        inject = rules.scenario.injects[inject_id]
        for spec in inject.decisions:
            opened = (inject_id, spec.id)
            point = state.points[opened]
            self._opened(rules, opened, point)
            if log is not None:
                log.append(partial(self._closed, rules, opened, point))

    def closed(
        self, rules: Rules, key: tuple[str, str], point: PointState, log: Undo | None
    ) -> None:
        """The open point ``key`` was just decided, expired or closed."""
        self._closed(rules, key, point)
        if log is not None:
            log.append(partial(self._opened, rules, key, point))

    # --- questions the engine asks ------------------------------------------------------------

    def next_due_after(self, t: int) -> int | None:
        """The earliest due time after ``t`` of an inject not yet delivered (any phase)."""
        best: int | None = None
        probe = (t + 1,)
        for items in self.pending.values():
            index = bisect_left(items, probe)
            if index < len(items) and (best is None or items[index][0] < best):
                best = items[index][0]
        return best

    def ripe(self, phase: str, t: int) -> list[PendingKey]:
        """Injects not yet delivered whose time has come by ``t`` and whose phase allows them now
        (any phase, or ``phase``), by (due time, file order); their ``when`` is not checked."""
        probe = (t + 1,)
        out: list[PendingKey] = []
        for bucket in (None, phase):
            items = self.pending.get(bucket)
            if items:
                out += items[: bisect_left(items, probe)]
        if len(out) > 1:
            out.sort()
        return out

    def closing(self, t: int) -> list[DeadlineKey]:
        """Open points whose window closed before ``t``, by (deadline, file order, place)."""
        return self.deadlines[: bisect_left(self.deadlines, (t,))]

    def next_close_after(self, t: int) -> int | None:
        """The second after the nearest deadline that closes after ``t`` (a window includes its
        last second)."""
        index = bisect_left(self.deadlines, (t,))
        return self.deadlines[index][0] + 1 if index < len(self.deadlines) else None

    def gate_open(self, phase: str) -> bool:
        """No point delivered in ``phase`` is still open."""
        return not self.open_in_phase.get(phase, 0)
