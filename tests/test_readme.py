"""The README's main command works as written (its exercise-engine steps, run from the checkout)."""

from __future__ import annotations

import re
import shlex
import shutil

from tests.conftest import REPO, run_cli


def test_readme_main_command_runs_and_writes_a_report() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)
    assert len(blocks) >= 2, "the README shows two commands: run the main job, run the tests"
    main, tests = blocks[0], blocks[1]
    assert "pytest" in tests
    steps = [s.strip() for s in main.split("&&")]
    engine_steps = [s for s in steps if s.startswith(".venv/bin/exercise-engine ")]
    assert engine_steps, "the main command runs exercise-engine"
    try:
        for step in engine_steps:
            args = shlex.split(step)[1:]
            result = run_cli(*args)
            assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
        assert (REPO / "reports" / "demo.html").is_file()
    finally:
        for leftover in ("demo.db", "demo.db-wal", "demo.db-shm"):
            (REPO / leftover).unlink(missing_ok=True)
        shutil.rmtree(REPO / "reports", ignore_errors=True)
