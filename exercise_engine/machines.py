"""State machines built with ``transitions``: the exercise lifecycle and the scenario's phases.

Both are declared as data (states and transitions lists), attached to plain model objects, with
``auto_transitions=False`` so only the declared moves exist. Time never comes from ``transitions``'
threaded timeouts: the engine owns the clock and asks these machines only "may this move happen?"
and "which move happens now?".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from transitions import Machine, MachineError

LIFECYCLE_STATES = ["draft", "briefing", "running", "paused", "hot_wash", "ended"]

LIFECYCLE_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "open_briefing", "source": "draft", "dest": "briefing"},
    {"trigger": "start", "source": ["draft", "briefing"], "dest": "running"},
    {"trigger": "pause", "source": "running", "dest": "paused"},
    {"trigger": "resume", "source": "paused", "dest": "running"},
    {"trigger": "wrap_up", "source": ["running", "paused"], "dest": "hot_wash"},
    {"trigger": "close", "source": "hot_wash", "dest": "ended"},
]

EVENT_TRIGGERS = {
    "briefing_opened": "open_briefing",
    "started": "start",
    "paused": "pause",
    "resumed": "resume",
    "scenario_ended": "wrap_up",
    "ended": "close",
}
"""Lifecycle event kind -> machine trigger."""


class LifecycleError(ValueError):
    """A lifecycle move that is not allowed from the current state."""


class Lifecycle:
    """The exercise lifecycle: draft -> briefing -> running <-> paused -> hot_wash -> ended."""

    state: str

    def __init__(self, initial: str = "draft") -> None:
        self.machine = Machine(
            model=self,
            states=LIFECYCLE_STATES,
            transitions=LIFECYCLE_TRANSITIONS,
            initial=initial,
            auto_transitions=False,
        )

    def fire(self, trigger: str) -> None:
        """Make the move or raise LifecycleError naming the state it was refused in."""
        try:
            getattr(self, trigger)()
        except MachineError:
            raise LifecycleError(f"cannot {trigger.replace('_', ' ')} while {self.state}") from None

    def may(self, trigger: str) -> bool:
        """Whether ``trigger`` is allowed now (consoles enable their controls with this)."""
        return bool(getattr(self, f"may_{trigger}")())


class _PhaseModel:
    state: str


class PhaseMachine:
    """The scenario's phases and guarded transitions, built from the scenario file.

    ``guards`` maps a transition's index to a predicate; the engine passes predicates that
    evaluate the transition's condition (and the source phase's gate) against the current state.
    """

    def __init__(
        self,
        phases: list[str],
        transitions: list[tuple[str, str]],
        initial: str,
    ) -> None:
        self.model = _PhaseModel()
        self._guard: Callable[[int], bool] = lambda _index: False
        spec = [
            {
                "trigger": "advance",
                "source": source,
                "dest": dest,
                "conditions": [self._make_guard(index)],
            }
            for index, (source, dest) in enumerate(transitions)
        ]
        self.transitions = transitions
        self.machine = Machine(
            model=self.model,
            states=phases,
            transitions=spec,
            initial=initial,
            auto_transitions=False,
            ignore_invalid_triggers=True,
        )
        self._taken: int | None = None

    def _make_guard(self, index: int) -> Callable[[], bool]:
        def guard() -> bool:
            if self._guard(index):
                self._taken = index
                return True
            return False

        return guard

    def next_phase(self, current: str, guard: Callable[[int], bool]) -> tuple[str, int] | None:
        """The first transition out of ``current`` whose guard holds: (destination, index)."""
        if not any(source == current for source, _ in self.transitions):
            return None  # a phase with no way out (asking transitions would only log a warning)
        self.machine.set_state(current, model=self.model)
        self._guard = guard
        self._taken = None
        moved = self.model.advance()  # type: ignore[attr-defined]
        if not moved or self._taken is None:
            return None
        return self.model.state, self._taken

    def is_transition(self, source: str, dest: str) -> bool:
        return (source, dest) in self.transitions


def phases_mermaid(
    phases: list[tuple[str, str]], transitions: list[tuple[str, str, str]], initial: str
) -> str:
    """A scenario's phases as a mermaid state diagram: (id, title) phases; (from, to, condition)."""
    lines = ["stateDiagram-v2", f"    [*] --> {_mermaid_id(initial)}"]
    for pid, title in phases:
        lines.append(f'    state "{title.replace(chr(34), chr(39))}" as {_mermaid_id(pid)}')
    for source, dest, condition in transitions:
        label = condition.replace(":", "#58;").replace('"', "'")
        lines.append(f"    {_mermaid_id(source)} --> {_mermaid_id(dest)}: {label}")
    return "\n".join(lines)


def _mermaid_id(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def lifecycle_mermaid() -> str:
    """The lifecycle as a mermaid state diagram (for docs and ``graph``)."""
    lines = ["stateDiagram-v2", "    [*] --> draft"]
    for t in LIFECYCLE_TRANSITIONS:
        sources = t["source"] if isinstance(t["source"], list) else [t["source"]]
        lines += [f"    {s} --> {t['dest']}: {t['trigger']}" for s in sources]
    lines.append("    ended --> [*]")
    return "\n".join(lines)
