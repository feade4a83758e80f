"""Conditions re-evaluated only when something they read has changed.

Who calls it: ``engine.advance.holds`` (every transition, ending and ``when`` the engine asks
about). A compiled condition is a pure function of a few things in the state: the variables and
flags it names, the phase, ``elapsed``, and the injects its functions ask about. Its *stamp* is
those things' current values, read straight from the state; while the stamp is unchanged the
answer is the one computed last time, so the costly evaluation (``simpleeval``) runs only when a
dependency moved. Stamps are values, not version counters, so one cache serves every state of a
scenario: forks, savepoints rolled back and lint's bot paths alike.

``elapsed``: when every use of it compares it with a constant (``elapsed >= '01:30'``), the
truth can change only at the condition's thresholds, so the stamp holds which interval between
thresholds ``elapsed`` is in rather than its value; otherwise the value itself.
"""

from __future__ import annotations

import ast
import threading
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from simpleeval import SimpleEval

from exercise_engine.conditions import Condition, evaluate
from exercise_engine.engine.state import ExerciseState
from exercise_engine.loading.loaded import LoadedScenario

MAX_STAMPS = 4096
"""Answers remembered per condition before its cache is emptied (bounds lint's memory)."""

Part = Callable[[ExerciseState], object]


@dataclass
class _Watched:
    condition: Condition
    parts: tuple[Part, ...]
    answers: dict[tuple[object, ...], bool]


def _elapsed_only_against_constants(tree: ast.AST) -> bool:
    """Every ``elapsed`` is a direct operand of a comparison whose other operands are numbers."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            others = [o for o in operands if not (isinstance(o, ast.Name) and o.id == "elapsed")]
            if all(
                isinstance(o, ast.Constant)
                and isinstance(o.value, (int, float))
                and not isinstance(o.value, bool)
                for o in others
            ):
                allowed.update(id(o) for o in operands)
    return all(
        id(node) in allowed
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "elapsed"
    )


def _elapsed(state: ExerciseState) -> int:
    return max(state.last_time, state.moment)


def _elapsed_interval(marks: list[int], state: ExerciseState) -> int:
    return bisect_right(marks, _elapsed(state))


def _variable(name: str, state: ExerciseState) -> object:
    return state.variables.get(name)


def _flag(name: str, state: ExerciseState) -> object:
    return state.flags.get(name)


def _phase(state: ExerciseState) -> object:
    return state.phase


def _parts(scenario: LoadedScenario, condition: Condition) -> tuple[Part, ...]:
    """How to read, from a state, each thing ``condition`` depends on."""
    parts: list[Part] = []
    names: set[str] = set()
    calls: set[str] = set()
    for node in ast.walk(condition.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    calls.add(arg.value)
        elif isinstance(node, ast.Name):
            names.add(node.id)
    variables, flags = scenario.file.variables, scenario.file.flags
    for name in sorted(names):
        if name in flags:  # as ExerciseState.condition_names: a flag wins over a variable
            parts.append(partial(_flag, name))
        elif name in variables:
            parts.append(partial(_variable, name))
        elif name == "phase":
            parts.append(_phase)
        elif name == "elapsed":
            if _elapsed_only_against_constants(condition.tree):
                parts.append(partial(_elapsed_interval, sorted(condition.thresholds)))
            else:
                parts.append(_elapsed)
    for iid in sorted(calls):
        inject = scenario.injects.get(iid)
        keys = [(iid, d.id) for d in inject.decisions] if inject is not None else []

        def part(s: ExerciseState, i: str = iid, k: list[tuple[str, str]] = keys) -> object:
            points = s.points
            return (
                i in s.deliveries or i in s.manual_injects,
                tuple((p.status, p.option) if (p := points.get(key)) else None for key in k),
            )

        parts.append(part)
    return tuple(parts)


_local = threading.local()
_CONSTANTS = {"true": True, "false": False, "True": True, "False": False}


def _evaluate(condition: Condition, state: ExerciseState) -> bool:
    """``conditions.evaluate`` without building a new ``SimpleEval`` each time (its set-up costs
    more than most evaluations): one evaluator per thread, given this state's names and
    functions. Same names, same functions, same failures (``ConditionFailed``)."""
    evaluator: SimpleEval | None = getattr(_local, "evaluator", None)
    if evaluator is None:
        evaluator = _local.evaluator = SimpleEval(names={}, functions={})
    names = state.condition_names()
    for name, value in _CONSTANTS.items():
        names.setdefault(name, value)
    evaluator.names = names
    evaluator.functions = {
        "delivered": state.delivered,
        "decided": state.decided,
        "chose": state.chose,
        "expired": state.expired,
    }
    try:
        return bool(evaluator.eval(condition.text, previously_parsed=condition.tree))
    except (ArithmeticError, TypeError, ValueError):
        return evaluate(condition, state)  # raises ConditionFailed, worded as everywhere else
    finally:
        evaluator.names = evaluator.functions = {}


class ConditionCache:
    """The answers of one scenario's compiled conditions, by stamp (see the module docstring)."""

    def __init__(self, scenario: LoadedScenario) -> None:
        self.scenario = scenario
        self._watched: dict[str, _Watched] = {}

    def holds(self, key: str, state: ExerciseState) -> bool:
        """Whether condition ``key`` holds in ``state``; ``ConditionFailed`` as ``evaluate``."""
        watched = self._watched.get(key)
        if watched is None:
            condition = self.scenario.conditions[key]
            watched = _Watched(condition, _parts(self.scenario, condition), {})
            self._watched[key] = watched
        stamp = tuple([part(state) for part in watched.parts])
        answer = watched.answers.get(stamp)
        if answer is None:
            answer = _evaluate(watched.condition, state)
            if len(watched.answers) >= MAX_STAMPS:
                watched.answers.clear()
            watched.answers[stamp] = answer
        return answer
