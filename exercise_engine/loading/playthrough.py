"""Load a scripted decisions file and check every row against the scenario before play starts.

A row that names an unknown inject, decision point, option or a role not in play is reported with
its file and line, and nothing is played: a facilitator fixes the file, not a half-played journal.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.loading.problems import (
    LoadError,
    Problems,
    SourceFile,
    pydantic_problems,
    suggest,
)
from exercise_engine.loading.tomlfile import load_toml
from exercise_engine.model.playthrough import Playthrough, ScriptedAdvice, ScriptedDecision


def load_playthrough(path: Path, scenario: LoadedScenario) -> tuple[Playthrough, SourceFile]:
    """The decisions file at ``path`` (and its text, for row lines), checked against ``scenario``."""
    problems = Problems()
    loaded = load_toml(path, problems)
    if loaded is None:
        raise LoadError(problems)
    data, source = loaded
    try:
        script = Playthrough.model_validate(data)
    except ValidationError as exc:
        pydantic_problems(problems, source, exc, Playthrough)
        raise LoadError(problems) from None
    rows: list[tuple[str, int, ScriptedDecision | ScriptedAdvice, str | None]]
    rows = [("decision", i, d, d.option) for i, d in enumerate(script.decision)]
    rows += [("advice", i, a, a.recommend) for i, a in enumerate(script.advice)]
    for table, i, row, option in rows:
        base = (table, i)
        if row.role not in scenario.roles:
            problems.add(
                source,
                (*base, "role"),
                f"role {row.role!r} is not in play in {scenario.id!r}{suggest(row.role, scenario.roles)}",
            )
        inject = scenario.injects.get(row.inject)
        if inject is None:
            problems.add(
                source,
                (*base, "inject"),
                f"unknown inject {row.inject!r}{suggest(row.inject, scenario.injects)}",
            )
            continue
        point = scenario.decision_point(row.inject, row.decision)
        if point is None:
            ids = [d.id for d in inject.decisions]
            problems.add(
                source,
                (*base, "decision"),
                f"inject {row.inject!r} has no decision point {row.decision!r}{suggest(row.decision, ids)}",
            )
            continue
        if option is not None and scenario.option(row.inject, row.decision, option) is None:
            ids = [o.id for o in point.options]
            key = "option" if table == "decision" else "recommend"
            problems.add(
                source,
                (*base, key),
                f"{row.inject}/{row.decision} has no option {option!r}{suggest(option, ids)}",
            )
    for key in ("delivered", "not_delivered"):
        for n, iid in enumerate(getattr(script.expect, key)):
            if iid not in scenario.injects:
                problems.add(
                    source,
                    ("expect", key, n),
                    f"unknown inject {iid!r}{suggest(iid, scenario.injects)}",
                )
    ending = script.expect.ending
    endings = [scenario.ending_id(i) for i in range(len(scenario.file.end))]
    if ending is not None and ending not in endings:
        problems.add(
            source,
            ("expect", "ending"),
            f"unknown ending {ending!r}{suggest(ending, endings)} (endings: {', '.join(endings) or 'none'})",
        )
    if problems.errors:
        raise LoadError(problems)
    return script, source
