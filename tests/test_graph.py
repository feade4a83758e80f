"""``exercise-engine graph``: the tutorial's flow against golden files, and the edges that matter.

The golden files in ``tests/golden/`` are the exact output for ``scenarios/tutorial.toml``. After
a deliberate change to the tutorial or to the drawing, ``UPDATE_GOLDEN=1 pytest tests/test_graph.py``
rewrites them; review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.authoring.graph import (
    build_flow,
    phases_dot,
    phases_mermaid,
    to_dot,
    to_mermaid,
)
from exercise_engine.loading import LoadedScenario, load_scenario
from tests.conftest import REPO, run_cli
from tests.engine_helpers import decision, inject, scenario_from
from tests.golden_files import GOLDEN, check_golden


def _tutorial() -> LoadedScenario:
    return load_scenario(REPO / "scenarios" / "tutorial.toml")


RENDERERS = {
    "tutorial.mmd": lambda s: to_mermaid(build_flow(s)),
    "tutorial.dot": lambda s: to_dot(build_flow(s)),
    "tutorial-phases.mmd": phases_mermaid,
    "tutorial-phases.dot": phases_dot,
}


@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_tutorial_matches_the_golden_file(name: str) -> None:
    text = RENDERERS[name](_tutorial())
    check_golden(name, text)


def test_cli_prints_the_same_text(tmp_path: Path) -> None:
    result = run_cli("graph", "tutorial", "--format", "dot")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (GOLDEN / "tutorial.dot").read_text(encoding="utf-8")
    out = tmp_path / "flow.mmd"
    written = run_cli("graph", "tutorial", "--out", str(out))
    assert written.returncode == 0
    assert out.read_text(encoding="utf-8") == (GOLDEN / "tutorial.mmd").read_text(encoding="utf-8")


def test_where_each_choice_leads(tmp_path: Path) -> None:
    body = (
        '\n[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "chose(\'a\', \'no\')"\n'
        + '\n[[end]]\nid = "calm"\ntitle = "Calm"\nwhen = "phase == \'one\' and warned"\n'
        + inject("a", 'at = "00:05"')
        + decision()
        + inject("b", "when = \"chose('a', 'yes')\"", extra='phase = "one"')
        + inject("c", 'after = { inject = "b", delay = "00:10" }')
    )
    text = to_mermaid(build_flow(scenario_from(tmp_path, body)))
    # the option leads to an inject, to a phase change, and (through its flag) to an ending
    assert '    i_a -.->|"chose yes"| i_b' in text
    assert '    i_a -.->|"chose no"| p_two' in text
    assert '    i_a -.->|"yes: warned = true"| e_calm' in text
    assert '    i_b -.->|"+00:10"| i_c' in text
    assert "    p_one ==>|\"chose('a', 'no')\"| p_two" in text
    assert "p_one -->|\"phase == 'one' and warned\"| e_calm" in text
    # b is drawn inside its phase's box
    box = text[text.index('subgraph c_one["Phase one: One"]') :]
    assert box.index("i_b[") < box.index("    end")


def test_labels_are_escaped(tmp_path: Path) -> None:
    body = inject("a", 'at = "00:05"').replace('title = "a"', 'title = "A \\"quoted\\" <b>"')
    flow = build_flow(scenario_from(tmp_path, body))
    assert "A #quot;quoted#quot; #lt;b#gt;" in to_mermaid(flow)
    assert 'A \\"quoted\\" <b>' in to_dot(flow)
