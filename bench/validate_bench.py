"""Benchmark: validating a 1,000-inject, 300-decision-point scenario; CLI start-up time.

Targets (issue 2): validation <= 1 s; ``exercise-engine --help`` <= 0.3 s.
Run: ``.venv/bin/python bench/validate_bench.py``
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


def main() -> None:
    from exercise_engine.loading import Problems, check_scenario, load_catalogue, load_roles

    with tempfile.TemporaryDirectory() as tmp:
        path = big_scenario(Path(tmp))
        cold = time.perf_counter()
        problems = Problems()
        scenario = check_scenario(path, problems)
        cold = time.perf_counter() - cold
        assert scenario is not None, [str(p) for p in problems.errors][:5]
        load_catalogue()
        load_roles()
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            check_scenario(path, Problems())
            warm.append(time.perf_counter() - start)
        points = sum(len(i.decisions) for i in scenario.injects.values())
        print(f"validate: {len(scenario.injects)} injects, {points} decision points")
        print(f"  first run (incl. catalogue): {cold:.3f} s   target <= 1 s")
        print(f"  warm runs: median {statistics.median(warm):.3f} s, max {max(warm):.3f} s")
        cli = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "exercise_engine", "validate", str(path)],
                capture_output=True,
                check=True,
            )
            cli.append(time.perf_counter() - start)
        print(f"  `exercise-engine validate` as a process: median {statistics.median(cli):.3f} s")
    help_times = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "exercise_engine", "--help"], capture_output=True, check=True
        )
        help_times.append(time.perf_counter() - start)
    print(
        f"`exercise-engine --help`: median {statistics.median(help_times):.3f} s, max {max(help_times):.3f} s   target <= 0.3 s"
    )


if __name__ == "__main__":
    main()
