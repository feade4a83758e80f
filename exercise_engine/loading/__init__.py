"""TOML -> models, with every problem reported as ``file:line: key: message``.

Entry points: :func:`load_scenario` (a playable scenario or LoadError), :func:`check_scenario`
(collect problems without raising), :func:`load_catalogue` and :func:`load_roles`.
"""

from exercise_engine.loading.catalogue import Catalogue, load_catalogue, load_roles, read_catalogue
from exercise_engine.loading.loaded import InjectCopy, LoadedScenario, RoleInfo
from exercise_engine.loading.problems import LoadError, Problem, Problems
from exercise_engine.loading.scenario import check_scenario, load_scenario, load_snapshot

__all__ = [
    "Catalogue",
    "InjectCopy",
    "LoadError",
    "LoadedScenario",
    "Problem",
    "Problems",
    "RoleInfo",
    "check_scenario",
    "load_catalogue",
    "load_roles",
    "load_scenario",
    "load_snapshot",
    "read_catalogue",
]
