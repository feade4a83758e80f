"""How long the class plays after a ``--start-at`` start: read from the journal, jumps excluded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def class_play_seconds(db: Path) -> int:
    """Exercise seconds played from the ``pre_played`` event to the ending, minus the time the
    jumps between moves skipped (they take no real time)."""
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT kind, exercise_time, payload FROM events ORDER BY seq"
        ).fetchall()
    start = next(t for kind, t, _ in rows if kind == "pre_played")
    end = next(t for kind, t, _ in rows if kind == "scenario_ended")
    jumped = sum(
        int(json.loads(p)["to"]) - int(json.loads(p)["from"])
        for kind, t, p in rows
        if kind == "time_jumped" and t >= start
    )
    return end - start - jumped
