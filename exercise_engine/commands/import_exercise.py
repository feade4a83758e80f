"""``exercise-engine import URL --to DB``: copy an exercise from a PostgreSQL server to a file
(or to another exercise name or server).

The copy holds every event and metadata row as stored, so it verifies with the source's head
(``exercise_engine.commands.transfer``).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from exercise_engine.commands.transfer import add_arguments as transfer_arguments

    transfer_arguments(parser, source="URL", target="DB")


def run(args: argparse.Namespace) -> int:
    from exercise_engine.commands.transfer import copy_exercise

    return copy_exercise(args)
