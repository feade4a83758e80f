"""After a non-editable ``pip install .`` the bundled scenarios, inject library, catalogue and
roles are found from any directory (they ship inside the wheel, not only in the source tree).

Building the wheel needs its build backend (hatchling) from a package index. The test fetches it
first, with a short timeout; offline it is skipped with that reason instead of failing after
minutes of retries. The build then uses only what was fetched (``--no-index``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _fetch_build_backend(folder: Path) -> None:
    """Download hatchling and its dependencies into ``folder``, or skip: no index reachable."""
    try:
        fetched = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--timeout",
                "5",
                "--retries",
                "0",
                "--dest",
                str(folder),
                "hatchling>=1.25",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.skip("no package index answered within 120 s: cannot fetch hatchling to build")
    if fetched.returncode != 0:
        last = (fetched.stderr.strip().splitlines() or ["(no message)"])[-1]
        pytest.skip(f"no package index reachable: pip cannot fetch hatchling to build ({last})")


def test_bundled_data_ships_in_the_wheel(tmp_path: Path) -> None:
    backend = tmp_path / "backend"
    _fetch_build_backend(backend)
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--find-links",
            str(backend),
            "--wheel-dir",
            str(wheels),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("exercise_engine-*.whl")
    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r})\n"
        "import exercise_engine\n"
        f"assert exercise_engine.__file__.startswith({str(target)!r}), exercise_engine.__file__\n"
        "from exercise_engine.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    listing = subprocess.run(
        [sys.executable, "-c", code, "list"], cwd=elsewhere, capture_output=True, text=True
    )
    assert listing.returncode == 0, listing.stderr
    assert "tutorial" in listing.stdout and "does not validate" not in listing.stdout
    play = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "play",
            "tutorial",
            "--decisions",
            str(target / "exercise_engine/_bundled/scenarios/playthroughs/tutorial/robust.toml"),
            "--exercise",
            "x.db",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert play.returncode == 0, play.stdout + play.stderr
    assert "Ending: calm-restored" in play.stdout
