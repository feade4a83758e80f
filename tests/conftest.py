"""Shared fixtures: paths to the repository's data and a helper to run the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo() -> Path:
    return REPO


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``exercise-engine`` as a subprocess, the way a facilitator does."""
    return subprocess.run(
        [sys.executable, "-m", "exercise_engine", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        timeout=120,
    )
