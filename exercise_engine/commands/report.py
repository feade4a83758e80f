"""``exercise-engine report DB [--format md|html|json] [--out DIR] [--anonymize]``.

The after-action report of an exercise: every decision scored against the considerations, the
evaluators' ratings, strengths, areas for improvement and an improvement plan. Printed to stdout,
or written into DIR as ``<journal name>.<format>``.
"""

from __future__ import annotations

import argparse
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
        help="a folder (not a file): write DIR/<journal name>.<format> instead of stdout",
    )
    parser.add_argument(
        "--anonymize", action="store_true", help="replace the syndicate's and evaluators' names"
    )


def run(args: argparse.Namespace) -> int:
    from after_action.assessment import assess
    from after_action.report import render_report
    from exercise_engine.commands import UserError
    from exercise_engine.commands.exercises import open_exercise

    if args.format == "pdf" and args.out is None:
        raise UserError("a PDF report is a file: give --out DIR")
    exercise = open_exercise(args.db)
    fmt = "html" if args.format == "pdf" else args.format
    text = render_report(assess(exercise), exercise.scenario, fmt, anonymize=args.anonymize)
    exercise.close()
    if args.format == "pdf":
        from after_action.report.pdf import PdfError, html_to_pdf

        target = Path(args.out) / f"{Path(args.db).stem}.pdf"
        try:
            html_to_pdf(text, target)
        except PdfError as exc:
            raise UserError(str(exc)) from None
        print(f"wrote {target}")
        return 0
    if args.out is None:
        print(text, end="")
        return 0
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{Path(args.db).stem}.{args.format}"
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror or exc}") from None
    print(f"wrote {target}")
    return 0
