"""The engine core is headless: importing it must not load Textual (STYLE habit 1).

Checked in a fresh subprocess so that nothing else in the test session has imported Textual first.
"""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "exercise_engine.model",
    "exercise_engine.loading",
    "exercise_engine.conditions",
    "exercise_engine.clock",
    "exercise_engine.engine",
    "exercise_engine.journal",
    "exercise_engine.exercise",
    "exercise_engine.runtime",
    "exercise_engine.record",
    "exercise_engine.cli",
    "after_action",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "from exercise_engine.loading import load_scenario\n"
        + "load_scenario('scenarios/tutorial.toml')\n"
        + "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_help_is_import_light() -> None:
    """``exercise-engine --help`` must not pay for pydantic, Textual or the catalogue."""
    code = (
        "import sys\n"
        "from exercise_engine.cli import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = [m for m in ('textual', 'pydantic', 'simpleeval', 'transitions') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
