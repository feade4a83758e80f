"""The functional core: state = fold(scenario, events); what is due at a given exercise time.

Nothing here does I/O or reads a clock: callers pass the exercise time and wall time in. The
imperative shell (``exercise_engine.exercise`` and ``exercise_engine.runtime``) journals what
these functions return.
"""

from exercise_engine.engine.advance import (
    EngineError,
    advance,
    advance_in_place,
    due_drafts,
    next_inject_time,
    next_moment,
    rules_for,
)
from exercise_engine.engine.fold import ReplayError, apply, fold, initial_state
from exercise_engine.engine.state import (
    Advice,
    Delivery,
    ExerciseState,
    PointState,
    Refusal,
    Savepoint,
)

__all__ = [
    "Advice",
    "Delivery",
    "EngineError",
    "ExerciseState",
    "PointState",
    "Refusal",
    "ReplayError",
    "Savepoint",
    "advance",
    "advance_in_place",
    "apply",
    "due_drafts",
    "fold",
    "initial_state",
    "next_inject_time",
    "next_moment",
    "rules_for",
]
