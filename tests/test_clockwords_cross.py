"""Clock words across injects (lint check 3, issue 12): an inject that reports as past the moment
another inject stamps as its own, while that other inject only arrives later."""

from __future__ import annotations

from pathlib import Path

from exercise_engine.authoring.lint import lint_scenario
from tests.engine_helpers import inject, scenario_from

END = '\n[[end]]\nid = "done"\nwhen = "elapsed >= \'01:30\'"\n'
BODY_A = '"""\nJOC update.\n\nThe column crossed the bridge at 05:30 and kept moving.\n"""'


def _clock_findings(tmp_path: Path, report_at: str) -> list[str]:
    a = inject("a", 'at = "00:40"').replace('body = "text"', f"body = {BODY_A}")
    b = inject("b", f'at = "{report_at}"').replace('title = "b"', 'title = "05:30, the bridge"')
    report = lint_scenario(scenario_from(tmp_path, END + a + b), max_runs=5)
    return [str(f) for f in report.findings if f.kind == "clock"]


def test_a_report_of_the_event_arriving_after_the_mention_is_flagged(tmp_path: Path) -> None:
    found = _clock_findings(tmp_path, "00:50")  # 'a' at 05:40 mentions 05:30; the flash at 05:50
    assert len(found) == 1, found
    assert "'a': its body reports '05:30' as past, the moment 'b' reports" in found[0]
    assert "(05:40, 'b' at 05:50)" in found[0]


def test_a_report_that_came_first_is_not_flagged(tmp_path: Path) -> None:
    assert _clock_findings(tmp_path, "00:32") == []  # the flash at 05:32, then 'a' at 05:40
