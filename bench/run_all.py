"""Run every benchmark and print its figures: ``.venv/bin/python bench/run_all.py``.

Benchmarks are measurements, not tests: they print figures against the issue targets and never
fail the build. Each file can also be run on its own.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    for name in sorted(p.name for p in HERE.glob("*_bench.py")):
        print(f"== {name}", flush=True)
        runpy.run_path(str(HERE / name), run_name="__main__")
