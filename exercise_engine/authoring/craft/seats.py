"""Seats (lint check 5): every seat decides, and consulted seats can see the question.

- A seat in play that is asked to decide **fewer than** :data:`MIN_DECISIONS` **times on some
  path** sits idle through part of the exercise; lint names the path (the bot's choices) on which
  it decides least. Seats with no decision point at all are already reported under "Roles".
- A seat in a point's ``consult`` list that does **not receive the inject** behind the question
  advises blind: its console shows the open question but not the message. That can be intended
  (the decider briefs it), so it is reported as info, not as a warning.
"""

from __future__ import annotations

from collections import Counter

from exercise_engine.authoring.explore import Run
from exercise_engine.authoring.finding import Finding
from exercise_engine.authoring.locate import Locator
from exercise_engine.loading.loaded import LoadedScenario

MIN_DECISIONS = 2
"""Each seat should be asked to decide at least this often on every path."""


def check_seats(scenario: LoadedScenario, runs: list[Run], locate: Locator) -> list[Finding]:
    """Seats asked too rarely on some path; consulted seats outside the inject's audience."""
    findings: list[Finding] = []
    owners = {point.role for _i, point in scenario.decision_points()}
    asked = [Counter(p.role for p in r.points.values()) for r in runs]
    for role in scenario.roles:
        if role not in owners or not runs:
            continue  # "never decides" is reported under Roles
        fewest, index = min((counts[role], n) for n, counts in enumerate(asked))
        run = runs[index]
        if fewest < MIN_DECISIONS:
            stalled = sum(counts[role] < MIN_DECISIONS for counts in asked)
            findings.append(
                Finding(
                    "seats",
                    f"seat {role!r} is asked to decide only {fewest} time(s) on some path "
                    f"({stalled} of {len(runs)} run(s) ask it fewer than {MIN_DECISIONS} times; "
                    f"ending {run.ending or '(none)'})",
                    locate.role(role),
                    "warning",
                    role,
                    (f"path: {run.path()}",),
                )
            )
    for inject, point in scenario.decision_points():
        audience = set(scenario.audience(inject))
        for role in point.consult:
            if role in scenario.roles and role not in audience:
                findings.append(
                    Finding(
                        "seats",
                        f"{inject.id}/{point.id}: consulted seat {role!r} does not receive "
                        f"{inject.id!r}, the inject behind the question (it can be intended: "
                        "the decider briefs it; else add it to `to` or a variant)",
                        locate.point(inject.id, point.id, "consult"),
                        "info",
                        f"{inject.id}/{point.id}/{role}",
                    )
                )
    return findings
