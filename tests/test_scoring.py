"""After-action scoring: each factor alone, then together; ratings; agreement; determinism.

The scenario here declares its own considerations (with their own indicators), so that these
tests pin the method, not the wording of the shipped catalogue.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from after_action.agreement import cohen_kappa, fleiss_kappa
from after_action.assessment import assess, consensus
from after_action.rationale import match_rationale, read_rationale
from after_action.report import render_report
from after_action.scoring import (
    NO_WINDOW_TIMELINESS,
    WEIGHTS,
    DecisionScore,
    mlt_indicator,
    rating_for,
    score_decision,
)
from exercise_engine.loading import LoadedScenario
from tests.conftest import REPO
from tests.engine_helpers import Run, inject, scenario_from

CONSIDERATIONS = """
[[considerations]]
id = "ex.proportionate"
area = "Use of force"
statement = "Force is scaled to the threat and to the political end it serves."
source = { doc = "001_3fc6dd05fdfc6643.txt", section = "ch. 4" }
indicators = ["proportionate", "graduated response", "minimum force"]
tension_with = ["ex.impartial"]

[[considerations]]
id = "ex.impartial"
area = "Principles"
statement = "The mission acts without favour to any party."
source = { doc = "001_3fc6dd05fdfc6643.txt", section = "ch. 1" }
indicators = ["impartial", "even-handed"]
tension_with = ["ex.proportionate"]

[[considerations]]
id = "ex.timely"
area = "Crisis management"
statement = "The decision is taken while it can still shape events."
source = { doc = "001_3fc6dd05fdfc6643.txt", section = "ch. 2" }
indicators = ["without delay", "decide now", "platoon"]

[[considerations]]
id = "ex.warned"
area = "Use of force"
statement = "Those who would be targeted were warned first."
source = { doc = "001_3fc6dd05fdfc6643.txt", section = "ch. 4" }
indicators = ["warning", "red line"]
"""

OPTIONS = """
[[inject.decisions]]
id = "d"
role = "hom"
prompt = "Use force?"
respond_within = "00:20"
decide_by = "00:15"
consult = ["force_commander", "police_commissioner"]

[[inject.decisions.options]]
id = "engage"
label = "Engage"
evidence = { "ex.proportionate" = 2, "ex.impartial" = -1 }

[[inject.decisions.options]]
id = "talk"
label = "Talk"
evidence = { "ex.impartial" = 2, "ex.proportionate" = -1 }

[[inject.decisions.options]]
id = "strike-now"
label = "Strike now"
evidence = { "ex.timely" = 2, "ex.warned" = -2 }
breach = "Force used before the warning was given"

[[inject.decisions.options]]
id = "nothing"
label = "Nothing"
evidence = { "ex.timely" = -2 }

[inject.decisions.on_expire]
evidence = { "ex.timely" = -3 }
"""


def _run(tmp_path: Path) -> Run:
    tmp_path.mkdir(parents=True, exist_ok=True)
    run = Run(
        scenario_from(tmp_path, CONSIDERATIONS + inject("a", 'at = "00:10"') + OPTIONS), tmp_path
    )
    run.to("00:10")
    return run


def _score(run: Run) -> DecisionScore:
    (decision,) = assess(run.ex).decisions
    return decision


def _rescore(scenario: LoadedScenario, **record: Any) -> DecisionScore:
    """Score a hand-made record of point a/d (delivered at 00:10) without a journal."""
    entry: dict[str, Any] = {
        "status": "decided",
        "opened_at": 600,
        "closed_at": 900,
        "option": "engage",
        "rationale": "",
        "advice": [],
        **record,
    }
    point = scenario.decision_point("a", "d")
    assert point is not None
    return score_decision(entry, scenario, scenario.injects["a"], point)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> LoadedScenario:
    path = tmp_path_factory.mktemp("s")
    return scenario_from(path, CONSIDERATIONS + inject("a", 'at = "00:10"') + OPTIONS)


@pytest.mark.parametrize(
    ("option", "expected", "regret"),
    [
        ("engage", 100.0, 0.0),  # net +1: the best on offer (talk is +1 too)
        ("talk", 100.0, 0.0),
        ("nothing", 25.0, 0.75),  # net -2: three quarters of the way from best (+1) to worst (-3)
        ("strike-now", 75.0, 0.25),  # net 0, but a breach: never the benchmark
    ],
)
def test_option_quality_is_regret_against_the_best_option(
    scenario: LoadedScenario, option: str, expected: float, regret: float
) -> None:
    score = _rescore(scenario, option=option)
    assert score.factors["evidence"] == expected
    assert score.regret == regret and score.best_option == "engage"


@pytest.mark.parametrize(
    ("decide_at", "expected"),
    [
        ("00:10", 100.0),  # at once
        ("00:25", 100.0),  # exactly at decide_by (15 minutes): still full marks
        ("00:28", 70.0),  # 3 of the 5 late minutes used: 100 - 50 x 3/5
        ("00:30", 50.0),  # the last second of the window
        (None, 0.0),  # the window expired
    ],
)
def test_timeliness_full_marks_until_decide_by(
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
            ("ex.timely", -3, "expiry")
        ]
        assert score.score == 0.0 and score.derived_rating == "U"


def test_a_decided_point_without_a_window_is_on_time(tmp_path: Path) -> None:
    body = OPTIONS.replace('respond_within = "00:20"\ndecide_by = "00:15"\n', "")
    run = Run(
        scenario_from(tmp_path, CONSIDERATIONS + inject("a", 'at = "00:10"') + body), tmp_path
    )
    run.to("05:00")  # hours later: there was no window to miss
    run.ex.decide(role="hom", inject="a", decision="d", option="talk")
    assert _score(run).factors["timeliness"] == NO_WINDOW_TIMELINESS == 100.0


@pytest.mark.parametrize(
    ("advice_at", "counted"),
    [
        (899, True),  # a second before the decision
        (
            900,
            True,
        ),  # the same second: the engine refuses advice on a closed point, so it came first
        (901, False),  # after the decision
    ],
)
def test_consultation_counts_advice_before_the_decision(
    scenario: LoadedScenario, advice_at: int, counted: bool
) -> None:
    advice = [{"role": "force_commander", "at": advice_at, "text": "hold the bridge"}]
    score = _rescore(scenario, closed_at=900, advice=advice)
    assert score.factors["consultation"] == (50.0 if counted else 0.0)


def test_advice_does_not_count_for_a_point_left_to_expire(scenario: LoadedScenario) -> None:
    advice = [{"role": "force_commander", "at": 700, "text": "hold the bridge"}]
    score = _rescore(scenario, status="expired", option=None, closed_at=1800, advice=advice)
    assert score.factors["consultation"] == 0.0


@pytest.mark.parametrize(
    ("advisers", "expected"),
    [
        ([], 0.0),  # nobody consulted
        (["force_commander"], 50.0),  # one of two
        (["force_commander", "police_commissioner"], 100.0),  # both
    ],
)
def test_consultation_through_the_engine(
    tmp_path: Path, advisers: list[str], expected: float
) -> None:
    run = _run(tmp_path)
    for role in advisers:
        assert run.ex.advise(role=role, inject="a", decision="d", text="my view").accepted
    run.ex.decide(role="hom", inject="a", decision="d", option="talk")
    assert _score(run).factors["consultation"] == expected


@pytest.mark.parametrize(
    ("text", "credited", "denied"),
    [
        # named plainly
        ("A proportionate answer; we stay impartial.", {"ex.proportionate", "ex.impartial"}, set()),
        # inflections of the last word are found
        ("Proportionately, and after the warnings.", {"ex.proportionate", "ex.warned"}, set()),
        # denied in its clause: not credited, shown as denied
        ("No warning was given and we are not impartial.", set(), {"ex.warned", "ex.impartial"}),
        # a denial right after the phrase
        ("Impartiality does not matter here.", set(), {"ex.impartial"}),
        # a denial reaches the end of its clause, no further
        ("There was no time, but the answer is proportionate.", {"ex.proportionate"}, set()),
        # "without" denies too
        ("We act without any warning.", set(), {"ex.warned"}),
        # so does choosing something else instead
        ("We talk instead of a graduated response.", set(), {"ex.proportionate"}),
        # a generic indicator ("platoon") is never credited
        ("Send a platoon.", set(), set()),
        # not a whole word
        ("Disproportionate.", set(), set()),
    ],
)
def test_rationale_reading(
    scenario: LoadedScenario, text: str, credited: set[str], denied: set[str]
) -> None:
    reading = read_rationale(
        text,
        ["ex.proportionate", "ex.impartial", "ex.timely", "ex.warned"],
        scenario.considerations,
    )
    assert reading.credited == credited
    assert {m.consideration for m in reading.denied} == denied


def test_one_phrase_credits_one_consideration(tmp_path: Path) -> None:
    shared = CONSIDERATIONS.replace(
        'indicators = ["warning", "red line"]',
        'indicators = ["warning", "red line", "minimum force"]',
    )
    loaded = scenario_from(tmp_path, shared + inject("a", 'at = "00:10"') + OPTIONS)
    text = "Minimum force, minimum force, minimum force."
    matches = match_rationale(text, ["ex.proportionate", "ex.warned"], loaded.considerations)
    assert [(m.consideration, m.phrase) for m in matches] == [("ex.proportionate", "minimum force")]
    assert "Minimum force" in matches[0].quote


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        ("After hearing the Force Commander, we engage.", ["force_commander"]),
        (
            "I consulted the FC and the Police Commissioner.",
            ["force_commander", "police_commissioner"],
        ),
        ("I did not consult the Force Commander.", []),  # a denied claim claims nothing
        ("The Force Commander wants to engage.", []),  # a name without a claim
    ],
)
def test_claimed_consultation_is_set_against_the_record(
    scenario: LoadedScenario, text: str, claimed: list[str]
) -> None:
    advice = [{"role": "police_commissioner", "at": 800, "text": "go"}]
    score = _rescore(scenario, rationale=text, advice=advice)
    assert score.claimed_consultation == claimed
    assert score.claimed_not_recorded == [r for r in claimed if r != "police_commissioner"]


def test_polarity_rewards_naming_the_cost_of_the_trade(scenario: LoadedScenario) -> None:
    one_sided = _rescore(scenario, rationale="A proportionate response.")
    both = _rescore(
        scenario, rationale="Proportionate, though it costs us being seen as impartial."
    )
    assert one_sided.factors["polarity"] == 0.0 and both.factors["polarity"] == 100.0
    assert ("ex.proportionate", "ex.impartial", "both") in both.polarities
    assert both.score > one_sided.score


@pytest.mark.parametrize(("caps", "ceiling", "rating"), [("", 59.9, "M"), ("U", 39.9, "U")])
def test_a_breach_caps_the_decision(tmp_path: Path, caps: str, ceiling: float, rating: str) -> None:
    # without breach_caps the cap is M; the author may say U
    body = OPTIONS
    if caps:
        body = OPTIONS.replace(
            'breach = "Force used before the warning was given"',
            f'breach = "Force used before the warning was given"\nbreach_caps = "{caps}"',
        )
    loaded = scenario_from(tmp_path, CONSIDERATIONS + inject("a", 'at = "00:10"') + body)
    advice = [
        {"role": r, "at": 700, "text": "x"} for r in ("force_commander", "police_commissioner")
    ]
    score = _rescore(loaded, option="strike-now", rationale="Decide now.", advice=advice)
    assert score.breach == "Force used before the warning was given"
    assert score.cap == (caps or "M")
    assert score.score == ceiling and score.derived_rating == rating


def test_factors_together_make_the_score_and_rating(tmp_path: Path) -> None:
    """docs/scoring.md, section 6: the worked example, step by step."""
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
        rationale="A proportionate, graduated response; the cost is that we look less impartial.",
    )
    score = _score(run)
    assert score.factors == pytest.approx(
        {
            "evidence": 100.0,
            "timeliness": 100.0,
            "consultation": 50.0,
            "rationale": 200 / 3,
            "polarity": 100.0,
        }
    )
    # core: (50x100 + 25x100 + 20x50) / 95 = 89.47, x 0.95 = 85.0; words: (3x66.7 + 2x100) / 5 = 80, x 0.05 = 4.0
    assert score.score_without_rationale == 85.0
    assert score.score == 89.0 and score.derived_rating == "P"
    scenario = run.ex.scenario
    record = {"closed_at": 900, "advice": [{"role": "force_commander", "at": 720, "text": "x"}]}
    stuffed = _rescore(
        scenario,
        rationale="proportionate minimum force graduated response impartial even-handed "
        "without delay decide now warning red line platoon",
        **record,
    )
    assert stuffed.score == 90.0  # every consideration named: one point more, no further
    negated = _rescore(
        scenario,
        rationale="No warning was given and we are not impartial here; a proportionate response.",
        **record,
    )
    assert negated.factors["rationale"] == pytest.approx(100 / 3)
    assert negated.score == 86.0  # only "proportionate" is credited
    breach = _rescore(
        scenario,
        option="strike-now",
        rationale="A proportionate, graduated response; the cost is that we look less impartial.",
        **record,
    )
    assert breach.factors["evidence"] == 75.0 and breach.score == 59.9
    late = _rescore(scenario, closed_at=600 + 17 * 60, advice=record["advice"])
    assert late.factors["timeliness"] == 80.0
    # the page states the same figures, so the page and the code cannot drift apart
    page = (REPO / "docs" / "scoring.md").read_text(encoding="utf-8")
    example = page[page.index("## 6. A worked example") : page.index("## 7.")]
    assert f"= 85.0 + 4.0 = **{score.score} → {score.derived_rating}**" in example
    assert f"**{stuffed.score}**, one" in example
    assert f"polarity 0: **{negated.score}**" in example
    assert f"**{breach.score} → {breach.derived_rating}**" in example
    assert f"100 − 50 × 2/5 = {late.factors['timeliness']:g}" in example
    for name, weight in WEIGHTS.items():
        label = {"evidence": "Option evidence"}.get(name, name.capitalize())
        assert f"| {label} | {round(weight * 100)} |" in page


def test_mlt_weighs_critical_points_and_caps_the_words() -> None:
    def decision(score: float, without: float, weight: float) -> DecisionScore:
        d = DecisionScore(
            "i", "d", "hom", "", "decided", 0, 60, None, "o", "", "", False, [], [], []
        )
        d.score, d.score_without_rationale, d.weight = score, without, weight
        return d

    # a critical point (weight 2) at 90 and an ordinary one at 30: (2x90 + 30) / 3 = 70
    assert mlt_indicator([decision(90, 90, 2), decision(30, 30, 1)]) == 70.0
    # five rationale points on every decision move the MLT by two
    assert mlt_indicator([decision(95, 90, 2), decision(35, 30, 1)]) == 72.0
    assert mlt_indicator([]) == 0.0


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
    assert methods == {"Cohen", "Fleiss"}


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
