"""The pure rules for what evaluators and the facilitator may journal after play: ratings in
either case, objectives, improvement-plan fields and seats — each refusal names the field."""

from __future__ import annotations

import pytest

from exercise_engine.engine.evaluation import (
    normalize_rating,
    objective_refusal,
    plan_refusal,
    scenario_objectives,
    seat_refusal,
)
from exercise_engine.loading import LoadedScenario, load_scenario
from tests.conftest import REPO


@pytest.fixture(scope="module")
def tutorial() -> LoadedScenario:
    return load_scenario(REPO / "scenarios" / "tutorial.toml")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("P", "P"),  # as written
        ("u", "U"),  # lower case accepted
        (" s ", "S"),  # stray spaces
        ("X", None),  # off the scale
        ("PS", None),  # two ratings
        ("", None),  # nothing
    ],
)
def test_ratings_in_either_case(given: str, expected: str | None) -> None:
    assert normalize_rating(given) == expected


@pytest.mark.parametrize(
    ("row", "fields", "current", "names"),
    [
        # a good edit
        ("afi:tut-02/posture", {"status": "complete"}, {}, None),
        # a row id with spaces
        ("afi tut", {"status": "complete"}, {}, "plan row"),
        # nothing to set
        ("afi:x", {}, {}, "nothing to set"),
        # an unknown field
        ("afi:x", {"owner": "hom"}, {}, "unknown field 'owner'"),
        # capability elements are HSEEP's five
        ("afi:x", {"capability_element": "doctrine"}, {}, "capability_element"),
        # statuses are a closed list
        ("afi:x", {"status": "done"}, {}, "plan field status"),
        # one responsible role, in play
        ("afi:x", {"responsible_role": "hom, dms"}, {}, "responsible_role"),
        # dates are dates
        ("afi:x", {"completion": "next week"}, {}, "plan field completion"),
        # completion before start, in one edit
        ("afi:x", {"start": "2027-02-01", "completion": "2027-01-01"}, {}, "before the start"),
        # completion before a start set by an earlier edit
        ("afi:x", {"completion": "2027-01-01"}, {"start": "2027-02-01"}, "before the start"),
        # clearing a field is allowed
        ("afi:x", {"point_of_contact": ""}, {}, None),
    ],
)
def test_plan_edits(
    tutorial: LoadedScenario,
    row: str,
    fields: dict[str, str],
    current: dict[str, str],
    names: str | None,
) -> None:
    problem = plan_refusal(tutorial, row, fields, current)
    if names is None:
        assert problem is None
    else:
        assert problem is not None and names in problem


def test_objectives_and_seats(tutorial: LoadedScenario) -> None:
    ids = [o.id for o in scenario_objectives(tutorial)]
    assert ids and all(not o.derived for o in scenario_objectives(tutorial))
    assert objective_refusal(tutorial, ids[0]) is None
    assert "objective: unknown objective 'nope'" in (objective_refusal(tutorial, "nope") or "")
    assert seat_refusal(tutorial, "hom") is None
    assert "role: 'pilot'" in (seat_refusal(tutorial, "pilot") or "")


def test_scenarios_without_objectives_get_one_per_area(tmp_path: object) -> None:
    """A scenario written before objectives existed still gets an analysis per objective."""
    import re
    from pathlib import Path

    source = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    stripped = re.sub(r"\[\[objectives\]\]\n(?:(?!\n\[).)*", "", source, flags=re.S)
    assert "[[objectives]]" not in stripped
    path = Path(str(tmp_path)) / "tutorial.toml"
    path.write_text(stripped, encoding="utf-8")
    refs = scenario_objectives(load_scenario(path))
    assert refs and all(o.derived for o in refs)
    assert "protection-of-civilians" in [o.id for o in refs]
