"""``exercise-engine join DB --role ROLE [--code CODE]``: a participant's console on an exercise.

One MLT seat: its inbox, its decisions, advice where it is consulted, the shared log. ``--role
facilitator`` opens the facilitator's console on the same journal instead (a second screen, or
the browser seat of ``serve``). A wrong ``--code`` is refused; with no code on a local terminal
the console opens (whoever can read the journal file could read its secret anyway), while
``--ask-code`` (what ``serve`` runs) asks for the code on screen before showing anything, and
counts wrong codes per browser address in the file ``serve`` names in the environment
(:mod:`exercise_engine.ui.sign_in_limit`), so a new tab does not start the count again.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument(
        "--role",
        required=True,
        help="the seat: a role id or abbreviation in play (e.g. FC), or 'facilitator'",
    )
    parser.add_argument(
        "--code", default=None, help="the seat's join code (shown to the facilitator)"
    )
    parser.add_argument(
        "--ask-code",
        action="store_true",
        help="ask for the join code on screen first (browser links use this)",
    )


def run(args: argparse.Namespace) -> int:
    import os
    from pathlib import Path

    from exercise_engine.commands import UserError
    from exercise_engine.commands.roles import role_id
    from exercise_engine.journal import JournalError
    from exercise_engine.loading import load_roles
    from exercise_engine.ui.codes import FACILITATOR, check_code, join_codes
    from exercise_engine.ui.facilitator.app import FacilitatorApp
    from exercise_engine.ui.participant.app import NotInPlay, ParticipantApp
    from exercise_engine.ui.sign_in_limit import CLIENT_ENV, STATE_ENV, AttemptLimiter

    args.role = role_id(args.role, load_roles()) or args.role  # FC -> force_commander
    db = args.db
    state = os.environ.get(STATE_ENV)
    limiter = AttemptLimiter(Path(state) if state else None)
    client = os.environ.get(CLIENT_ENV, "this terminal")
    app: FacilitatorApp | ParticipantApp
    try:
        if args.role == FACILITATOR:
            app = FacilitatorApp(db, ask_code=args.ask_code, limiter=limiter, client=client)
        else:
            app = ParticipantApp(
                db, args.role, ask_code=args.ask_code, limiter=limiter, client=client
            )
        if args.code is not None:
            codes = join_codes(app.link.exercise)
            if not check_code(codes, args.role, args.code):
                app.link.exercise.close()
                raise UserError(f"wrong join code for {args.role!r}: ask the facilitator")
    except (JournalError, NotInPlay) as exc:
        raise UserError(str(exc)) from None
    app.run()
    return app.return_code or 0  # non-zero when the console stopped on a lost journal
