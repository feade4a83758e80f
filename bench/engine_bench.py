"""Benchmarks of the engine and journal (issue 3 targets).

- fold of 100,000 events                                  target <= 2 s
- inject lateness on a real clock at speed 60, p99        target <= 100 ms
- a decision appended in one process, seen in another, p99 target <= 300 ms
- resume (open + replay + recover) of a 10,000-event exercise after kill -9   target <= 1 s

Run: ``.venv/bin/python bench/engine_bench.py`` (about a minute; prints figures, asserts nothing).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import big_scenario

from exercise_engine.clock import SystemClock, VirtualClock
from exercise_engine.engine import fold
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_scenario
from exercise_engine.model.events import Draft


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def journal_with(tmp: Path, name: str, total: int) -> Path:
    """An exercise of the big scenario played on a virtual clock, padded with notes to ``total``."""
    scenario = load_scenario(big_scenario(tmp / "scn"))
    clock = VirtualClock(time.time())
    db = tmp / name
    ex = Exercise.create(db, scenario, clock, speed=60.0)
    ex.open_briefing()
    ex.start()
    clock.advance(30)  # 30 exercise minutes
    ex.tick()
    have = ex.journal.count()
    batch = [
        Draft("facilitator_note", ex.state.last_time, "facilitator", None, {"text": f"note {n}"})
        for n in range(1000)
    ]
    while have < total:
        events = ex.journal.append(batch[: min(1000, total - have)], clock.now())
        have += len(events)
    ex.close()
    return db


def bench_fold(tmp: Path) -> None:
    db = journal_with(tmp, "fold.db", 100_000)
    ex = Exercise.open(db, SystemClock())
    start = time.perf_counter()
    events = ex.journal.events()
    read = time.perf_counter() - start
    start = time.perf_counter()
    fold(ex.scenario, events)
    folded = time.perf_counter() - start
    print(
        f"fold: {len(events)} events: read {read:.2f} s + fold {folded:.2f} s = {read + folded:.2f} s   target <= 2 s"
    )


def bench_lateness(tmp: Path) -> None:
    text = [
        'id = "late"\ntitle = "Late"\nroles = ["hom"]\nstart_phase = "one"\n[clock]\nstart = "2014-10-07T05:00"\nspeed = 60\n',
        '[[phases]]\nid = "one"\ntitle = "One"\n',
    ]
    for n in range(1, 200):
        secs = n * 10
        text.append(
            f'[[inject]]\nid = "i{n}"\ntitle = "t"\nat = "{secs // 3600:02d}:{secs % 3600 // 60:02d}:{secs % 60:02d}"\n'
            'channel = "report"\nsender = "x"\nto = "all"\nbody = "b"\n'
        )
    path = tmp / "late.toml"
    path.write_text("\n".join(text))
    scenario = load_scenario(path)
    ex = Exercise.create(tmp / "late.db", scenario, SystemClock(), speed=60.0)
    ex.open_briefing()
    ex.start()
    anchor_wall, anchor_t = ex.state.anchor_wall, ex.state.elapsed
    assert anchor_wall is not None
    late: list[float] = []
    deadline = time.time() + 25
    while time.time() < deadline and len(ex.state.deliveries) < 140:
        for event in ex.tick():
            if event.kind == "inject_delivered":
                due_wall = anchor_wall + (event.payload["due"] - anchor_t) / 60.0
                late.append((event.wall_time - due_wall) * 1000)
        time.sleep(0.02)
    ex.close()
    print(
        f"inject lateness at speed 60 (tick every 20 ms): {len(late)} deliveries, "
        f"p50 {pct(late, 50):.0f} ms, p99 {pct(late, 99):.0f} ms, max {max(late):.0f} ms   target p99 <= 100 ms"
    )


WRITER = """
import sys, time
from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
ex = Exercise.open(sys.argv[1], SystemClock())
for n in range(int(sys.argv[2])):
    ex.note(f"{time.time()!r}")
    time.sleep(0.01)
"""


def bench_visibility(tmp: Path) -> None:
    db = journal_with(tmp, "vis.db", 100)
    samples = 200
    reader = Exercise.open(db, SystemClock())
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(samples)])
    seen: list[float] = []
    deadline = time.time() + 60
    while len(seen) < samples and time.time() < deadline:
        for event in reader.poll():
            if event.kind == "facilitator_note" and not event.payload["text"].startswith("note"):
                seen.append((time.time() - float(event.payload["text"])) * 1000)
        time.sleep(0.05)  # a console polls a few times a second
    writer.wait()
    print(
        f"cross-process visibility (reader polls every 50 ms): {len(seen)} decisions, "
        f"p50 {pct(seen, 50):.0f} ms, p99 {pct(seen, 99):.0f} ms   target p99 <= 300 ms"
    )


RESUME = """
import sys, time
start = time.perf_counter()
from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
ex = Exercise.open(sys.argv[1], SystemClock())
ex.recover()
print(f"{time.perf_counter() - start:.3f} {ex.state.event_count} {ex.state.status}")
"""

KEEP_RUNNING = """
import sys, time
from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
ex = Exercise.open(sys.argv[1], SystemClock())
ex.resume()
print("running", flush=True)
while True:
    ex.tick(); time.sleep(0.05)
"""


def bench_resume(tmp: Path) -> None:
    db = journal_with(tmp, "resume.db", 10_000)
    ex = Exercise.open(db, SystemClock())
    ex.pause()
    ex.close()
    proc = subprocess.Popen(
        [sys.executable, "-c", KEEP_RUNNING, str(db)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    time.sleep(0.5)
    proc.kill()
    proc.wait()
    times = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", RESUME, str(db)], capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(out[0]))
    print(
        f"resume after kill -9: {out[1]} events, open + replay + recover median {statistics.median(times):.3f} s (including imports)   target <= 1 s"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bench_fold(tmp)
        bench_resume(tmp)
        bench_visibility(tmp)
        bench_lateness(tmp)


if __name__ == "__main__":
    main()
