"""Flags and variables that go nowhere (lint check 1) and effects that never bite (check 6).

A flag an option sets matters only if something reads it: a transition, an ending, an inject's
``when`` (or any other condition the scenario compiles). A name a condition reads but nothing ever
changes is frozen at its initial value, so the condition is decided before play starts: that is
an error. Variables are on the facilitator's gauges and in the report's table, but participants
never see gauges: a variable no condition reads is shown to the room nowhere. When options move
such a variable a lot, the choices that move it cost nothing — the "static security never costs
anything" fault — and lint says so apart (check 6).
"""

from __future__ import annotations

from collections import defaultdict

from exercise_engine.authoring.craft.outcomes import Offered, offered
from exercise_engine.authoring.finding import Finding
from exercise_engine.authoring.locate import Locator
from exercise_engine.authoring.refs import condition_names
from exercise_engine.loading.loaded import LoadedScenario

BITE_SHARE = 0.25
"""A variable moves "a lot" when its points together can move it by a quarter of its range."""


def _readers(scenario: LoadedScenario) -> dict[str, list[str]]:
    """Name to the keys of the conditions that read it, in the scenario's order."""
    readers: dict[str, list[str]] = defaultdict(list)
    for key, condition in scenario.conditions.items():
        for name in condition_names(condition):
            if key not in readers[name]:
                readers[name].append(key)
    return readers


def _describe_reader(key: str) -> str:
    kind, _, rest = key.partition(":")
    if kind == "transition":
        return f"transition {int(rest) + 1}"
    if kind == "end":
        return f"ending {int(rest) + 1}"
    if kind == "inject":
        return f"inject {rest!r}"
    return key


def _names(items: list[str], most: int = 3) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")


def check_state(scenario: LoadedScenario, locate: Locator) -> list[Finding]:
    """Check 1 (kind ``state``) and check 6 (kind ``bite``)."""
    readers = _readers(scenario)
    flag_setters: dict[str, list[Offered]] = defaultdict(list)
    var_movers: dict[str, list[Offered]] = defaultdict(list)
    for item in offered(scenario):
        for name in item.outcome.set:
            if name in scenario.file.flags:
                flag_setters[name].append(item)
            else:
                var_movers[name].append(item)
        for name in item.outcome.effects:
            var_movers[name].append(item)
    findings: list[Finding] = []
    for name, initial in scenario.file.flags.items():
        setters = flag_setters.get(name, [])
        if setters and name not in readers:
            first = setters[0]
            findings.append(
                Finding(
                    "state",
                    f"flag {name!r} is set by {_names([s.name for s in setters])} but no "
                    "condition, ending, variant or inject reads it: setting it changes nothing",
                    locate.option(first.inject.id, first.point.id, first.option, "set"),
                    "warning",
                    name,
                )
            )
        if name in readers and not setters:
            keys = readers[name]
            findings.append(
                Finding(
                    "state",
                    f"never set: flag {name!r} is read by "
                    f"{_names([_describe_reader(k) for k in keys])} "
                    f"but no option or expiry sets it: it stays {str(bool(initial)).lower()} "
                    "and the condition is settled before play starts",
                    locate.condition(keys[0]),
                    "error",
                    name,
                )
            )
    for name, variable in scenario.file.variables.items():
        movers = var_movers.get(name, [])
        if name in readers and not movers:
            keys = readers[name]
            findings.append(
                Finding(
                    "state",
                    f"never changed: variable {name!r} is read by "
                    f"{_names([_describe_reader(k) for k in keys])} "
                    f"but no option or expiry changes it: it stays at {variable.initial:g} and "
                    "the condition is settled before play starts",
                    locate.condition(keys[0]),
                    "error",
                    name,
                )
            )
        if movers and name not in readers:
            findings.append(_unread_variable(scenario, locate, name, movers))
    return findings


def _reach(scenario: LoadedScenario, name: str, movers: list[Offered]) -> tuple[float, list[str]]:
    """How far the points together can move ``name`` (the largest move of each point, summed),
    and the points in order of their largest move."""
    initial = scenario.file.variables[name].initial
    per_point: dict[str, float] = {}
    for item in movers:
        key = f"{item.inject.id}/{item.point.id}"
        delta = abs(item.outcome.effects.get(name, 0))
        if name in item.outcome.set:
            delta = max(delta, abs(float(item.outcome.set[name]) - initial))
        per_point[key] = max(per_point.get(key, 0.0), delta)
    ordered = sorted(per_point, key=lambda k: -per_point[k])
    return sum(per_point.values()), [f"{k} ({per_point[k]:g})" for k in ordered]


def _unread_variable(
    scenario: LoadedScenario, locate: Locator, name: str, movers: list[Offered]
) -> Finding:
    variable = scenario.file.variables[name]
    reach, points = _reach(scenario, name, movers)
    span = variable.max - variable.min
    where = locate.variable(name)
    if reach >= BITE_SHARE * span:
        return Finding(
            "bite",
            f"variable {name!r} ({variable.label}) can move by {reach:g} "
            f"({round(100 * reach / span)}% of its range) through {len(points)} point(s), "
            f"but no ending or condition reads it: the choices that move it cost nothing "
            f"(largest: {_names(points)})",
            where,
            "warning",
            name,
        )
    return Finding(
        "state",
        f"variable {name!r} ({variable.label}) is changed by {_names([m.name for m in movers])} "
        "but no condition, ending or inject reads it: only the facilitator's gauge and the "
        "report's table show it, the room never feels it",
        where,
        "warning",
        name,
    )
