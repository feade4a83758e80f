"""The README's two commands are true: the main command works as written, and the test command is
exactly what CI runs.

The main command writes ``demo.db`` and ``reports/`` into the folder it runs in, so the test runs
it in a temporary copy of the files it reads (the bundled scenarios and playthroughs), never in
the checkout itself.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from tests.conftest import REPO, run_cli


def _blocks() -> tuple[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)
    assert len(blocks) >= 2, "the README shows two commands: run the main job, run the tests"
    return blocks[0], blocks[1]


def test_readme_main_command_runs_and_writes_a_report(tmp_path: Path) -> None:
    main, _tests = _blocks()
    steps = [s.strip() for s in main.split("&&")]
    engine_steps = [s for s in steps if s.startswith(".venv/bin/exercise-engine ")]
    assert engine_steps, "the main command runs exercise-engine"
    for folder in ("scenarios", "injects"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    leftovers = [REPO / "reports", REPO / "demo.db"]
    existed = {path: path.exists() for path in leftovers}
    for step in engine_steps:
        args = shlex.split(step)[1:]
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
    html = tmp_path / "reports" / "demo.html"
    assert html.is_file()
    assert "Red lines at Bambari" in html.read_text(encoding="utf-8")
    assert {path: path.exists() for path in leftovers} == existed, "the checkout was written to"


def test_readme_test_command_is_what_ci_runs() -> None:
    """Each step of the README's test command is a command line of ``.ci/run`` (the pytest line
    there may only add environment variables in front), so the README cannot drift from CI."""
    _main, tests = _blocks()
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    bare = [re.sub(r"^(?:[A-Z_]+=\S+\s+)+", "", line) for line in ci_lines]
    steps = [s.strip() for s in tests.split("&&")]
    assert steps[-1] == ".venv/bin/python -m pytest"
    for step in steps:
        assert step in bare, f".ci/run does not run the README's step {step!r}"
    assert '.[test,dev,serve]"' in tests  # the serve tests run in CI, so they run here too
