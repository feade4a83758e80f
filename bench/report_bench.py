"""Benchmark: the after-action report of a 1,000-inject, 300-decision-point exercise.

Target (issue 7): the report in <= 1 s. The exercise is the generated big scenario played on a
virtual clock with a decision (and a rationale) at every other point and expiries for the rest.
Run: ``.venv/bin/python bench/report_bench.py``
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import big_scenario

from after_action.assessment import assess
from after_action.report import render_report
from exercise_engine.clock import SystemClock, VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_scenario
from exercise_engine.runtime import advance_clock_to, run_to_end


def played(tmp: Path) -> Path:
    scenario = load_scenario(big_scenario(tmp / "scn"))
    clock = VirtualClock(time.time())
    db = tmp / "big.db"
    ex = Exercise.create(db, scenario, clock, speed=60.0)
    ex.open_briefing()
    ex.start()
    points = [(i, p) for i, p in scenario.decision_points()]
    for n, (inject, point) in enumerate(points):
        due = inject.at if inject.at is not None else None
        if due is None or n % 2:
            continue
        advance_clock_to(ex, clock, due + 60)
        ex.decide(
            role=point.role,
            inject=inject.id,
            decision=point.id,
            option="a",
            rationale="A timely decision, taken on time.",
        )
    run_to_end(ex, clock)
    ex.close()
    return db


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        db = played(Path(name))
        exercise = Exercise.open(db, SystemClock())
        points = len(exercise.state.points)
        start = time.perf_counter()
        assessment = assess(exercise)
        scored = time.perf_counter() - start
        timings = {}
        for fmt in ("md", "html", "json"):
            start = time.perf_counter()
            render_report(assessment, exercise.scenario, fmt)
            timings[fmt] = time.perf_counter() - start
        print(
            f"report: {len(exercise.scenario.injects)} injects, {points} decision points, {exercise.state.event_count} events"
        )
        print(f"  assess (score every decision, roll up) {scored:.3f} s")
        for fmt, seconds in timings.items():
            print(
                f"  render {fmt:4} {seconds:.3f} s   total {scored + seconds:.3f} s   target <= 1 s"
            )


if __name__ == "__main__":
    main()
