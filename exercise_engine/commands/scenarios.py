"""Shared by commands that take a SCENARIO argument: a bundled id or a path to a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from exercise_engine.commands import UserError

if TYPE_CHECKING:
    from exercise_engine.loading.loaded import LoadedScenario


def bundled_scenario_files() -> list[Path]:
    """The bundled scenario files (top level of ``scenarios/``), sorted."""
    from exercise_engine.resources import scenarios_dir

    folder = scenarios_dir()
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def resolve_scenario_path(arg: str) -> Path:
    """A bundled scenario's id or a path to a scenario file -> the file."""
    path = Path(arg)
    if path.is_file():
        return path
    if path.is_dir():
        raise UserError(f"{arg} is a folder: give a scenario file or a bundled scenario id")
    bundled = {p.stem: p for p in bundled_scenario_files()}
    if arg in bundled:
        return bundled[arg]
    if arg.endswith(".toml") or "/" in arg:
        raise UserError(f"no such file: {arg}")
    names = ", ".join(bundled) or "none"
    raise UserError(
        f"no scenario {arg!r}: not a file and not a bundled scenario (bundled: {names})"
    )


def load_scenario_arg(arg: str) -> LoadedScenario:
    """Load SCENARIO, turning every load problem into one UserError listing them."""
    from exercise_engine.loading import LoadError, load_scenario

    path = resolve_scenario_path(arg)
    try:
        return load_scenario(path)
    except LoadError as exc:
        lines = [str(p) for p in exc.problems.errors]
        raise UserError(
            f"{arg} does not validate ({len(lines)} error(s)):\n" + "\n".join(lines)
        ) from None
