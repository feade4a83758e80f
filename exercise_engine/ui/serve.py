"""The consoles in a browser: one textual-serve server per seat, and a small index page.

Who calls it: ``exercise-engine serve``. textual-serve runs ONE command per server, and starts a
fresh process of it for each browser tab; so each seat gets its own port (the index on ``port``,
the facilitator on ``port + 1``, the roles after it), all served from one event loop. Every seat's
command is ``join DB --role SEAT --ask-code``: the console asks for the seat's join code before
it shows anything, which is what makes the links safe on a shared LAN. The index lists the links
but not the codes (anyone on the LAN can open it); the codes are printed on the facilitator's
terminal and shown on the facilitator's console.

Nothing here needs the internet: textual-serve ships its JavaScript and CSS (the page asks for a
web font and falls back to the browser's monospace font when offline). On a LAN, listen on
``0.0.0.0`` and give ``--public-url http://ADDRESS`` so the pages point browsers at an address
they can reach.
"""

from __future__ import annotations

import asyncio
import html
import shlex
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from aiohttp import web


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
    db: Path,
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
            f"{python} -m exercise_engine join {shlex.quote(str(db.resolve()))} "
            f"--role {shlex.quote(seat)} --ask-code"
        )
        url = f"{scheme}://{hostname}:{port + offset}"
        seats.append(Seat(seat, title, codes[seat], port + offset, url, command))
    return f"{scheme}://{hostname}:{port}", seats


def index_page(title: str, seats: list[Seat]) -> str:
    """The index: one link per seat; the codes stay with the facilitator."""
    rows = "\n".join(
        f'<li><a href="{html.escape(s.url)}/">{html.escape(s.title)}</a></li>' for s in seats
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.5; }}
a {{ font-size: 1.3em; }}
</style></head>
<body>
<h1>{html.escape(title)}</h1>
<p>Open your seat's console, then type the join code the facilitator gives you.</p>
<ul>
{rows}
</ul>
</body></html>
"""


async def serve(
    title: str, seats: list[Seat], host: str, port: int, ready: asyncio.Event | None = None
) -> None:
    """Serve the index and every seat until cancelled (ctrl+c).

    aiohttp and textual-serve are imported here, not at the top: they come with the optional
    ``serve`` extra, and the planning functions above must work without it.
    """
    from aiohttp import web
    from textual_serve.server import Server

    class QuietServer(Server):
        """A textual-serve server that does not print its banner (there is one per seat)."""

        async def on_startup(self, app: web.Application) -> None:
            return None

    page = index_page(title, seats)

    async def index(_request: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    front = web.Application()
    front.add_routes([web.get("/", index)])
    apps: list[tuple[web.Application, int]] = [(front, port)]
    for seat in seats:
        server: Any = QuietServer(seat.command, host=host, port=seat.port, title=seat.title)
        server.public_url = seat.url
        apps.append((await server._make_app(), seat.port))
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
