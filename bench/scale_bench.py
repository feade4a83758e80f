"""Benchmark: does the engine scale? (issue 15, part A). One command, every figure.

Prints CPU seconds and wall seconds for each step, as its own process (so the figures include
Python's start-up and imports, as a facilitator sees them), beside the floor: ``tomllib`` parsing
the same files in a process of its own.

- validate a generated 1,000-inject, 300-decision-point scenario       goal <= 0.5 s
- play it headless with a decisions file (150 decisions, 150 expiries)  goal <= 1 s
- the after-action report of that exercise (html)                       goal <= 0.5 s
- fold 100,000 events (read the journal + fold, in one process)         goal <= 0.5 s
- lint of each bundled scenario                                         goal <= 5 s CPU each
- the curve: play at 100 / 1,000 / 10,000 injects (must not bend upwards: CPU per inject flat)

The machine is shared: read the CPU column, the wall column moves with the load.
Run: ``.venv/bin/python bench/scale_bench.py`` (``--quick`` skips lint and the 10,000 point).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import big_playthrough, big_scenario  # noqa: E402

GOALS = {"validate": 0.5, "play": 1.0, "report": 0.5, "fold": 0.5, "lint": 5.0}

FOLD = """
import sys, time
from exercise_engine.clock import SystemClock
from exercise_engine.engine import fold
from exercise_engine.exercise import Exercise
ex = Exercise.open(sys.argv[1], SystemClock(), read_only=True)
cpu, wall = time.process_time(), time.perf_counter()
events = ex.journal.events()
state = fold(ex.scenario, events)
print(f"{len(events)} {time.process_time() - cpu:.3f} {time.perf_counter() - wall:.3f}")
"""

PAD = """
import sys, time
from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
from exercise_engine.model.events import Draft
ex = Exercise.open(sys.argv[1], SystemClock())
total = int(sys.argv[2])
have = ex.journal.count()
batch = [Draft("facilitator_note", ex.state.last_time, "facilitator", None, {"text": f"note {n}"})
         for n in range(1000)]
while have < total:
    have += len(ex.journal.append(batch[: min(1000, total - have)], time.time()))
ex.close()
"""


def measure(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run ``args`` as a process: (CPU seconds, wall seconds, the finished process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done


def cli(*args: str) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    return measure([sys.executable, "-m", "exercise_engine", *args])


def floor(*files: Path) -> float:
    """CPU seconds of a process that only imports tomllib and parses ``files``."""
    code = "import sys, tomllib\nfor f in sys.argv[1:]:\n    tomllib.load(open(f, 'rb'))"
    cpu, _wall, _ = measure([sys.executable, "-c", code, *map(str, files)])
    return cpu


def line(name: str, cpu: float, wall: float, goal: float | None, base: float | None) -> None:
    verdict = ""
    if goal is not None:
        verdict = f"goal <= {goal:g} s CPU: {'met' if cpu <= goal else 'MISSED'}"
    extra = f"  (tomllib floor {base:.2f} s)" if base is not None else ""
    print(f"  {name:<34} CPU {cpu:6.2f} s  wall {wall:6.2f} s  {verdict}{extra}", flush=True)


def check(done: subprocess.CompletedProcess[str], ok: tuple[int, ...] = (0,)) -> None:
    if done.returncode not in ok:
        print(f"    (exit {done.returncode}) {done.stderr.strip().splitlines()[-1:]}")


def play_at(tmp: Path, injects: int, tag: str = "") -> tuple[Path, Path, Path, float, float]:
    folder = tmp / f"s{injects}{tag}"
    scenario = big_scenario(folder, injects, injects * 3 // 10)
    decisions = big_playthrough(folder, scenario)
    db = folder / "big.db"
    cpu, wall, done = cli(
        "play", str(scenario), "--decisions", str(decisions), "--exercise", str(db)
    )
    check(done)
    return scenario, decisions, db, cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip lint and 10,000 injects")
    parser.add_argument(
        "--only", choices=("core", "curve", "lint"), help="one part: core figures, curve, lint"
    )
    args = parser.parse_args()
    quick, only = args.quick, args.only
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if only in (None, "core"):
            core(tmp)
        if only in (None, "curve"):
            curve(tmp, (100, 1000) if quick else (100, 1000, 10_000))
        if only in (None, "lint") and not quick:
            lint()


def core(tmp: Path) -> None:
    """validate, play, report and fold at 1,000 injects / 300 decision points."""
    print("1,000 injects, 300 decision points (each figure: one process, imports included)")
    scenario, decisions, db, play_cpu, play_wall = play_at(tmp, 1000)
    cpu, wall, done = cli("validate", str(scenario))
    check(done)
    line("validate", cpu, wall, GOALS["validate"], floor(scenario))
    line(
        "play (150 decided, 150 expire)",
        play_cpu,
        play_wall,
        GOALS["play"],
        floor(scenario, decisions),
    )
    cpu, wall, done = cli("report", str(db), "--format", "html", "--out", str(tmp / "report.html"))
    check(done)
    line("report (html)", cpu, wall, GOALS["report"], None)

    measure([sys.executable, "-c", PAD, str(db), "100000"])
    _cpu, _wall, done = measure([sys.executable, "-c", FOLD, str(db)])
    check(done)
    count, fold_cpu, fold_wall = done.stdout.split()
    line(
        f"fold {int(count):,} events (read+fold)",
        float(fold_cpu),
        float(fold_wall),
        GOALS["fold"],
        None,
    )


def curve(tmp: Path, sizes: tuple[int, ...]) -> None:
    """play at each size: CPU per 1,000 injects must stay flat (linear), not grow."""
    print("the curve: play at n injects (0.3 n decision points)")
    for n in sizes:
        scen, dec, _db, cpu, wall = play_at(tmp, n, "curve")
        tom = floor(scen, dec)
        print(
            f"  {n:>6} injects  CPU {cpu:6.2f} s  wall {wall:6.2f} s  "
            f"tomllib floor {tom:5.2f} s  CPU per 1,000 injects above the floor "
            f"{(cpu - tom) / n * 1000:6.3f} s",
            flush=True,
        )


def lint() -> None:
    """lint of each bundled scenario, every path explored where it can be."""
    print("lint of each bundled scenario")
    from exercise_engine.commands.scenarios import bundled_scenario_files

    for path in bundled_scenario_files():
        cpu, wall, done = cli("lint", path.stem, "--no-progress", "-q")
        check(done, (0, 1))
        how = next((x for x in done.stdout.splitlines() if "run(s)" in x), "").strip()
        line(f"lint {path.stem}", cpu, wall, GOALS["lint"], floor(path))
        if how:
            print(f"    {how}")


if __name__ == "__main__":
    main()
