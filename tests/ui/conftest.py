"""The snapshot fixture: compare a console's SVG screenshot with the one stored in snapshots/.

``UPDATE_SNAPSHOTS=1 pytest tests/ui`` rewrites the stored files (review the diff before
committing it); a failing comparison writes the new screenshot next to the test's tmp_path and
names it, so it can be opened in a browser beside the stored one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS", "") == "1"  # exactly 1: rewriting is deliberate

Snapshot = Callable[[App[Any], str], None]


@pytest.fixture
def snapshot(tmp_path: Path) -> Snapshot:
    def check(app: App[Any], name: str) -> None:
        width, height = app.size
        file = f"{name}-{width}x{height}.svg"
        svg = app.export_screenshot(title=name)
        stored = SNAPSHOTS / file
        if UPDATE:
            SNAPSHOTS.mkdir(exist_ok=True)
            stored.write_text(svg, encoding="utf-8")
            return
        if not stored.exists():
            pytest.fail(f"no stored snapshot {file}: run UPDATE_SNAPSHOTS=1 pytest tests/ui")
        if stored.read_text(encoding="utf-8") != svg:
            actual = tmp_path / file
            actual.write_text(svg, encoding="utf-8")
            pytest.fail(
                f"{file} differs from the stored snapshot; the new one is {actual} "
                "(UPDATE_SNAPSHOTS=1 accepts it)"
            )

    return check
