"""The state of one exercise, as folded from its journal.

Mutable for speed (a fold of 100,000 events must take well under two seconds), but only
``engine.fold.apply`` writes to it: everything else reads. It also answers the questions the
condition language asks (``delivered``, ``decided``, ``chose``, ``expired``).

The engine looks ahead on the live state instead of a copy: a :class:`Savepoint` records how to
undo each change ``apply`` makes (an undo log), so working out what a tick would journal costs
what the tick changes, not the size of the exercise; the journalled events are then applied for
real. A state carries its :class:`~exercise_engine.engine.schedule.Schedule` (the indexes of what
can fall due), kept in step by ``apply`` and rolled back with it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exercise_engine.clock import exercise_time_at

if TYPE_CHECKING:
    from exercise_engine.engine.schedule import Schedule


@dataclass
class Delivery:
    """An inject delivered: when, to whom, and in which phase."""

    inject: str
    at: int
    roles: list[str]
    phase: str
    manual: bool = False
    seq: int = 0
    late: bool = False
    """It fell due while the facilitator was offline and was delivered on resume."""


@dataclass(frozen=True)
class SeatLog:
    """A seat's consoles as the journal records them (``seat_joined`` / ``seat_left``)."""

    consoles: frozenset[str] = frozenset()
    """Consoles of the seat that joined and have not left (a killed one never leaves)."""
    clock_consoles: frozenset[str] = frozenset()
    """Of those, the ones that own the clock (the facilitator's ``run``)."""
    last_wall: float = 0.0
    """Wall time of the seat's latest join or leave."""
    left: bool = False
    """Whether that latest event was a leave."""


@dataclass
class Advice:
    """A consulted role's advice on an open decision point."""

    role: str
    inject: str
    decision: str
    at: int
    text: str
    recommend: str | None = None
    seq: int = 0


@dataclass
class PointState:
    """One decision point's lifecycle: open -> decided | expired | closed."""

    inject: str
    decision: str
    role: str
    opened_at: int
    deadline: int | None
    phase: str
    status: str = "open"
    closed_at: int | None = None
    option: str | None = None
    rationale: str = ""
    actor: str = ""
    on_behalf: bool = False
    seq: int = 0
    pre_played: bool = False
    """Closed before a ``--start-at`` boundary: the playthrough's, not a seat's."""

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass
class Refusal:
    """A decision or advice the engine refused, with the reason (journalled)."""

    at: int
    role: str | None
    actor: str
    inject: str
    decision: str
    reason: str
    seq: int = 0


@dataclass
class ExerciseState:
    """Everything the consoles, the engine and the scorer need to know about an exercise now."""

    scenario_id: str = ""
    scenario_hash: str = ""
    status: str = "draft"
    phase: str = ""
    phase_entered_at: int = 0
    elapsed: int = 0
    """Exercise time at the clock's last anchor (start, pause, resume, speed change, jump)."""
    anchor_wall: float | None = None
    """Wall time of the last anchor while running; None while not running."""
    speed: float = 1.0
    last_time: int = 0
    """Exercise time of the latest event (events never go back in time)."""
    variables: dict[str, float] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    points: dict[tuple[str, str], PointState] = field(default_factory=dict)
    advice: list[Advice] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    manual_injects: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    hot_wash: list[dict[str, Any]] = field(default_factory=list)
    phase_history: list[tuple[int, str]] = field(default_factory=list)
    seats: dict[str, SeatLog] = field(default_factory=dict)
    """Presence per seat (role ids and ``facilitator``), from join and leave events."""
    opened: dict[str, dict[str, int]] = field(default_factory=dict)
    """Read receipts: inject (or manual inject) id -> seat -> exercise time first opened."""
    recoveries: list[dict[str, Any]] = field(default_factory=list)
    """Each recovery after an interruption: offline_since (wall), stood_at, wall."""
    seat_played: dict[str, bool] = field(default_factory=dict)
    """The facilitator's latest word per seat (``seat_set``): False when nobody played it."""
    seat_participants: dict[str, str | None] = field(default_factory=dict)
    """Who sat each seat, as the facilitator last recorded it (``seat_set``)."""
    recovery_pending: bool = False
    """Recovered and not yet resumed: the next resume delivers what fell due, marked late."""
    ending: str | None = None
    ending_title: str = ""
    syndicate: str = ""
    pre_played: dict[str, Any] | None = None
    """The ``pre_played`` event's payload and time, when the early moves were pre-played."""
    last_seq: int = 0
    last_hash: str = ""
    event_count: int = 0
    moment: int = 0
    """While the engine looks ahead: the exercise time being examined (``elapsed`` in conditions)."""
    schedule: Schedule | None = field(default=None, compare=False, repr=False)
    """The engine's indexes of this state's future; None until the engine first needs them."""
    undo: list[Callable[[], object]] | None = field(default=None, compare=False, repr=False)
    """While a :class:`Savepoint` is open: how to undo each change ``apply`` made since."""

    def now(self, wall_now: float) -> int:
        """Exercise time at ``wall_now``: it runs at ``speed`` while running, stops otherwise."""
        anchor = self.anchor_wall if self.status == "running" else None
        return max(self.last_time, exercise_time_at(self.elapsed, anchor, self.speed, wall_now))

    def copy(self) -> ExerciseState:
        """A copy the engine can look ahead on. Only ``PointState`` objects are changed in place by
        the fold; every other record is replaced or appended, so copying the containers (and the
        points) is enough — and several times cheaper than a deep copy at every tick."""
        clone = copy.copy(self)
        clone.variables = dict(self.variables)
        clone.flags = dict(self.flags)
        clone.deliveries = dict(self.deliveries)
        clone.points = {key: copy.copy(point) for key, point in self.points.items()}
        clone.advice = list(self.advice)
        clone.refusals = list(self.refusals)
        clone.manual_injects = dict(self.manual_injects)
        clone.notes = list(self.notes)
        clone.hot_wash = list(self.hot_wash)
        clone.phase_history = list(self.phase_history)
        clone.schedule = self.schedule.copy() if self.schedule is not None else None
        clone.undo = None
        clone.seats = dict(self.seats)
        clone.seat_played = dict(self.seat_played)
        clone.seat_participants = dict(self.seat_participants)
        clone.opened = dict(self.opened)
        clone.recoveries = list(self.recoveries)
        return clone

    # --- the condition language's view ------------------------------------------------------

    def condition_names(self) -> dict[str, Any]:
        names: dict[str, Any] = dict(self.variables)
        names.update(self.flags)
        names["phase"] = self.phase
        names["elapsed"] = max(self.last_time, self.moment)
        return names

    def delivered(self, inject: str) -> bool:
        return inject in self.deliveries or inject in self.manual_injects

    def _points_of(self, inject: str, point: str | None) -> list[PointState]:
        return [
            p for (i, d), p in self.points.items() if i == inject and (point is None or d == point)
        ]

    def decided(self, inject: str, point: str | None = None) -> bool:
        points = self._points_of(inject, point)
        return bool(points) and all(p.status == "decided" for p in points)

    def chose(self, inject: str, option: str) -> bool:
        return any(p.option == option for p in self._points_of(inject, None))

    def expired(self, inject: str, point: str | None = None) -> bool:
        return any(p.status == "expired" for p in self._points_of(inject, point))

    def open_points(self) -> list[PointState]:
        return [p for p in self.points.values() if p.is_open]


SCALARS = (
    "scenario_id",
    "scenario_hash",
    "status",
    "phase",
    "phase_entered_at",
    "elapsed",
    "anchor_wall",
    "speed",
    "last_time",
    "ending",
    "ending_title",
    "syndicate",
    "last_seq",
    "last_hash",
    "event_count",
    "moment",
    "schedule",
    "recovery_pending",
    "pre_played",
)
"""Fields a savepoint restores by value (``schedule``: a schedule built meanwhile is dropped)."""
LISTS = ("advice", "refusals", "notes", "hot_wash", "phase_history", "recoveries")
"""Fields ``apply`` only appends to: a savepoint cuts them back to their length."""
LOGGED = (
    "variables",
    "flags",
    "deliveries",
    "points",
    "manual_injects",
    "seats",
    "seat_played",
    "seat_participants",
    "opened",
)
"""Fields ``apply`` changes by key: it logs each change (:func:`remember`)."""


class Savepoint:
    """Changes to a state that can be undone: open one, let ``apply`` run, then ``rollback()``
    (everything as it was) or ``release()`` (keep it all). One at a time per state.

    ``apply`` logs how to undo what it changes in dicts and points (``ExerciseState.undo``);
    scalars and append-only lists are put back from what the savepoint noted when it opened.
    """

    def __init__(self, state: ExerciseState) -> None:
        if state.undo is not None:
            raise RuntimeError("a savepoint is already open on this state")
        self.state = state
        self.scalars = {name: getattr(state, name) for name in SCALARS}
        self.lengths = {name: len(getattr(state, name)) for name in LISTS}
        self.log: list[Callable[[], object]] = []
        state.undo = self.log

    def rollback(self) -> None:
        state = self.state
        for undo in reversed(self.log):
            undo()
        for name, value in self.scalars.items():
            setattr(state, name, value)
        for name, length in self.lengths.items():
            del getattr(state, name)[length:]
        state.undo = None

    def release(self) -> None:
        self.state.undo = None


def remember(log: list[Callable[[], object]] | None, mapping: dict[Any, Any], key: Any) -> None:
    """Log how to put ``mapping[key]`` back as it is now (``apply`` calls it before a change)."""
    if log is None:
        return
    if key in mapping:
        old = mapping[key]
        log.append(lambda: mapping.__setitem__(key, old))
    else:
        log.append(lambda: mapping.pop(key, None))


def remember_point(log: list[Callable[[], object]] | None, point: PointState) -> None:
    """Log how to put a point's fields back as they are now."""
    if log is not None:
        fields = dict(vars(point))
        log.append(lambda: vars(point).update(fields))
