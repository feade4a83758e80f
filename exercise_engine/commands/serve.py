"""``exercise-engine serve DB [--host H] [--port P] [--public-url URL]``: consoles in a browser.

An index page on ``--port`` links each seat's console (facilitator on the next port, then each
role); every console asks for its seat's join code first, wrong codes are delayed then locked
out per browser address, and ``--max-tabs-per-seat``/``--max-tabs`` cap the console processes.
Works offline (nothing is fetched from outside this machine): on a course LAN run ``--host
0.0.0.0 --public-url http://<this machine's address>``.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal (start it with `run` first)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (0.0.0.0: the whole LAN)"
    )
    parser.add_argument(
        "--port", type=int, default=8000, help="the index page's port; seats use the next ones"
    )
    parser.add_argument(
        "--public-url",
        default=None,
        help="how browsers reach this machine, e.g. http://192.168.1.20 (ports are added)",
    )
    parser.add_argument(
        "--max-tabs-per-seat",
        type=int,
        default=None,
        metavar="N",
        help="consoles one seat may have open at once (default 4)",
    )
    parser.add_argument(
        "--max-tabs",
        type=int,
        default=None,
        metavar="N",
        help="consoles all seats may have open at once (default 40)",
    )


def run(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from exercise_engine.commands import UserError

    try:
        import textual_serve  # noqa: F401
    except ImportError:
        raise UserError(
            "the browser consoles need textual-serve, which is missing: "
            "reinstall exercise-engine (pip install -e .)"
        ) from None
    from exercise_engine.commands.exercises import open_exercise
    from exercise_engine.journal.opener import locate
    from exercise_engine.safe_text import printable
    from exercise_engine.ui.codes import FACILITATOR, join_codes
    from exercise_engine.ui.serve import MAX_TABS, MAX_TABS_PER_SEAT, Tabs, plan, serve

    if not 0 < args.port < 65536 - 64:
        raise UserError("--port must be a free port number below 65472")
    per_seat = MAX_TABS_PER_SEAT if args.max_tabs_per_seat is None else args.max_tabs_per_seat
    total = MAX_TABS if args.max_tabs is None else args.max_tabs
    if per_seat < 1 or total < 1:
        raise UserError("--max-tabs-per-seat and --max-tabs must be at least 1")
    db = locate(args.db)
    exercise = open_exercise(args.db)
    codes = join_codes(exercise)
    titles = {FACILITATOR: "Facilitator"}
    titles.update({rid: printable(info.title) for rid, info in exercise.scenario.roles.items()})
    title = printable(exercise.scenario.title)
    exercise.close()
    index, seats = plan(
        db, titles, codes, host=args.host, port=args.port, public_url=args.public_url
    )
    width = max(len(s.title) for s in seats)
    lines = [f"{title}: serving {len(seats)} consoles (ctrl+c stops)"]
    lines.append(f"  {'index':<{width}}  {index}/")
    lines += [f"  {s.title:<{width}}  {s.url}/  code {s.code}" for s in seats]
    if args.host in ("0.0.0.0", "", "::") and not args.public_url and "127.0.0.1" in index:
        lines.append(
            "  note: this machine's LAN address could not be guessed; give --public-url http://ADDRESS"
        )
    print("\n".join(lines), flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        asyncio.run(
            serve(title, seats, args.host, args.port, tabs=Tabs(per_seat=per_seat, total=total))
        )
    except OSError as exc:
        raise UserError(f"cannot listen on {args.host}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        print("stopped")
        return 130  # ctrl+c ends every command with 130
    return 0


def _interrupt(_signum: int, _frame: object) -> None:
    """SIGTERM stops the servers as ctrl+c does (their sockets close cleanly)."""
    raise KeyboardInterrupt
