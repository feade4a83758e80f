"""Shared fixtures: paths to the repository's data and a helper to run the real CLI.

Also the ``requires`` marker, which keeps CI honest. A test that needs a tool CI installs
(``@pytest.mark.requires("chromium")``) is skipped with a reason where the tool is missing — on a
developer's laptop that is fine. But ``.ci/run`` sets ``EXERCISE_ENGINE_REQUIRE`` to the tools its
install step provided, and then such a test that skips (for want of the tool or for any other
reason) *fails*: a green CI run means the browser, terminal and serve tests really ran.
With ``EXERCISE_ENGINE_SKIP_LOG=FILE`` every skipped test is written to FILE (one line each:
node id, the tools it requires, the reason) so ``.ci/run`` can print them all loudly.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def chromium_binary() -> str | None:
    """The headless browser the reports and the serve test use, if one is installed."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _postgresql() -> bool:
    # Debian keeps the server's binaries off PATH, under /usr/lib/postgresql/VERSION/bin.
    return bool(shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb"))


TOOLS: dict[str, tuple[Callable[[], bool], str]] = {
    "chromium": (
        lambda: chromium_binary() is not None,
        "headless Chromium is not installed (Debian: apt-get install chromium)",
    ),
    "tmux": (
        lambda: shutil.which("tmux") is not None,
        "tmux is not installed (apt-get install tmux)",
    ),
    "serve": (
        lambda: importlib.util.find_spec("textual_serve") is not None,
        "the serve extra is not installed (pip install -e '.[serve]')",
    ),
    "postgresql": (
        _postgresql,
        "the PostgreSQL server is not installed (Debian: apt-get install postgresql)",
    ),
}


def required_tools() -> set[str]:
    """The tools CI installed and whose tests must therefore run (``EXERCISE_ENGINE_REQUIRE``)."""
    raw = os.environ.get("EXERCISE_ENGINE_REQUIRE", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "requires(*tools): the test needs tools CI installs ("
        + ", ".join(sorted(TOOLS))
        + "); skipped where missing, a failure where EXERCISE_ENGINE_REQUIRE names them",
    )
    unknown = required_tools() - set(TOOLS)
    if unknown:
        raise pytest.UsageError(
            f"EXERCISE_ENGINE_REQUIRE names unknown tool(s) {sorted(unknown)}; "
            f"known: {sorted(TOOLS)}"
        )


def _tools_of(item: pytest.Item) -> list[str]:
    tools: list[str] = []
    for mark in item.iter_markers("requires"):
        tools.extend(str(arg) for arg in mark.args)
    return tools


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        unknown = set(_tools_of(item)) - set(TOOLS)
        if unknown:
            raise pytest.UsageError(f"{item.nodeid}: requires unknown tool(s) {sorted(unknown)}")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a test whose tools are missing, unless CI said it installed them: then fail."""
    required = required_tools()
    for tool in _tools_of(item):
        present, reason = TOOLS[tool]
        if present():
            continue
        if tool in required:
            pytest.fail(
                f"{reason}, but EXERCISE_ENGINE_REQUIRE says CI installed {tool}: "
                "this test must run, not skip",
                pytrace=False,
            )
        pytest.skip(reason)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A test CI is meant to run may not skip for any reason: turn such a skip into a failure;
    and log every skip for ``.ci/run``'s summary."""
    report = yield
    if not report.skipped or hasattr(report, "wasxfail"):
        return report
    tools = _tools_of(item)
    reason = _skip_reason(report)
    forbidden = sorted(set(tools) & required_tools())
    if forbidden:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} skipped ({reason}) although CI installed {', '.join(forbidden)}: "
            "a test CI is meant to run must not skip"
        )
    _log_skip(item.nodeid, tools, reason, forbidden=bool(forbidden))
    return report


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr: Any = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _log_skip(nodeid: str, tools: list[str], reason: str, forbidden: bool) -> None:
    log = os.environ.get("EXERCISE_ENGINE_SKIP_LOG")
    if not log:
        return
    entry = {"test": nodeid, "requires": tools, "reason": reason, "forbidden": forbidden}
    with open(log, "a", encoding="utf-8") as stream:
        stream.write(json.dumps(entry) + "\n")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    """A whole module skipped at collection (``importorskip``) is logged as a skip too."""
    if report.skipped:
        _log_skip(report.nodeid, [], _skip_reason(report), forbidden=False)  # type: ignore[arg-type]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Every skip, loudly, after the run: a skipped test is a test that did not check anything."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not skipped:
        return
    terminalreporter.section(f"{len(skipped)} test(s) SKIPPED: they checked nothing", sep="!")
    for report in skipped:
        terminalreporter.line(f"SKIPPED {report.nodeid}: {_skip_reason(report)}")


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


PG_URL_ENV = "EXERCISE_ENGINE_TEST_PG_URL"
"""A PostgreSQL database for the journal tests (``.ci/run`` starts one and sets it); without it
the ``pg_server`` fixture starts a throwaway cluster of its own (tests/pg_cluster.py)."""


@pytest.fixture(scope="session")
def pg_server() -> Generator[str, None, None]:
    """The URL (no ``exercise=``) of a throwaway PostgreSQL database; skips with the reason
    when none can be had (a test that uses it is marked ``requires("postgresql")``)."""
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("the PostgreSQL driver is not installed (pip install -e '.[postgres]')")
    given = os.environ.get(PG_URL_ENV)
    if given:
        yield given
        return
    from tests import pg_cluster

    try:
        url, folder = pg_cluster.start()
    except pg_cluster.ClusterError as exc:
        pytest.skip(f"cannot start a throwaway PostgreSQL cluster: {exc}")
    try:
        yield url
    finally:
        pg_cluster.stop(folder)
