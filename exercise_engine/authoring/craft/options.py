"""School solutions and label tells (lint check 2).

A decision point is a dilemma only if its best option costs something too. Two faults make a
point a quiz instead:

- a **school solution**: the best option by evidence carries no negative evidence and no cost in
  its effects (no variable moved the wrong way, no breach), while every other option does (a
  best option without a downside where some other option is free too is reported as info);
- a **label tell**: the best option is also the one with the longest label. Experienced
  participants spot this within a move, so lint counts, per scenario, the share of points where
  it happens and warns above :data:`TELL_SHARE`, listing the points.

"Best by evidence" is the option whose evidence weights sum highest, as the after-action's
regret scoring ranks them; a point whose top sum is shared has no single best option and is left
out of both checks.
"""

from __future__ import annotations

from exercise_engine.authoring.finding import Finding
from exercise_engine.authoring.locate import Locator
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model import DecisionPoint, Option

TELL_SHARE = 0.40
"""Warn when the best option has the longest label at more than this share of the points."""


def costs(scenario: LoadedScenario, option: Option) -> list[str]:
    """What the option costs: negative evidence, variables moved the wrong way, a breach."""
    out = [f"{cid} {w:+d}" for cid, w in option.evidence.items() if w < 0]
    variables = scenario.file.variables
    changes = dict(option.effects)
    for name, value in option.set.items():
        if name in variables and not isinstance(value, bool):
            changes.setdefault(name, float(value) - variables[name].initial)
    for name, delta in changes.items():
        variable = variables.get(name)
        if variable is None or delta == 0:
            continue
        if (delta < 0) == (variable.good == "high"):
            out.append(f"{name} {delta:+g}")
    breach = getattr(option, "breach", None)
    if breach:
        out.append("a breach")
    return out


def best_option(point: DecisionPoint) -> Option | None:
    """The option whose evidence sums highest; None when the top sum is shared or there is
    only one option."""
    if len(point.options) < 2:
        return None
    sums = [sum(o.evidence.values()) for o in point.options]
    top = max(sums)
    if sums.count(top) > 1:
        return None
    return point.options[sums.index(top)]


def _free_best(
    scenario: LoadedScenario,
    locate: Locator,
    name: str,
    iid: str,
    pid: str,
    best: Option,
    others: list[Option],
) -> Finding:
    """A best option with no downside: a warning when every other option has one (a school
    solution), info otherwise (the point is easy rather than a quiz, but still has no price)."""
    where = locate.option(iid, pid, best.id)
    priced = [o for o in others if costs(scenario, o)]
    if len(priced) == len(others):
        return Finding(
            "school",
            f"school solution: {name}: the best option {best.id!r} costs nothing (no negative "
            "evidence, no variable moved the wrong way) while every other option does ("
            + "; ".join(f"{o.id}: {costs(scenario, o)[0]}" for o in others)
            + ")",
            where,
            "warning",
            name,
        )
    return Finding(
        "school",
        f"no downside: {name}: the best option {best.id!r} costs nothing (no negative evidence, "
        "no variable moved the wrong way); give it its real price",
        where,
        "info",
        name,
    )


def check_options(scenario: LoadedScenario, locate: Locator) -> list[Finding]:
    """School solutions per point, then the scenario's share of label tells."""
    findings: list[Finding] = []
    tells: list[str] = []
    ranked = 0
    for inject, point in scenario.decision_points():
        best = best_option(point)
        if best is None:
            continue
        ranked += 1
        name = f"{inject.id}/{point.id}"
        others = [o for o in point.options if o is not best]
        if not costs(scenario, best):
            findings.append(_free_best(scenario, locate, name, inject.id, point.id, best, others))
        lengths = [len(o.label) for o in point.options]
        if len(best.label) == max(lengths) and lengths.count(max(lengths)) == 1:
            tells.append(
                f"{locate.option(inject.id, point.id, best.id, 'label')}: {name}: {best.id!r}"
            )
    if ranked and len(tells) / ranked > TELL_SHARE:
        findings.append(
            Finding(
                "school",
                f"label tell: at {len(tells)} of {ranked} point(s) "
                f"({round(100 * len(tells) / ranked)}%, above {round(100 * TELL_SHARE)}%) the "
                "best option also has the longest label: even out the labels at these points",
                locate.top("id"),
                "warning",
                scenario.id,
                tuple(tells),
            )
        )
    return findings
