"""Pre-play the earlier moves of an exercise from a playthrough: ``--start-at`` on run and play.

A course with two hours runs the later moves only. The earlier ones are played from a named
playthrough (a scripted decisions file) on a virtual clock, up to the moment the named phase is
entered. The journal says so honestly: each pre-played decision is recorded by the actor
``playthrough:NAME``, not by a seat, and a ``pre_played`` event marks the boundary, so the
after-action report can list those points as pre-played and score no seat for them.

Called by ``commands/run.py`` and ``commands/play.py``; headless (no Textual, no after-action).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from exercise_engine.clock import VirtualClock
from exercise_engine.engine import next_moment, rules_for
from exercise_engine.errors import ExerciseError
from exercise_engine.exercise import Exercise
from exercise_engine.loading import LoadError
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.loading.playthrough import load_playthrough
from exercise_engine.model import format_duration
from exercise_engine.model.events import Event
from exercise_engine.model.playthrough import Playthrough
from exercise_engine.runtime import advance_clock_to

PREPLAY_SPEED = 3600.0
"""The clock speed while a live exercise is pre-played (``run``): the prelude takes a second or
two of wall time, so the journal's wall times stay those of the room."""

ACTOR_PREFIX = "playthrough:"
"""Pre-played decisions are journalled by ``playthrough:NAME``, never by a seat."""


class StartAtError(ExerciseError):
    """``--start-at`` cannot be honoured: unknown phase, no such playthrough, phase not reached."""


@dataclass(frozen=True)
class StartAt:
    """Where the class starts and which playthrough plays the moves before it."""

    phase: str
    """The phase id the class starts in."""
    name: str
    """The playthrough's name (its file stem), as the journal records it."""
    path: Path
    script: Playthrough


@dataclass
class Prelude:
    """What a pre-play did."""

    at: int = 0
    """Exercise time at which the class starts (the phase was entered)."""
    decisions: int = 0
    """Decisions recorded from the playthrough."""
    refused: list[str] = field(default_factory=list)
    """The playthrough's rows the engine refused (one line each)."""
    events: list[Event] = field(default_factory=list)


def resolve_phase(scenario: LoadedScenario, arg: str) -> str:
    """``arg`` as a phase id: a phase's id, or ``move-N`` (the N-th phase in the file, from 1)."""
    ids = [p.id for p in scenario.file.phases]
    if arg in ids:
        phase = arg
    elif arg.startswith("move-") and arg[5:].isdigit() and 1 <= int(arg[5:]) <= len(ids):
        phase = ids[int(arg[5:]) - 1]
    else:
        moves = ", ".join(f"move-{i + 1} ({p})" for i, p in enumerate(ids))
        raise StartAtError(f"--start-at {arg}: no such phase in {scenario.id!r} (phases: {moves})")
    if phase == scenario.file.start_phase:
        raise StartAtError(
            f"--start-at {arg}: {phase!r} is where {scenario.id!r} starts; there is nothing to"
            " pre-play (leave --start-at out)"
        )
    return phase


def playthroughs_of(scenario_path: Path, scenario: LoadedScenario) -> Path:
    """The folder of a scenario's playthroughs: ``playthroughs/<id>/`` beside the scenario file."""
    return scenario_path.resolve().parent / "playthroughs" / scenario.id


def resolve_playthrough(scenario_path: Path, scenario: LoadedScenario, name: str | None) -> Path:
    """The playthrough file: ``name`` as a path, or as a playthrough of the scenario's folder, or
    (no name) the scenario's ``reference_playthrough``."""
    folder = playthroughs_of(scenario_path, scenario)
    known = sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []
    listing = f" (playthroughs of {scenario.id}: {', '.join(known) or 'none'})"
    if name is None:
        name = scenario.file.reference_playthrough
        if not name:
            raise StartAtError(
                f"{scenario.id!r} names no reference playthrough: give --from-playthrough NAME"
                + listing
            )
    as_path = Path(name)
    if as_path.is_file():
        return as_path
    candidate = folder / f"{name.removesuffix('.toml')}.toml"
    if "/" not in name and candidate.is_file():
        return candidate
    raise StartAtError(f"--from-playthrough {name}: no such playthrough{listing}")


def load_start_at(
    scenario_path: Path, scenario: LoadedScenario, phase_arg: str, name: str | None
) -> StartAt:
    """Check ``--start-at`` and ``--from-playthrough`` before anything is written."""
    phase = resolve_phase(scenario, phase_arg)
    path = resolve_playthrough(scenario_path, scenario, name)
    try:
        script, _source = load_playthrough(path, scenario)
    except LoadError as exc:
        first = str(exc.problems.errors[0]) if exc.problems.errors else "does not load"
        raise StartAtError(f"--from-playthrough {path}: {first}") from None
    start = StartAt(phase, path.stem, path, script)
    _dry_run(scenario, start)
    return start


def _dry_run(scenario: LoadedScenario, start: StartAt) -> None:
    """Pre-play into a scratch journal first, so a playthrough that does not reach the phase is
    refused before the real journal exists (no half-made exercise is left behind)."""
    with tempfile.TemporaryDirectory(prefix="exercise-engine-start-at-") as tmp:
        clock = VirtualClock(0.0)
        exercise = Exercise.create(Path(tmp) / "dry.db", scenario, clock, speed=PREPLAY_SPEED)
        try:
            pre_play(exercise, clock, start)
        finally:
            exercise.close()


def pre_play(exercise: Exercise, clock: VirtualClock, start: StartAt) -> Prelude:
    """Play ``start.script`` until ``start.phase`` is entered, then journal the boundary.

    Decisions are recorded as the playthrough's (actor ``playthrough:NAME``); its advice and notes
    are left out (no seat gave them). Rows due once the phase is entered are the class's and are
    not played. Raises :class:`StartAtError` when the scenario ends or stalls before the phase.
    """
    result = Prelude()
    seen = result.events
    if exercise.state.status == "draft":
        seen += exercise.open_briefing()
    if exercise.state.status == "briefing":
        seen += exercise.start()
    rules = rules_for(exercise.scenario)
    rows = sorted(enumerate(start.script.decision), key=lambda r: (r[1].at, r[0]))
    actor = f"{ACTOR_PREFIX}{start.name}"
    while exercise.state.phase != start.phase:
        state = exercise.state
        if state.status != "running":
            ended = f"ended ({state.ending})" if state.ending else state.status
            raise StartAtError(
                f"playthrough {start.name!r} does not reach phase {start.phase!r}: the exercise"
                f" {ended} in phase {state.phase!r} at {format_duration(state.last_time)}"
            )
        now = exercise.now()
        moment = next_moment(rules, state, now)
        row_at = rows[0][1].at if rows else None
        due = [t for t in (moment, row_at) if t is not None]
        if not due:
            raise StartAtError(
                f"playthrough {start.name!r} does not reach phase {start.phase!r}: nothing more"
                f" happens after {format_duration(now)} in phase {state.phase!r}"
            )
        seen += advance_clock_to(exercise, clock, max(now, min(due)))
        if exercise.state.phase == start.phase or exercise.state.status != "running":
            continue
        while rows and rows[0][1].at <= exercise.now():
            index, row = rows.pop(0)
            outcome = exercise.decide(
                role=row.role,
                inject=row.inject,
                decision=row.decision,
                option=row.option,
                rationale=row.rationale,
                actor=actor,
            )
            seen += outcome.events
            if outcome.accepted:
                result.decisions += 1
            else:
                result.refused.append(
                    f"{start.path.name}: decision[{index}] ({row.inject}/{row.decision}) refused:"
                    f" {outcome.reason}"
                )
            seen += exercise.tick()
            if exercise.state.phase == start.phase:
                break
    result.at = exercise.now()
    payload = {
        "playthrough": start.name,
        "file": start.path.name,
        "phase": start.phase,
        "decisions": result.decisions,
    }
    seen += exercise.mark_pre_played(payload)
    return result
