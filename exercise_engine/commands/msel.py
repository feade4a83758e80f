"""``exercise-engine msel export|import``: the MSEL as a spreadsheet (CSV).

``msel export SCENARIO [--out FILE.csv [--overwrite]]`` writes one row per inject with HSEEP-style columns
first and, after them, every column needed to rebuild the injects exactly. ``msel import
FILE.csv --scenario SCENARIO --out DIR`` writes a complete scenario into DIR (the scenario file
rewritten with tomli-w, the injects as TOML) and checks it with the loader first: a bad row is
reported as ``FILE.csv:row N: key: message`` and nothing is written (exit 2).
See ``exercise_engine.authoring.msel`` and ``docs/authoring.md``.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="msel_command", metavar="ACTION", required=True)
    export = sub.add_parser(
        "export", help="write the scenario's MSEL as CSV", description="write the MSEL as CSV"
    )
    export.add_argument(
        "scenario", metavar="SCENARIO", help="a bundled scenario id or a scenario file"
    )
    export.add_argument(
        "--out",
        metavar="FILE.csv",
        help="a file (not a folder): write the CSV there instead of stdout",
    )
    export.add_argument(
        "--overwrite", action="store_true", help="replace FILE.csv if it already exists"
    )
    imp = sub.add_parser(
        "import",
        help="write a scenario folder from a CSV MSEL",
        description="write a complete scenario into DIR from a CSV MSEL and a scenario file",
    )
    imp.add_argument("csv", metavar="FILE.csv", help="the MSEL spreadsheet, saved as CSV")
    imp.add_argument(
        "--scenario",
        required=True,
        metavar="SCENARIO",
        help="the scenario whose setting, roles, phases and endings the injects join",
    )
    imp.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="a folder (not a file): the scenario file and its injects/ are written into it",
    )
    imp.add_argument(
        "--overwrite", action="store_true", help="replace what an earlier import wrote in DIR"
    )


def run(args: argparse.Namespace) -> int:
    if args.msel_command == "export":
        return _export(args)
    return _import(args)


def _export(args: argparse.Namespace) -> int:
    import sys

    from exercise_engine.authoring.msel import export_rows, write_csv
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import load_scenario_arg

    scenario = load_scenario_arg(args.scenario)
    rows = export_rows(scenario)
    if not args.out:
        write_csv(rows, sys.stdout)
        return 0
    target = Path(args.out)
    if target.is_dir():
        raise UserError(
            f"{args.out} is a folder: --out takes a file name, e.g. {args.out}/msel.csv"
        )
    if target.exists() and not args.overwrite:
        raise UserError(f"{args.out} already exists: add --overwrite to replace it")
    try:
        # a byte-order mark, so that spreadsheet programs read the file as UTF-8
        with open(args.out, "w", encoding="utf-8-sig", newline="") as stream:
            write_csv(rows, stream)
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {args.out}: {len(rows)} inject(s)")
    return 0


def _import(args: argparse.Namespace) -> int:
    import sys

    from exercise_engine.authoring.msel_import import import_msel
    from exercise_engine.commands import UserError
    from exercise_engine.commands.scenarios import resolve_scenario_path
    from exercise_engine.loading.problems import display_name

    sheet = Path(args.csv)
    if not sheet.is_file():
        raise UserError(f"no such file: {args.csv}")
    scenario = resolve_scenario_path(args.scenario)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"{args.out} is a file: --out takes a folder")
    if out.resolve() == scenario.resolve().parent:
        raise UserError(
            f"{args.out} is the folder of {display_name(scenario)}: import into a new folder"
        )
    result = import_msel(sheet, scenario, out, overwrite=args.overwrite)
    for line in result.lines:
        print(line, file=sys.stderr)
    if result.errors:
        print(f"FAILED: {result.errors} error(s); nothing written to {args.out}", file=sys.stderr)
        return 2
    names = ", ".join(display_name(p) for p in result.written)
    print(f"ok: wrote {names}; the scenario validates")
    return 0
