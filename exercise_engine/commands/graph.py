"""``exercise-engine graph SCENARIO [--format mermaid|dot] [--phases] [--out FILE]``.

Prints the scenario's flow: phases and their transitions with conditions, injects grouped by
phase, and where each choice leads (see ``exercise_engine.authoring.graph``). Mermaid pastes into
Markdown and GitHub; dot renders with Graphviz (``dot -Tsvg``). ``--phases`` draws the phase
machine alone (mermaid through the ``transitions`` library's own engine).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario id or a scenario file"
    )
    parser.add_argument(
        "--format", choices=("mermaid", "dot"), default="mermaid", help="output (default mermaid)"
    )
    parser.add_argument(
        "--phases", action="store_true", help="the phase machine alone, without injects"
    )
    parser.add_argument(
        "--out", metavar="FILE", help="a file (not a folder): write there instead of stdout"
    )


def run(args: argparse.Namespace) -> int:
    from exercise_engine.authoring import graph
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import load_scenario_arg

    scenario = load_scenario_arg(args.scenario)
    if args.phases:
        text = (
            graph.phases_mermaid(scenario)
            if args.format == "mermaid"
            else graph.phases_dot(scenario)
        )
    else:
        flow = graph.build_flow(scenario)
        text = graph.to_mermaid(flow) if args.format == "mermaid" else graph.to_dot(flow)
    if args.out:
        if Path(args.out).is_dir():
            raise UserError(
                f"{args.out} is a folder: --out takes a file name, e.g. {args.out}/graph.mmd"
            )
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return 0
