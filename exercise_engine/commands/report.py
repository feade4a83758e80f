"""``exercise-engine report DB [--format json] [--out DIR]``: the exercise record.

JSON is the machine-readable record every other report builds on: the scenario, the final state,
each decision point with what happened to it, and every event. (The scored after-action report in
Markdown and HTML is built by the ``after_action`` package.)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("db", metavar="DB", help="the exercise journal")
    parser.add_argument("--format", choices=["json"], default="json", help="output format")
    parser.add_argument(
        "--out", metavar="DIR", default=None, help="write into DIR instead of stdout"
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands import UserError
    from exercise_engine.commands.exercises import open_exercise
    from exercise_engine.record import exercise_record

    exercise = open_exercise(args.db)
    record = exercise_record(exercise)
    exercise.close()
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        print(text, end="")
        return 0
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{Path(args.db).stem}.json"
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write to {out}: {exc.strerror or exc}") from None
    print(f"wrote {target}")
    return 0
