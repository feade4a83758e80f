"""``exercise-engine trends PATH|DIR|URL... [--scenario ID] [--format md|html] [--out FILE]``.

How the cohorts of many courses did on each objective and consideration of a scenario, oldest
first, anonymised (:mod:`after_action.trends`; laid out by :mod:`after_action.trends_render`).
Each input is an exercise journal, a folder of them (its files, not its sub-folders), a
``postgresql://...?exercise=NAME`` URL, or such a URL without ``exercise=``: every exercise in
that database. Every journal is only read; a URL's password is never printed.

What happens to inputs that cannot be used (docs/deployment.md, "Trends across cohorts"):

- a path that does not exist, or a ``--scenario`` no input plays: one line, exit 2;
- an unreadable or foreign file (named, or found in a folder), a folder without a journal, a
  database without exercises: one line each on stderr naming it (``skipped: FILE is ...``); the
  trends of the other inputs are still written and the exit status is 0. When no input at all
  is a readable journal, exit 2;
- a journal that fails ``verify``: listed in the output as not counted (by its cohort label,
  never its file name) and named on stderr; exit 1 unless ``--allow-unverified``, which counts
  it (and the output says so).

The output goes to stdout, or to ``--out FILE`` through the project's safe writing (never through
a symbolic link: :mod:`exercise_engine.commands.safe_write`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit, urlunsplit

if TYPE_CHECKING:
    from after_action.trends import Cohort
    from exercise_engine.exercise import Exercise

COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")
"""Files that belong to a journal beside it (SQLite's companions, the writers' lock): part of a
journal, not inputs of their own, so a folder's listing passes over them without a word."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH|DIR|URL",
        help="exercise journals, folders of journals, or journal URLs",
    )
    parser.add_argument(
        "--scenario", metavar="ID", default=None, help="only the exercises of this scenario"
    )
    parser.add_argument("--format", choices=["md", "html"], default="md", help="default md")
    parser.add_argument(
        "--out",
        metavar="FILE",
        default=None,
        help="write FILE instead of stdout (never through a symbolic link)",
    )
    parser.add_argument(
        "--allow-unverified",
        action="store_true",
        help="count journals that fail verification (the output marks them) and exit 0",
    )


def open_journal(source: str) -> Exercise:
    """The one place ``trends`` opens an exercise, read-only: a file now, a URL where a journal
    backend takes one (so adding a backend changes this line only)."""
    from exercise_engine.commands.exercises import open_exercise

    return open_exercise(source, read_only=True)


def shown(source: str) -> str:
    """An input as messages name it: a URL without its password (the journal's own rule)."""
    from exercise_engine.journal import JournalError
    from exercise_engine.journal.url import is_url, parse_url

    if is_url(source):
        try:
            return parse_url(source).shown
        except JournalError:
            pass
        parts = urlsplit(source)
        if parts.password is not None:
            host = parts.netloc.rpartition("@")[2]
            user = parts.username or ""
            return urlunsplit(parts._replace(netloc=f"{user}@{host}" if user else host))
    return source


def database_exercises(url: str) -> list[str]:
    """Every exercise of the database that a ``postgresql://`` URL without ``exercise=`` names,
    each as its own URL (``exercise=NAME`` added), by name (the opener's ``exercises_at``). A
    URL naming one exercise is kept as it is; a missing driver or server is one line."""
    from exercise_engine.commands import UserError
    from exercise_engine.journal import JournalError
    from exercise_engine.journal.opener import exercises_at

    if any(key == "exercise" for key, _ in parse_qsl(urlsplit(url).query)):
        return [url]
    try:
        return exercises_at(url)
    except JournalError as exc:  # the database's own words, without the opener's placeholder
        raise UserError(str(exc).replace("?exercise=x", "").replace("&exercise=x", "")) from None


def gather(paths: list[str]) -> tuple[list[str], list[str]]:
    """The journals to read (files and URLs, in the order given; a folder's files by name) and
    a line naming each input passed over, and why. A path that does not exist is a mistake,
    not a skip."""
    from exercise_engine.commands import UserError
    from exercise_engine.journal.files import kind_of
    from exercise_engine.journal.url import is_url

    sources: list[str] = []
    skipped: list[str] = []
    for given in paths:
        if is_url(given):
            found_urls = database_exercises(given)
            if not found_urls:
                skipped.append(f"{shown(given)} holds no exercise")
            sources += found_urls
            continue
        path = Path(given)
        kind = kind_of(path)
        if kind is None:
            raise UserError(f"{given}: no such file or folder")
        if kind == "a symbolic link":
            kind = "a folder" if path.is_dir() else "a file"
        if kind != "a folder":
            sources.append(given)  # the opener says precisely what is wrong with it, if anything
            continue
        found = 0
        for entry in sorted(path.iterdir()):
            if entry.name.startswith(".") or entry.name.endswith(COMPANION_SUFFIXES):
                continue
            what = kind_of(entry)
            if what == "a folder":
                continue  # sub-folders are not searched (docs/deployment.md)
            if what == "an exercise journal":
                sources.append(str(entry))
                found += 1
            else:
                skipped.append(f"{entry} is {what}, not an exercise journal")
        if not found:
            skipped.append(f"{given} is a folder without any exercise journal in it")
    return sources, skipped


def read_cohort(source: str) -> Cohort:
    """Open, assess and anonymise one exercise (a UserError when it cannot be opened)."""
    from after_action.assessment import assess
    from after_action.trends import cohort_of
    from exercise_engine.commands import UserError

    exercise = open_journal(source)
    try:
        events = exercise.journal.events()
        if not events:
            raise UserError(f"{shown(source)} holds no event yet")
        # a fork starts with its source's events: its own first event is its `exercise_forked`
        first = next((e for e in reversed(events) if e.kind == "exercise_forked"), events[0])
        return cohort_of(assess(exercise), first.hash, first.wall_time, len(events))
    finally:
        exercise.close()


def run(args: argparse.Namespace) -> int:
    from after_action.trends import build_trends
    from after_action.trends_render import render_trends
    from exercise_engine.commands import UserError
    from exercise_engine.commands.safe_write import output_folder, write_file

    sources, skipped = gather(args.paths)
    read: list[tuple[str, Cohort]] = []
    for source in sources:
        try:
            read.append((source, read_cohort(source)))
        except UserError as exc:
            skipped.append(str(exc))  # the opener's line names the file
    for line in skipped:
        print(f"exercise-engine trends: skipped: {line}", file=sys.stderr)
    if not read:
        raise UserError("no exercise journal could be read: nothing to show")
    cohorts = [c for _, c in read]
    if args.scenario is not None and all(c.scenario_id != args.scenario for c in cohorts):
        played = ", ".join(sorted({c.scenario_id for c in cohorts}))
        raise UserError(f"--scenario {args.scenario}: no input plays it (they play {played})")
    trends = build_trends(cohorts, allow_unverified=args.allow_unverified, scenario=args.scenario)
    status = 0
    counted = {id(c) for t in trends.scenarios for c in t.cohorts}
    for source, c in read:
        if c.verified or (args.scenario is not None and c.scenario_id != args.scenario):
            continue
        if id(c) in counted:
            fate = "counted (--allow-unverified)"
        elif any(c is x for t in trends.scenarios for x in t.excluded):
            fate = f"not counted (listed as {c.label}; --allow-unverified counts it)"
            status = 1
        else:
            fate = "not counted: a copy of the same exercise that verifies is counted instead"
            status = 0 if args.allow_unverified else 1
        print(
            f"exercise-engine trends: {shown(source)} fails verification: {fate}", file=sys.stderr
        )
    if trends.duplicates:
        print(
            "exercise-engine trends: the same exercise was given more than once, counted once: "
            + ", ".join(trends.duplicates),
            file=sys.stderr,
        )
    text = render_trends(trends, args.format)
    if args.out is None:
        print(text, end="")
        return status
    target = Path(args.out)
    output_folder(target.parent)
    write_file(target, lambda staging: staging.write_text(text, encoding="utf-8"))
    print(f"wrote {target}")
    return status
