"""``serve``: the index answers on loopback, each seat's page points at its own console, and a
headless Chromium page starts a console. CI installs the serve extra and Chromium, so there
these tests must run (``requires`` in tests/conftest.py).

The seats are then attacked the way a visitor on the course LAN could: a websocket client (what
the page's JavaScript does) presses keys on the sign-in, types wrong codes across new
connections, opens the websocket from another site's page and opens more tabs than allowed.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import re
import select
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from exercise_engine.exercise import Exercise
from tests.ui.helpers import new_exercise

pytestmark = pytest.mark.requires("serve")

WAIT = 90.0
"""Seconds to wait for a console's answer: only a bound on a machine that is stuck (the tests
wait for what they expect, never for a fixed time)."""


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
    with start_serve(db) as running:
        yield running


@pytest.fixture
def serve_db(tmp_path: Path) -> Iterator[Callable[..., tuple[Path, int, dict[str, str]]]]:
    """Start ``serve`` with extra arguments; gives the journal, the base port and the codes."""
    db, _clock = new_exercise(tmp_path)
    with contextlib.ExitStack() as stack:

        def start(*extra: str) -> tuple[Path, int, dict[str, str]]:
            port, printed = stack.enter_context(start_serve(db, *extra))
            codes = {}
            for line in printed.splitlines():
                if " code " in line:
                    title, code = line.split("http", 1)[0].strip(), line.rsplit("code ", 1)[1]
                    codes[title] = code.strip()
            return db, port, codes

        yield start


@contextlib.contextmanager
def start_serve(db: Path, *extra: str) -> Iterator[tuple[int, str]]:
    """Run ``serve`` on loopback until the generator is closed or exhausted."""
    port = free_ports(5)
    process = subprocess.Popen(
        [sys.executable, "-m", "exercise_engine", "serve", str(db), "--port", str(port), *extra],
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
    from tests.ui.cdp import page_body_class  # aiohttp comes with textual-serve

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


# --- the seats under attack ------------------------------------------------------------------

ESCAPES = re.compile(
    r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)


class Tab:
    """One browser tab's websocket: sends keys as the page's JavaScript does, reads the screen
    the console draws as plain text (escape sequences removed)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.text = ""
        self.mark = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    async def send(self, keys: str) -> None:
        await self.ws.send_json(["stdin", keys])

    async def until(self, *wanted: str) -> str:
        """Read until one of ``wanted`` appears after the mark; move the mark past it."""
        deadline = asyncio.get_running_loop().time() + WAIT
        while True:
            seen = ESCAPES.sub("", self.text[self.mark :])
            found = [w for w in wanted if w in seen]
            if found:
                self.mark = len(self.text)
                return found[0]
            left = deadline - asyncio.get_running_loop().time()
            assert left > 0, f"none of {wanted} in {seen[-2000:]!r}"
            message = await self.ws.receive(timeout=left)
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += self._decoder.decode(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                raise AssertionError(f"the console closed; it showed {seen[-2000:]!r}")

    def since_mark(self) -> str:
        return ESCAPES.sub("", self.text[self.mark :])


@contextlib.asynccontextmanager
async def tab(port: int, origin: str | None = "same", size: tuple[int, int] = (100, 30)) -> Any:
    """A websocket to the seat on ``port``, from its own page unless ``origin`` says otherwise,
    for a terminal of ``size`` (columns, lines)."""
    headers = {}
    if origin == "same":
        headers["Origin"] = f"http://127.0.0.1:{port}"
    elif origin is not None:
        headers["Origin"] = origin
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(
            f"http://127.0.0.1:{port}/ws?width={size[0]}&height={size[1]}", headers=headers
        ) as ws,
    ):
        yield Tab(ws)


def kinds(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT kind FROM events ORDER BY seq")]


SIGN_IN = "Type the join code"
CONSOLE = "Pause"  # the facilitator console's footer: shown only once signed in
F1, CTRL_P, CTRL_Q, CTRL_C, ESC = "\x1bOP", "\x10", "\x11", "\x03", "\x1b"


async def test_a_served_seat_shows_and_journals_nothing_before_its_code(serve_db: Any) -> None:
    db, port, codes = serve_db()
    async with tab(port + 1) as fac:
        await fac.until(SIGN_IN)
        assert kinds(db) == ["exercise_created"]  # opening the page journals nothing
        # The real facilitator starts play elsewhere: the status changes under the sign-in.
        other = Exercise.open(db, _system_clock())
        other.open_briefing()
        other.start()
        other.close()
        written = kinds(db)
        for key in (F1, "?", CTRL_P, "f2", ESC, CTRL_Q, CTRL_C):
            await fac.send(key)
        # A wrong code's answer shows the console has handled every key sent before it.
        await fac.send("WRONGONE\r")
        await fac.until("wrong codes left")
        shown = fac.since_mark() + ESCAPES.sub("", fac.text)
        for console_text in (CONSOLE, "Keys:", "Search for commands", "Hot seat"):
            assert console_text not in shown
        assert kinds(db) == written  # no pause (escape, ctrl+q), no briefing, no tick
        # The right code opens the console that fits the status.
        await fac.send(codes["Facilitator"] + "\r")
        await fac.until(CONSOLE)


def _system_clock() -> Any:
    from exercise_engine.clock import SystemClock

    return SystemClock()


async def test_wrong_codes_are_delayed_then_locked_out_across_new_tabs(serve_db: Any) -> None:
    _db, port, codes = serve_db()
    hom = codes["Head of Mission (SRSG)"]
    async with tab(port + 2) as first:
        await first.until(SIGN_IN)
        for left in (9, 8, 7):
            await first.send("WRONGONE\r")
            await first.until(f"{left} wrong codes left")
        await first.send("WRONGONE\r")
        await first.until("Wait 30 s")
        await first.send(hom + "\r")  # the right code, but too soon
        await first.until("Too soon")
    async with tab(port + 2) as second:  # a new tab is a new process: the count stays
        await second.until(SIGN_IN)
        await second.send(hom + "\r")
        await second.until("Too soon")
        for _ in range(4):
            await second.send("WRONGONE\r")
            await second.until("Too soon")
        await second.send("WRONGONE\r")
        await second.until("locked")
    async with tab(port + 4) as third:  # another seat, same address: locked too
        await third.until(SIGN_IN)
        await third.send(codes["Police Commissioner"] + "\r")
        await third.until("locked")


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",  # another site's page driving a visitor's browser
        "http://evil.example:{port}",  # DNS rebinding: a foreign name on our address
        "http://127.0.0.1:{other}",  # another seat's page
        None,  # no Origin at all (not a browser page)
    ],
)
async def test_a_cross_origin_websocket_is_refused(serve_db: Any, origin: str | None) -> None:
    _db, port, _codes = serve_db()
    if origin is not None:
        origin = origin.format(port=port + 1, other=port + 2)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with tab(port + 1, origin=origin):
            pass
    assert refused.value.status == 403


async def test_console_processes_are_capped_per_seat_and_in_all(serve_db: Any) -> None:
    _db, port, _codes = serve_db("--max-tabs-per-seat", "1", "--max-tabs", "2")
    async with tab(port + 2) as hom:
        await hom.until(SIGN_IN)
        async with tab(port + 2) as again:
            await again.until("This seat already has 1 consoles open")
        async with tab(port + 3) as fc:
            await fc.until(SIGN_IN)
            async with tab(port + 4) as pc:
                await pc.until("The course already has 2 consoles open")
    # Once the seat's console has exited (its process takes a moment), its place is free again.
    deadline = asyncio.get_running_loop().time() + WAIT
    while asyncio.get_running_loop().time() < deadline:
        async with tab(port + 2) as hom:
            if await hom.until(SIGN_IN, "This seat already has") == SIGN_IN:
                break
        await asyncio.sleep(0.5)
    else:
        raise AssertionError("the seat's place was never given back")


def test_the_served_pages_fetch_nothing_from_outside(served: tuple[int, str]) -> None:
    port, _printed = served
    for url in (f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port + 1}/"):
        page = get(url)
        links = re.findall(r"(?:href|src)\s*=\s*[\"']([^\"']+)", page)
        links += re.findall(r"url\(\s*[\"']?([^\"')]+)", page)
        links += re.findall(r"(?:https?:|wss?:)?//[^\s\"'<>)]+", page)
        assert links, url
        for link in links:
            host = urlsplit(link).hostname
            assert host in (None, "127.0.0.1"), (url, link)
    # The web font the page names is served by this machine.
    page = get(f"http://127.0.0.1:{port + 1}/")
    font = re.search(r"url\(\"([^\"]+\.ttf)\"\)", page)
    assert font is not None
    with urllib.request.urlopen(font.group(1), timeout=5) as response:
        assert response.status == 200 and len(response.read()) > 10_000
