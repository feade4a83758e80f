"""The December format keys (DESIGN §9): objectives, critical points and weights, decide_by,
breaches, a point's own considerations, and the rule that keeps generic indicators from scoring.

The malformed corpus (tests/malformed/) pins the error lines; these tests pin the defaults, the
warnings and what the bundled scenarios declare.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exercise_engine.loading import Problems, check_scenario, load_scenario
from exercise_engine.loading.indicators import generic_reason
from tests.conftest import REPO, run_cli
from tests.engine_helpers import HEADER, decision, inject

BUNDLED = ["minusca-bambari", "unamid-saraf-umra", "unmis-tob", "tutorial"]


def _check(tmp_path: Path, body: str, header: str = HEADER) -> Problems:
    path = tmp_path / "s.toml"
    path.write_text(header + body, encoding="utf-8")
    problems = Problems()
    check_scenario(path, problems)
    return problems


def _point(extra: str) -> str:
    return inject("a", 'at = "00:10"') + decision().replace(
        'respond_within = "00:10"', 'respond_within = "00:10"\n' + extra
    )


@pytest.mark.parametrize(
    ("extra", "weight", "full_marks"),
    [
        ("", 1.0, 600),  # defaults: weight 1, full marks for the whole window
        ("critical = true", 2.0, 600),  # critical counts double
        ("critical = true\nweight = 3", 3.0, 600),  # an explicit weight wins over critical
        ("weight = 0.5", 0.5, 600),  # a press line can count half
        ('decide_by = "00:04"', 1.0, 240),  # full marks only up to decide_by
        ('decide_by = "00:10"', 1.0, 600),  # decide_by may equal the window
    ],
)
def test_point_weight_and_decide_by_defaults(
    tmp_path: Path, extra: str, weight: float, full_marks: int
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEADER + _point(extra), encoding="utf-8")
    point = load_scenario(path).decision_point("a", "d")
    assert point is not None
    assert point.mlt_weight == weight
    assert point.full_marks_until == full_marks


def test_decide_by_needs_a_window(tmp_path: Path) -> None:
    body = _point('decide_by = "00:05"').replace('respond_within = "00:10"\n', "")
    problems = _check(tmp_path, body)
    assert [p.message for p in problems.errors] == [
        "decide_by needs a respond_within: it is a time inside the response window"
    ]


@pytest.mark.parametrize(
    ("phrase", "generic"),
    [
        ("platoon", True),  # a unit every scenario names
        ("ICRC", True),  # an actor every humanitarian rationale names, any case
        ("cost", True),  # every decision spends something
        ("the platoon", True),  # stop words do not make it specific
        ("the", True),  # nothing of its own
        ("time-bound detachment", False),  # a phrase only this consideration's rationale uses
        ("proportionate", False),  # one word, but a specific one
        ("staff safety", False),  # two words: a named concern, not a bare noun
    ],
)
def test_generic_indicators(phrase: str, generic: bool) -> None:
    assert (generic_reason(phrase) is not None) == generic


LOCAL = """
[[considerations]]
id = "mini.platoon-checked"
area = "Use of force"
statement = "The contributor's terms were read before the platoon moved."
source = { doc = "001_3fc6dd05fdfc6643.txt", section = "ch. 4" }
indicators = ["platoon", "memorandum of understanding", "cost"]
"""


def test_a_scenario_consideration_with_generic_indicators_is_warned(tmp_path: Path) -> None:
    problems = _check(tmp_path, LOCAL + inject("a", 'at = "00:10"') + decision())
    assert not problems.errors
    (warning,) = [p for p in problems.warnings if "generic" in p.message]
    assert warning.key == "considerations[0].indicators"
    assert "'platoon', 'cost'" in warning.message and "memorandum" not in warning.message
    assert warning.line is not None


OBJECTIVE = """
[[objectives]]
id = "o1"
text = "Decide in time and weigh the risk to civilians."
considerations = ["crisis.timely-decision"]
points = ["a/d"]
capability = "{capability}"
"""


@pytest.mark.parametrize(
    ("capability", "warned"),
    [
        ("Operational Coordination", None),  # an HSEEP core capability
        ("Operational Co-ordination", "did you mean 'Operational Coordination'?"),  # a near miss
    ],
)
def test_objective_capability_is_an_hseep_core_capability(
    tmp_path: Path, capability: str, warned: str | None
) -> None:
    body = OBJECTIVE.format(capability=capability) + inject("a", 'at = "00:10"') + decision()
    problems = _check(tmp_path, body)
    assert not problems.errors
    messages = [p.message for p in problems.warnings if p.key == "objectives[0].capability"]
    assert messages[0].endswith(f"({warned})") if warned else messages == [], messages


def test_a_breach_with_the_best_evidence_is_warned(tmp_path: Path) -> None:
    options = """
[[inject.decisions.options]]
id = "strike"
label = "Strike"
evidence = { "crisis.timely-decision" = 3 }
breach = "Force used before any warning"

[[inject.decisions.options]]
id = "warn"
label = "Warn"
evidence = { "crisis.timely-decision" = 1 }
"""
    problems = _check(tmp_path, inject("a", 'at = "00:10"') + decision(options=options))
    assert not problems.errors
    assert any(
        p.key == "inject[0].decisions[0].options[0].breach" and "best" in p.message
        for p in problems.warnings
    )


@pytest.mark.parametrize("scenario", BUNDLED)
def test_bundled_scenarios_declare_objectives_critical_points_and_breaches(scenario: str) -> None:
    loaded = load_scenario(REPO / "scenarios" / f"{scenario}.toml")
    assert 3 <= len(loaded.file.objectives) <= 5
    points = loaded.decision_points()
    assert any(p.critical for _, p in points), "no critical point"
    assert any(o.breach for _, p in points for o in p.options), "no breach"
    for objective in loaded.file.objectives:
        assert objective.points and objective.considerations, objective.id


def test_validate_warns_about_generic_indicators_in_a_catalogue_file(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.toml"
    catalogue.write_text(
        """[[consideration]]
id = "demo.checked"
area = "Demo"
statement = "The contributor's terms were read before the unit moved."
source = { doc = "001_3fc6dd05fdfc6643.txt", section = "ch. 4" }
indicators = ["ICRC", "read the MOU"]
""",
        encoding="utf-8",
    )
    result = run_cli("validate", str(catalogue))
    assert result.returncode == 0, result.stdout  # a warning, not an error
    assert (
        f"{catalogue}:6: consideration[0].indicators: warning: too generic to show this "
        "consideration was weighed, so never credited: 'ICRC'"
    ) in result.stdout + result.stderr
