"""``exercise-engine validate PATH...``: check files the way the engine will load them.

Accepts scenario files, inject library files, catalogue files, the roles catalogue, folders of any
of these and bundled scenario ids (as ``list`` shows them). Prints every problem as
``file:line: key: message`` on stderr, then a verdict; exit 0 when there are no errors (warnings
are printed but not fatal), 2 on any error. A folder holding no TOML file is a warning.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files or folders to check, or bundled scenario ids (as `list` shows them)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")


def _kind(path: Path) -> str:
    """Guess a TOML file's kind from its top-level keys (without failing on bad files)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, MemoryError):
        return "scenario" if path.suffix == ".toml" else "unknown"
    keys = set(data)
    scenario_keys = {"id", "phases", "start_phase", "roles", "clock"}
    if "consideration" in keys:
        return "catalogue"
    if "role" in keys and "roles" not in keys:
        return "roles"
    if keys & {"decision", "advice", "expect", "note"} and not keys & scenario_keys:
        return "playthrough"
    if "inject" in keys and not keys & scenario_keys:
        return "library"
    return "scenario"


def _expand(paths: list[str]) -> tuple[list[Path], list[str]]:
    from exercise_engine.commands.scenarios import bundled_scenario_files

    bundled = {p.stem: p for p in bundled_scenario_files()}
    files: list[Path] = []
    missing: list[str] = []
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.toml") if ".venv" not in p.parts)
        elif path.exists():
            files.append(path)
        elif bundled.get(arg) is not None:
            files.append(bundled[arg])
        else:
            missing.append(arg)
    return list(dict.fromkeys(files)), missing


def run(args: argparse.Namespace) -> int:
    from exercise_engine.loading import Problems, check_scenario, read_catalogue
    from exercise_engine.loading.catalogue import read_roles
    from exercise_engine.loading.problems import display_name
    from exercise_engine.loading.scenario import read_library
    from exercise_engine.loading.tomlfile import load_toml

    problems = Problems()
    files, missing = _expand(args.paths)
    for arg in missing:
        problems.add(arg, (), "no such file or folder")
    kinds = {f: _kind(f) for f in files}
    used: set[str] = set()
    for path, kind in kinds.items():
        if kind == "scenario":
            scenario = check_scenario(path, problems)
            if scenario is not None:
                used.update(s.name for s in scenario.sources)
    catalogue_files = [f for f, k in kinds.items() if k == "catalogue"]
    if catalogue_files:
        folders = {f.parent for f in catalogue_files}
        read_catalogue(
            sorted({*catalogue_files, *(p for d in folders for p in d.glob("*.toml"))}), problems
        )
    for path, kind in kinds.items():
        if kind == "roles":
            read_roles(path, problems)
        elif kind == "library" and display_name(path) not in used:
            loaded = load_toml(path, problems)
            if loaded is not None:
                read_library(loaded[0], loaded[1], problems)
        elif kind == "playthrough":
            _check_playthrough(path, problems)
        elif kind == "unknown":
            problems.add(display_name(path), (), "not a TOML file this tool knows")

    for arg in args.paths:
        folder = Path(arg)
        if folder.is_dir() and not any(f.is_relative_to(folder) for f in files):
            problems.add(arg, (), "no .toml files in this folder: nothing was checked", "warning")
    shown = [p for p in problems if p.severity == "error" or not args.quiet]
    for problem in sorted(shown, key=lambda p: (p.file, p.line or 0, p.severity != "error")):
        print(problem, file=sys.stderr)
    errors, warnings = len(problems.errors), len(problems.warnings)
    checked = len(files)
    verdict = "ok" if not errors else "FAILED"
    print(
        f"{verdict}: {checked} file(s) checked, {errors} error(s), {warnings} warning(s)",
        file=sys.stderr if errors else sys.stdout,
    )
    return 2 if errors else 0


def _check_playthrough(path: Path, problems: object) -> None:
    """Check a decisions file against its scenario (``playthroughs/<scenario-id>/``) if known."""
    from exercise_engine.commands.scenarios import bundled_scenario_files
    from exercise_engine.loading import LoadError, Problems, load_scenario
    from exercise_engine.loading.playthrough import load_playthrough
    from exercise_engine.loading.problems import display_name

    assert isinstance(problems, Problems)
    scenario_id = path.parent.name
    candidates = [path.parent.parent.parent / f"{scenario_id}.toml"]
    candidates += [p for p in bundled_scenario_files() if p.stem == scenario_id]
    scenario_path = next((c for c in candidates if c.is_file()), None)
    if scenario_path is None:
        problems.add(
            display_name(path),
            (),
            f"cannot tell which scenario this decisions file plays (no scenario {scenario_id!r}): not checked; use `play` to check it",
            "warning",
        )
        return
    try:
        scenario = load_scenario(scenario_path)
    except LoadError:
        problems.add(
            display_name(path),
            (),
            f"its scenario {display_name(scenario_path)} does not load: not checked",
            "warning",
        )
        return
    try:
        load_playthrough(path, scenario)
    except LoadError as exc:
        problems.extend(exc.problems)
