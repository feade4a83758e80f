"""``exercise-engine report DB [--format md|html|json|pdf] [--out DIR] [--anonymize]``.

The after-action report of an exercise: every decision scored against the considerations, the
evaluators' ratings, strengths, areas for improvement and an improvement plan. Printed to stdout,
or written into DIR as ``<journal name>.<format>``. The journal is only read; a journal that fails
``verify`` still gets its report, with a warning in it, and exit status 1 unless
``--allow-unverified``. Writing never follows a symbolic link (``commands.safe_write``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument(
        "--format",
        choices=["md", "html", "json", "pdf"],
        default="md",
        help="output format (default md; pdf needs Chromium and --out)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=None,
        help="a folder (not a file): write DIR/<journal name>.<format> instead of stdout"
        " (never through a symbolic link)",
    )
    parser.add_argument(
        "--anonymize", action="store_true", help="replace the syndicate's and evaluators' names"
    )
    parser.add_argument(
        "--allow-unverified",
        action="store_true",
        help="exit 0 even if the journal fails verification (the report still warns)",
    )


def run(args: argparse.Namespace) -> int:
    from after_action.assessment import assess
    from after_action.report import render_report
    from exercise_engine.commands import UserError
    from exercise_engine.commands.exercises import open_exercise
    from exercise_engine.commands.safe_write import output_folder, write_file
    from exercise_engine.journal.opener import locate

    if args.format == "pdf" and args.out is None:
        raise UserError("a PDF report is a file: give --out DIR")
    exercise = open_exercise(args.db, read_only=True)
    fmt = "html" if args.format == "pdf" else args.format
    assessment = assess(exercise)
    text = render_report(assessment, exercise.scenario, fmt, anonymize=args.anonymize)
    exercise.close()
    record = assessment.record["exercise"]
    status = 0
    if not record["verified"]:
        print(
            f"exercise-engine report: warning: {locate(args.db)} fails verification "
            f"({record['verify_problem']}); the report says so"
            + ("" if args.allow_unverified else " (--allow-unverified to accept it)"),
            file=sys.stderr,
        )
        status = 0 if args.allow_unverified else 1
    if args.out is None:
        print(text, end="")
        return status
    folder = output_folder(Path(args.out))
    target = folder / f"{locate(args.db).stem}.{args.format}"
    if args.format == "pdf":
        from after_action.report.pdf import PdfError, html_to_pdf

        def make_pdf(staging: Path) -> None:
            try:
                html_to_pdf(text, staging)
            except PdfError as exc:
                raise UserError(str(exc)) from None

        write_file(target, make_pdf)
    else:
        write_file(target, lambda staging: staging.write_text(text, encoding="utf-8"))
    print(f"wrote {target}")
    return status
