"""Where the bundled data lives, in a source checkout and after ``pip install .``.

In a checkout, scenarios and injects sit at the top of the repository; in a wheel, hatchling's
force-include puts them under ``exercise_engine/_bundled/``. The considerations catalogue ships
inside the ``after_action`` package, beside this one; it is found by path, not imported, so the
headless core keeps its contract of not importing ``after_action``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = PACKAGE_DIR.parent


def _data_dir(name: str) -> Path:
    source = _SOURCE_ROOT / name
    if source.is_dir() and (_SOURCE_ROOT / "pyproject.toml").is_file():
        return source
    return PACKAGE_DIR / "_bundled" / name


def scenarios_dir() -> Path:
    """The bundled scenarios folder (``scenarios/``)."""
    return _data_dir("scenarios")


def injects_dir() -> Path:
    """The bundled inject library (``injects/``)."""
    return _data_dir("injects")


def playthroughs_dir() -> Path:
    """Scripted playthroughs of the bundled scenarios (``scenarios/playthroughs/<id>/``)."""
    return scenarios_dir() / "playthroughs"


def catalogue_dir() -> Path:
    """The considerations catalogue (``after_action/considerations/``)."""
    return _SOURCE_ROOT / "after_action" / "considerations"


def roles_file() -> Path:
    """The roles catalogue (``exercise_engine/data/roles.toml``)."""
    return PACKAGE_DIR / "data" / "roles.toml"
