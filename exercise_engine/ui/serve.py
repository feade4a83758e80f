"""The consoles in a browser: one textual-serve server per seat, and a small index page.

Who calls it: ``exercise-engine serve``. textual-serve runs ONE command per server, and starts a
fresh process of it for each browser tab; so each seat gets its own port (the index on ``port``,
the facilitator on ``port + 1``, the roles after it), all served from one event loop. Every seat's
command is ``join DB --role SEAT --ask-code``: the console asks for the seat's join code before
it shows anything, which is what makes the links safe on a shared LAN. The index lists the links
but not the codes (anyone on the LAN can open it); the codes are printed on the facilitator's
terminal and shown on the facilitator's console.

The seats are guarded here too: a websocket opened from another site's page is refused (its
``Origin`` must be the seat's own page), console processes are capped per seat and in all
(:class:`Tabs`), and every console is told the browser's address and the file where this
``serve`` counts wrong join codes (:mod:`exercise_engine.ui.sign_in_limit`): a new tab does not
get new guesses.

Nothing here needs the internet: textual-serve ships its JavaScript, CSS and web font, and the
page is our copy of textual-serve's (``serve_page/``) with the font served from this machine
instead of Google Fonts. On a LAN, listen on ``0.0.0.0`` and give ``--public-url
http://ADDRESS`` so the pages point browsers at an address they can reach.
"""

from __future__ import annotations

import asyncio
import html
import logging
import shlex
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from exercise_engine.journal.url import PgLocation
from exercise_engine.safe_text import printable
from exercise_engine.ui.sign_in_limit import CLIENT_ENV, STATE_ENV

if TYPE_CHECKING:
    from aiohttp import web

_log = logging.getLogger("exercise_engine.serve")


@dataclass(frozen=True)
class Seat:
    """One console served on its own port."""

    seat: str
    title: str
    code: str
    port: int
    url: str
    command: str


def lan_address() -> str:
    """This machine's address on the LAN, best guess from its own host name (nothing is sent on
    the network); loopback if it has none. ``--public-url`` overrides the guess."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return "127.0.0.1"
    addresses = [str(info[4][0]) for info in infos]
    return next((a for a in addresses if not a.startswith("127.")), "127.0.0.1")


def base_url(host: str, public_url: str | None) -> tuple[str, str]:
    """(scheme, hostname) the browsers use: from ``public_url`` if given, else from ``host``."""
    if public_url:
        parts = urlsplit(public_url if "://" in public_url else f"http://{public_url}")
        return parts.scheme or "http", parts.hostname or host
    if host in ("0.0.0.0", "", "::"):
        return "http", lan_address()
    return "http", host


def plan(
    db: Path | PgLocation,
    titles: dict[str, str],
    codes: dict[str, str],
    *,
    host: str,
    port: int,
    public_url: str | None,
) -> tuple[str, list[Seat]]:
    """The index URL and each seat's port, URL and command (seats in ``titles`` order)."""
    scheme, hostname = base_url(host, public_url)
    python = shlex.quote(sys.executable)
    seats = []
    for offset, (seat, title) in enumerate(titles.items(), start=1):
        command = (
            f"{python} -m exercise_engine join {shlex.quote(_target(db))} "
            f"--role {shlex.quote(seat)} --ask-code"
        )
        url = f"{scheme}://{hostname}:{port + offset}"
        seats.append(Seat(seat, title, codes[seat], port + offset, url, command))
    return f"{scheme}://{hostname}:{port}", seats


def _target(db: Path | PgLocation) -> str:
    """The journal as a seat's console opens it: an absolute path, or the URL as typed (the
    seats need its password, if it holds one; PGPASSWORD or ~/.pgpass keep it out of sight)."""
    return db.typed if isinstance(db, PgLocation) else str(db.resolve())


def index_page(title: str, seats: list[Seat]) -> str:
    """The index: one link per seat; the codes stay with the facilitator."""
    rows = "\n".join(
        f'<li><a href="{html.escape(s.url)}/">{html.escape(printable(s.title))}</a></li>'
        for s in seats
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(printable(title))}</title>
<style>
body {{ font-family: sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.5; }}
a {{ font-size: 1.3em; }}
</style></head>
<body>
<h1>{html.escape(printable(title))}</h1>
<p>Open your seat's console, then type the join code the facilitator gives you.</p>
<ul>
{rows}
</ul>
</body></html>
"""


MAX_TABS_PER_SEAT = 4
"""Console processes one seat may have at once (a second screen, a reload, a spare)."""
MAX_TABS = 40
"""Console processes all seats together may have at once (each is a Python process)."""
PAGE_TEMPLATES = Path(__file__).parent / "serve_page"
"""Our copy of textual-serve's page: the same, but its web font is served from this machine."""


def allowed_origins(seat: Seat) -> frozenset[str]:
    """The origins a browser may open ``seat``'s websocket from: its own page, under the address
    the links use or under loopback. Anything else is another site's page trying to drive the
    console through a visitor's browser (cross-site websocket hijacking), or a host name that
    merely resolves here (DNS rebinding)."""
    parts = urlsplit(seat.url)
    hosts = {parts.hostname or "", "127.0.0.1", "localhost", "[::1]"}
    return frozenset(f"{parts.scheme}://{host}:{seat.port}" for host in hosts if host)


@dataclass
class Tabs:
    """How many console processes run, per seat and in all (one event loop: no lock needed)."""

    per_seat: int = MAX_TABS_PER_SEAT
    total: int = MAX_TABS
    live: dict[str, int] = field(default_factory=dict)

    def refusal(self, seat: str) -> str | None:
        """Why one more console for ``seat`` may not start now (None: it may)."""
        if self.live.get(seat, 0) >= self.per_seat:
            return (
                f"This seat already has {self.per_seat} consoles open: close one "
                "(or ask the facilitator), then reload this page."
            )
        if sum(self.live.values()) >= self.total:
            return (
                f"The course already has {self.total} consoles open: close one "
                "(or ask the facilitator), then reload this page."
            )
        return None

    def take(self, seat: str) -> None:
        self.live[seat] = self.live.get(seat, 0) + 1

    def give_back(self, seat: str) -> None:
        self.live[seat] -= 1


async def serve(
    title: str,
    seats: list[Seat],
    host: str,
    port: int,
    ready: asyncio.Event | None = None,
    *,
    tabs: Tabs | None = None,
) -> None:
    """Serve the index and every seat until cancelled (ctrl+c).

    Each seat's websocket refuses other sites' pages (Origin), starts no console beyond the
    ``tabs`` caps, and hands each console the browser's address and the file where wrong join
    codes are counted (a folder of our own for this ``serve``'s lifetime).
    """
    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    caps = tabs or Tabs()
    state_dir = Path(tempfile.mkdtemp(prefix="exercise-engine-serve-"))
    state_file = state_dir / "sign-in.sqlite"

    class SeatService(AppService):
        """textual-serve's app process, told who the browser is and where codes are counted."""

        client = ""

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment: dict[str, str] = super()._build_environment(width, height)
            environment[CLIENT_ENV] = self.client
            environment[STATE_ENV] = str(state_file)
            return environment

    class SeatServer(Server):
        """One seat: textual-serve's server, quiet, with our page and a guarded websocket."""

        def __init__(self, seat: Seat) -> None:
            super().__init__(
                seat.command,
                host=host,
                port=seat.port,
                title=printable(seat.title),
                public_url=seat.url,
                templates_path=PAGE_TEMPLATES,
            )
            self.seat = seat
            self.origins = allowed_origins(seat)

        async def on_startup(self, app: web.Application) -> None:
            return None

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's handler, behind the Origin check and the caps."""
            if request.headers.get("Origin") not in self.origins:
                raise web.HTTPForbidden(text="this console only opens from its own page")
            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=64 * 1024)
            await websocket.prepare(request)
            refusal = caps.refusal(self.seat.seat)
            if refusal is not None:
                await websocket.send_bytes(f"\r\n  {refusal}\r\n".encode())
                async for _message in websocket:  # keep the message up until the tab goes
                    pass
                return websocket

            async def close() -> None:
                await websocket.close()

            width = _size(request.query.get("width"), 80)
            height = _size(request.query.get("height"), 24)
            service = SeatService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=False,
            )
            service.client = request.remote or "unknown"
            caps.take(self.seat.seat)
            try:
                await service.start(width, height)
                try:
                    await self._process_messages(websocket, service)
                finally:
                    await service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except (OSError, ValueError, TypeError, IndexError, KeyError) as error:
                _log.warning("seat %s: %s", self.seat.seat, error)
            finally:
                caps.give_back(self.seat.seat)
            return websocket

        async def _process_messages(self, websocket: web.WebSocketResponse, service: Any) -> None:
            """textual-serve's loop, without its assert on the envelope's shape."""
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                envelope = message.json()
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    await service.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    await service.set_terminal_size(
                        _size(data.get("width"), 80), _size(data.get("height"), 24)
                    )
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await service.blur()
                elif kind == "focus":
                    await service.focus()

    page = index_page(title, seats)

    async def index(_request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    front = web.Application()
    front.add_routes([web.get("/", index)])
    apps: list[tuple[web.Application, int]] = [(front, port)]
    for seat in seats:
        apps.append((await SeatServer(seat)._make_app(), seat.port))
    runners = []
    try:
        for app, app_port in apps:
            runner = web.AppRunner(app)
            await runner.setup()
            runners.append(runner)
            await web.TCPSite(runner, host, app_port).start()
        if ready is not None:
            ready.set()
        await asyncio.Event().wait()
    finally:
        for runner in reversed(runners):
            await runner.cleanup()
        shutil.rmtree(state_dir, ignore_errors=True)


def _size(value: object, default: int) -> int:
    """A terminal size from the browser, kept within sense (1..1000)."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 1), 1000)
