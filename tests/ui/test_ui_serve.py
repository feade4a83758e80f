"""``serve``: the index answers on loopback, each seat's page points at its own console, and a
headless Chromium page starts a console. CI installs the serve extra and Chromium, so there
these tests must run (``requires`` in tests/conftest.py)."""

from __future__ import annotations

import asyncio
import os
import select
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.helpers import new_exercise

pytestmark = pytest.mark.requires("serve")


def free_ports(count: int) -> int:
    """A base port with ``count`` free ports after it (checked by binding each)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count >= 65535:
            continue
        try:
            for port in range(base, base + count):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no run of free ports")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """``exercise-engine serve`` on loopback; yields its base port and what it printed."""
    db, _clock = new_exercise(tmp_path)
    port = free_ports(5)
    process = subprocess.Popen(
        [sys.executable, "-m", "exercise_engine", "serve", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    printed = ""
    deadline = time.monotonic() + 30
    while "Police Commissioner" not in printed and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 1.0)
        if ready:
            printed += os.read(process.stdout.fileno(), 65536).decode()
        if process.poll() is not None:
            break
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, printed
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def test_serve_answers_with_an_index_and_a_page_per_seat(served: tuple[int, str]) -> None:
    port, printed = served
    index = get(f"http://127.0.0.1:{port}/")
    assert "Mini console exercise" in index
    for offset, title in enumerate(
        ["Facilitator", "Head of Mission", "Force Commander", "Police Commissioner"], start=1
    ):
        assert f'href="http://127.0.0.1:{port + offset}/"' in index
        assert title in index
    # The codes are on the facilitator's terminal, not on a page anyone on the LAN can open.
    codes = [line.rsplit("code ", 1)[1].strip() for line in printed.splitlines() if "code " in line]
    assert len(codes) == 4
    assert not any(code in index for code in codes)
    page = get(f"http://127.0.0.1:{port + 3}/")
    assert f"ws://127.0.0.1:{port + 3}/ws" in page


@pytest.mark.requires("chromium")
def test_a_browser_page_starts_a_console(served: tuple[int, str]) -> None:
    from tests.ui.cdp import page_body_class  # aiohttp comes with the serve extra

    port, _printed = served
    classes = asyncio.run(page_body_class(f"http://127.0.0.1:{port + 3}/", "-first-byte"))
    assert "-first-byte" in classes  # the console's process drew its first frame in the page
