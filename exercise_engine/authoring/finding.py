"""One line of lint's report: where, what kind, how serious, and what it is about.

Shared by :mod:`exercise_engine.authoring.lint` (the report and the reachability checks) and the
craft checks in :mod:`exercise_engine.authoring.craft`, so each check module can build findings
without importing the report that lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info", "note"]
"""``error`` fails lint (exit 1); ``warning`` is a fault to fix or to keep on purpose; ``info``
may well be intended; ``note`` is for the record (manual injects, collisions)."""


@dataclass(frozen=True)
class Finding:
    """One finding: where, what kind, and what to do about it."""

    kind: str
    """The report section it belongs to: ``unreachable``, ``dead-end``, ``state``, ``clock``, ..."""
    message: str
    where: str = ""
    """``file:line: key`` in validate's style, when the finding has a place in a file."""
    severity: Severity = "warning"
    subject: str = ""
    """The inject, point, phase, role, flag or variable id the finding is about (for tests)."""
    details: tuple[str, ...] = ()
    """Further lines printed under the finding (e.g. each point of a per-scenario share)."""

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else f"{self.severity}: "
        where = f"{self.where}: " if self.where else ""
        return f"{where}{tag}{self.message}"
