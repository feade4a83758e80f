"""``exercise-engine cards SCENARIO|DB --out FILE.html|FILE.pdf``: printable inject cards and
join-code slips.

For a room that runs (part of) an exercise on paper, or keeps a paper trail beside the screens:
one card per inject per seat, grouped by seat, each seat's cards starting on a new page, each card
the seat's own version of the inject (its variant if it has one), with the decision points it
asks of that seat (prompt and options, never their effects). Given an exercise journal (DB) it
also prints one join-code slip per seat in play (seats marked not played with ``seat
--not-played`` get none; the facilitator's own code is never printed), to cut out and hand round.
The page is one self-contained HTML file with print styles: nothing is loaded from any other
host, so it prints on a course network with no internet. ``.pdf`` prints it with headless
Chromium (as ``report --format pdf`` does).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise_engine.loading import LoadedScenario
    from exercise_engine.ui.room.cards import Slip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        metavar="SCENARIO|DB",
        help="a bundled scenario id, a scenario file, or an exercise journal (adds join-code slips)",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help="the file to write: FILE.html (print it from a browser) or FILE.pdf (needs Chromium)",
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.commands.safe_write import write_file
    from exercise_engine.journal.files import is_journal
    from exercise_engine.ui.room.cards import cards_html, inject_cards

    target = Path(args.out)
    suffix = target.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise UserError(f"--out {args.out}: give a file name ending in .html or .pdf")
    if target.is_dir():
        raise UserError(
            f"--out {args.out} is a folder: give a file name, e.g. {args.out}/cards.html"
        )
    if not target.parent.is_dir():
        raise UserError(f"--out {args.out}: the folder {target.parent} does not exist")

    source = Path(args.source)
    slips: list[Slip] | None = None
    scenario: LoadedScenario
    if source.is_file() and is_journal(source):
        scenario, slips = _from_journal(source)
    elif source.suffix == ".db" and not source.exists():
        raise UserError(f"no such exercise journal: {args.source}")
    elif source.is_file() and source.suffix != ".toml":
        raise UserError(f"{args.source}: not an exercise journal nor a scenario file")
    else:
        from exercise_engine.commands.scenarios import load_scenario_arg

        scenario = load_scenario_arg(args.source)
    cards = inject_cards(scenario)
    page = cards_html(scenario, cards, slips, journal=source.name if slips is not None else None)
    if suffix == ".pdf":
        from after_action.report.pdf import PdfError, html_to_pdf

        def fill(staging: Path) -> None:
            try:
                html_to_pdf(page, staging)
            except PdfError as exc:
                raise UserError(str(exc)) from None

        write_file(target, fill)
    else:
        write_file(target, lambda staging: staging.write_text(page, encoding="utf-8"))
    seats = len({card.seat for card in cards})
    slip_text = (
        f", {len(slips)} join-code slip(s)"
        if slips is not None
        else " (no join-code slips: give the exercise journal for those)"
    )
    print(f"wrote {target}: {len(cards)} inject card(s) for {seats} seat(s){slip_text}")
    return 0


def _from_journal(path: Path) -> tuple[LoadedScenario, list[Slip]]:
    """The journal's own scenario and one slip per seat in play (codes made if none yet)."""
    from exercise_engine.commands.exercises import open_exercise
    from exercise_engine.ui.codes import join_codes
    from exercise_engine.ui.room.cards import Slip

    exercise = open_exercise(str(path))
    try:
        scenario = exercise.scenario
        codes = join_codes(exercise)
        played: dict[str, bool] = {}
        for event in exercise.journal.events():
            if event.kind == "seat_set" and event.role:
                played[event.role] = bool(event.payload.get("played", True))
        slips = [
            Slip(role, scenario.role_title(role), scenario.roles[role].abbreviation, codes[role])
            for role in scenario.roles
            if played.get(role, True) and role in codes
        ]
    finally:
        exercise.close()
    return scenario, slips
