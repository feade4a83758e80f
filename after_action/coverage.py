"""How much of the study the considerations catalogue states, chapter by chapter.

The figures live in ``after_action/coverage.toml``: for each chapter, the number of checkable items
the study holds (counted in the domain digests), how many no entry stated when the count was made,
and every item stated since, each mapped to the consideration that states it. Keeping the mapping
item by item makes the figure auditable: a reviewer can check any claimed item against its entry,
and a test checks that every entry named exists.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

COVERAGE_FILE = Path(__file__).resolve().parent / "coverage.toml"


@dataclass(frozen=True)
class ChapterCoverage:
    """One chapter's count: its items, those open at the baseline, and those stated since."""

    key: str
    title: str
    items: int
    open_at_baseline: int
    stated_since: dict[str, str] = field(default_factory=dict)
    """Study item id (as in the digests) -> the consideration id that now states it."""
    gaps: str = ""
    """In a few words, what the items still open are about."""

    @property
    def stated(self) -> int:
        return self.items - self.open_at_baseline + len(self.stated_since)

    @property
    def share(self) -> float:
        return self.stated / self.items if self.items else 0.0


def load_coverage(path: Path = COVERAGE_FILE) -> list[ChapterCoverage]:
    """The chapters in file order; an unreadable file is a packaging defect, so it raises."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    return [
        ChapterCoverage(
            key=str(ch["key"]),
            title=str(ch["title"]),
            items=int(ch["items"]),
            open_at_baseline=int(ch["open_at_baseline"]),
            stated_since={str(k): str(v) for k, v in ch.get("stated_since", {}).items()},
            gaps=str(ch.get("gaps", "")),
        )
        for ch in data["chapter"]
    ]
