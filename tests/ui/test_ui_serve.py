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


def _serve_printed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    addresses: list[str],
    *flags: str,
) -> tuple[str, list[str]]:
    """What ``serve`` prints on a machine named ``course-laptop`` whose name resolves to
    ``addresses``; nothing listens (the servers are replaced) and nothing is sent on a network."""
    import exercise_engine.ui.serve as serve_module
    from exercise_engine.cli import main

    asked: list[str] = []

    def getaddrinfo(host: str, *_args: object, **_kwargs: object) -> list[tuple[object, ...]]:
        asked.append(host)
        if host != "course-laptop":
            raise socket.gaierror(socket.EAI_NONAME, "unknown host")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0)) for address in addresses]

    async def no_servers(*_args: object, **_kwargs: object) -> None:
        return None

    monkeypatch.setattr(socket, "gethostname", lambda: "course-laptop")
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(serve_module, "serve", no_servers)
    monkeypatch.setattr("signal.signal", lambda *_args: None)
    db, _clock = new_exercise(tmp_path)
    assert main(["serve", str(db), "--port", "8100", *flags]) == 0
    return capsys.readouterr().out, asked


def test_serve_on_the_lan_prints_the_address_guessed_from_the_host_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--host 0.0.0.0`` without ``--public-url``: the links use this machine's LAN address,
    found from its host name (loopback entries such as Debian's 127.0.1.1 passed over)."""
    printed, asked = _serve_printed(
        tmp_path, monkeypatch, capsys, ["127.0.1.1", "10.20.30.40"], "--host", "0.0.0.0"
    )
    assert asked == ["course-laptop"]
    lines = printed.splitlines()
    assert lines[1].split() == ["index", "http://10.20.30.40:8100/"]
    assert lines[2].split()[:2] == ["Facilitator", "http://10.20.30.40:8101/"]
    assert "127.0.0.1" not in printed and "127.0.1.1" not in printed
    assert "could not be guessed" not in printed


def test_serve_says_when_the_lan_address_cannot_be_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    printed, _asked = _serve_printed(
        tmp_path, monkeypatch, capsys, ["127.0.1.1"], "--host", "0.0.0.0"
    )
    assert "  index" in printed and "http://127.0.0.1:8100/" in printed
    assert "could not be guessed; give --public-url http://ADDRESS" in printed
    (tmp_path / "given").mkdir()
    given, _asked = _serve_printed(
        tmp_path / "given",
        monkeypatch,
        capsys,
        ["10.20.30.40"],
        "--host",
        "0.0.0.0",
        "--public-url",
        "http://192.168.1.20",
    )
    assert "http://192.168.1.20:8101/" in given and "10.20.30.40" not in given
