"""After-action scoring: each factor alone, then together; ratings; agreement; determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from after_action.agreement import cohen_kappa, fleiss_kappa
from after_action.assessment import assess, consensus
from after_action.rationale import match_rationale
from after_action.report import render_report
from after_action.scoring import rating_for
from exercise_engine.loading import load_catalogue
from tests.engine_helpers import Run, inject, scenario_from

OPTIONS = """
[[inject.decisions]]
id = "d"
role = "hom"
prompt = "Use force?"
respond_within = "00:20"
consult = ["force_commander", "police_commissioner"]

[[inject.decisions.options]]
id = "engage"
label = "Engage"
evidence = { "uof.proportionate" = 2, "ppl.impartiality" = -1 }

[[inject.decisions.options]]
id = "talk"
label = "Talk"
evidence = { "ppl.impartiality" = 2, "uof.proportionate" = -1 }

[[inject.decisions.options]]
id = "nothing"
label = "Nothing"
evidence = { "crisis.timely-decision" = -2 }

[inject.decisions.on_expire]
evidence = { "crisis.timely-decision" = -3 }
"""


def _run(tmp_path: Path) -> Run:
    tmp_path.mkdir(parents=True, exist_ok=True)
    run = Run(scenario_from(tmp_path, inject("a", 'at = "00:10"') + OPTIONS), tmp_path)
    run.to("00:10")
    return run


def _score(run: Run):  # type: ignore[no-untyped-def]
    (decision,) = assess(run.ex).decisions
    return decision


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("engage", 100.0),  # sum +1: the best on offer (talk is +1 too)
        ("talk", 100.0),
        ("nothing", 25.0),  # sum -2 between worst -3 (expiry) and best +1: (-2+3)/(1+3)
    ],
)
def test_option_evidence_is_placed_between_worst_and_best(
    tmp_path: Path, option: str, expected: float
) -> None:
    run = _run(tmp_path)
    run.ex.decide(role="hom", inject="a", decision="d", option=option)
    assert _score(run).factors["evidence"] == expected


@pytest.mark.parametrize(
    ("decide_at", "expected"),
    [
        ("00:10", 100.0),  # at once
        ("00:20", 75.0),  # half the window used
        ("00:29", 52.5),  # almost at the deadline
        (None, 0.0),  # the window expired
    ],
)
def test_timeliness_against_the_window(
    tmp_path: Path, decide_at: str | None, expected: float
) -> None:
    run = _run(tmp_path)
    if decide_at is None:
        run.to("00:40")
    else:
        run.to(decide_at)
        run.ex.decide(role="hom", inject="a", decision="d", option="talk")
    score = _score(run)
    assert score.factors["timeliness"] == expected
    if decide_at is None:
        assert score.status == "expired"
        assert [(e.consideration, e.weight, e.source) for e in score.evidence] == [
            ("crisis.timely-decision", -3, "expiry")
        ]
        assert score.score == 0.0 and score.derived_rating == "U"


@pytest.mark.parametrize(
    ("advisers", "expected"),
    [
        ([], 0.0),  # nobody consulted
        (["force_commander"], 50.0),  # one of two
        (["force_commander", "police_commissioner"], 100.0),  # both
    ],
)
def test_consultation_counts_advice_recorded_before_the_decision(
    tmp_path: Path, advisers: list[str], expected: float
) -> None:
    run = _run(tmp_path)
    for role in advisers:
        assert run.ex.advise(role=role, inject="a", decision="d", text="my view").accepted
    run.ex.decide(role="hom", inject="a", decision="d", option="talk")
    assert _score(run).factors["consultation"] == expected


def test_rationale_names_considerations_with_quoted_words() -> None:
    catalogue = load_catalogue().considerations
    text = "We will use minimum force and stay impartial; this is not about determination."
    matches = match_rationale(
        text, ["uof.proportionate", "ppl.impartiality", "uof.deter"], catalogue
    )
    found = {m.consideration: m for m in matches}
    assert set(found) == {"uof.proportionate", "ppl.impartiality"}
    assert found["uof.proportionate"].phrase == "minimum force"
    assert "minimum force" in found["uof.proportionate"].quote


def test_polarity_rewards_weighing_both_sides(tmp_path: Path) -> None:
    one_sided = _run(tmp_path / "one")
    one_sided.ex.decide(
        role="hom", inject="a", decision="d", option="engage", rationale="Proportionate response."
    )
    both = _run(tmp_path / "both")
    both.ex.decide(
        role="hom",
        inject="a",
        decision="d",
        option="engage",
        rationale="Proportionate, and we stay impartial: both sides are warned.",
    )
    a, b = _score(one_sided), _score(both)
    assert a.factors["polarity"] == 0.0 and b.factors["polarity"] == 100.0
    assert ("ppl.impartiality", "uof.proportionate", "both") in b.polarities
    assert b.score > a.score


def test_factors_together_make_the_score_and_rating(tmp_path: Path) -> None:
    run = _run(tmp_path)
    run.ex.advise(
        role="force_commander",
        inject="a",
        decision="d",
        text="We can hold the bridge.",
        recommend="engage",
    )
    run.to("00:15")
    run.ex.decide(
        role="hom",
        inject="a",
        decision="d",
        option="engage",
        rationale="A proportionate, graduated response; we remain impartial.",
    )
    score = _score(run)
    # evidence 100 (.40), timeliness 87.5 (.20), consultation 50 (.15), rationale 66.7 (.15), polarity 100 (.10)
    assert score.factors == pytest.approx(
        {
            "evidence": 100.0,
            "timeliness": 87.5,
            "consultation": 50.0,
            "rationale": 200 / 3,
            "polarity": 100.0,
        }
    )
    assert score.score == pytest.approx(40 + 17.5 + 7.5 + 10 + 10, abs=0.05)
    assert score.derived_rating == "P"


@pytest.mark.parametrize(
    ("score", "rating"),
    [(95, "P"), (80, "P"), (79.9, "S"), (60, "S"), (45, "M"), (39.9, "U"), (0, "U")],
)
def test_rating_bands(score: float, rating: str) -> None:
    assert rating_for(score) == rating


def test_evaluator_ratings_override_and_are_shown(tmp_path: Path) -> None:
    run = _run(tmp_path)
    run.ex.decide(role="hom", inject="a", decision="d", option="talk")
    run.ex.rate(evaluator="Ana", inject="a", decision="d", rating="M", note="No warning given.")
    run.ex.rate(evaluator="Ben", inject="a", decision="d", rating="S")
    run.ex.rate(
        evaluator="Ben", inject="a", decision="d", rating="M"
    )  # Ben changes his mind: latest counts
    score = _score(run)
    assert score.evaluator_ratings == {"Ana": "M", "Ben": "M"}
    assert score.rating == "M" and score.derived_rating != "M"


@pytest.mark.parametrize(
    ("ratings", "expected"), [(["P", "S", "S"], "S"), (["P", "U"], "U"), (["M"], "M")]
)
def test_consensus_breaks_ties_towards_the_critical(ratings: list[str], expected: str) -> None:
    assert consensus(ratings) == expected


def test_cohen_kappa_known_value() -> None:
    # The textbook example: 50 items, yes/no; agree yes 20, agree no 15, 5 and 10 disagreements.
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["P", "P"], ["P", "P"]) == 1.0


def test_fleiss_kappa_known_value() -> None:
    # Fleiss (1971) as worked in the literature: 10 items, 14 raters, 5 categories; kappa 0.210.
    rows = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    table = [{c: n for c, n in enumerate(row) if n} for row in rows]
    assert fleiss_kappa(table) == pytest.approx(0.210, abs=0.001)


def test_agreement_is_reported_for_several_evaluators(tmp_path: Path) -> None:
    run = _run(tmp_path)
    run.ex.decide(role="hom", inject="a", decision="d", option="talk")
    for name, rating in (("Ana", "S"), ("Ben", "S"), ("Cy", "M")):
        run.ex.rate(evaluator=name, inject="a", decision="d", rating=rating)
        run.ex.rate(
            evaluator=name, inject="a", decision="d", rating="P", consideration="ppl.impartiality"
        )
    methods = {a["method"] for a in assess(run.ex).agreement}
    assert methods == {"Cohen", "Cohen, linearly weighted", "Fleiss"}


def test_the_same_exercise_always_scores_the_same(tmp_path: Path) -> None:
    run = _run(tmp_path)
    run.ex.decide(role="hom", inject="a", decision="d", option="engage", rationale="minimum force")
    first = render_report(assess(run.ex), run.ex.scenario, "json")
    second = render_report(assess(run.ex), run.ex.scenario, "json")
    assert first == second
    assert json.loads(first)["decisions"][0]["score"] > 0


def test_open_points_are_not_scored_mid_exercise(tmp_path: Path) -> None:
    run = _run(tmp_path)  # delivered at 00:10, window open
    assessment = assess(run.ex)
    assert assessment.decisions == [] and assessment.still_open == 1
    assert "1 still open, not scored yet" in render_report(assessment, run.ex.scenario, "md")
