"""The trend analysis and its layout without a journal: ordering, copies of one exercise,
unverified journals, the change column, the cells, and text from a journal that must print as
text (a scenario's title is someone's typing)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from after_action.trends import (
    Cohort,
    Heading,
    Mark,
    Row,
    build_trends,
    cohort_label,
)
from after_action.trends_render import cell, trends_html, trends_markdown

DAY = 86_400.0
START = datetime(2026, 11, 29, 12, tzinfo=UTC).timestamp()


def cohort(
    identity: str,
    started: float,
    value: float | None = 70.0,
    *,
    scenario: str = "tutorial",
    verified: bool = True,
    events: int = 40,
    title: str = "Tutorial",
    objective_text: str = "Deter even-handedly.",
) -> Cohort:
    rating = None if value is None else ("P" if value >= 80 else "S" if value >= 60 else "M")
    mark = Mark(value, rating, False, value, -1, 2)
    return Cohort(
        label=cohort_label(started, identity),
        identity=identity,
        started=started,
        events=events,
        scenario_id=scenario,
        scenario_title=title,
        scenario_hash="h1",
        verified=verified,
        ending="Calm restored",
        mlt_score=value or 0.0,
        mlt_rating=rating or "U",
        mlt_indicator=value or 0.0,
        mlt_evaluators=False,
        objectives={"deter": mark},
        considerations={"poc.physical-protection": mark},
        objective_headings=(Heading("deter", objective_text),),
        consideration_headings=(
            Heading("poc.physical-protection", "Protect civilians.", "Protection of civilians"),
        ),
    )


def test_cohorts_run_oldest_first_whatever_the_order_given() -> None:
    late, early, middle = cohort("c", START + 2 * DAY), cohort("a", START), cohort("b", START + DAY)
    trend = build_trends([late, early, middle]).scenarios[0]
    assert [c.identity for c in trend.cohorts] == ["a", "b", "c"]
    assert [c.label[:10] for c in trend.cohorts] == ["2026-11-29", "2026-11-30", "2026-12-01"]


@pytest.mark.parametrize(
    ("copies", "kept"),
    [
        # a backup taken before the evaluators' ratings, and the journal after them
        ([("x", True, 40), ("x", True, 45)], 45),
        # the same, given the other way round
        ([("x", True, 45), ("x", True, 40)], 45),
        # an edited copy with more events never wins over one that verifies
        ([("x", True, 40), ("x", False, 50)], 40),
        ([("x", False, 50), ("x", True, 40)], 40),
    ],
)
def test_one_exercise_given_twice_is_counted_once(
    copies: list[tuple[str, bool, int]], kept: int
) -> None:
    cohorts = [cohort(i, START, verified=v, events=n) for i, v, n in copies]
    trends = build_trends(cohorts)
    (trend,) = trends.scenarios
    assert [c.events for c in trend.cohorts] == [kept]
    assert trend.excluded == ()
    assert trends.duplicates == (cohorts[0].label,)


def test_an_unverified_journal_is_excluded_unless_allowed() -> None:
    good, bad = cohort("a", START), cohort("b", START + DAY, verified=False)
    trend = build_trends([good, bad]).scenarios[0]
    assert trend.cohorts == (good,) and trend.excluded == (bad,)
    assert "fails verification" in trends_markdown(build_trends([good, bad]))
    allowed = build_trends([good, bad], allow_unverified=True)
    assert allowed.scenarios[0].cohorts == (good, bad)
    assert "(fails verification)" in trends_markdown(allowed)


def test_scenarios_are_grouped_and_filtered() -> None:
    a, b = cohort("a", START, scenario="tutorial"), cohort("b", START, scenario="minusca")
    assert [t.scenario_id for t in build_trends([a, b]).scenarios] == ["minusca", "tutorial"]
    assert [t.scenario_id for t in build_trends([a, b], scenario="tutorial").scenarios] == [
        "tutorial"
    ]


@pytest.mark.parametrize(
    ("values", "change"),
    [
        ([60.0, 70.0, 85.0], 25.0),  # improving
        ([85.0, None, 50.0], -35.0),  # a cohort that never reached it is skipped
        ([70.0], None),  # one figure: no change to show
        ([None, None], None),  # no figure at all
    ],
)
def test_change_is_last_minus_first_figure(
    values: list[float | None], change: float | None
) -> None:
    marks = tuple(
        None if v is None else Mark(v, "S", False, v, 0, 1) for v in values
    )  # a None mark: that version of the scenario has no such row
    assert Row(Heading("x", "x"), marks).change == change


@pytest.mark.parametrize(
    ("mark", "net", "text"),
    [
        (Mark(72.04, "S", False, 72.0, -2, 3), True, "S 72.0 · net −2"),
        (Mark(50.0, "M", True, 81.0, 1, 1), False, "M† 50.0"),  # the evaluators' own rating
        (Mark(None, None, False, None, None, 0), True, "—"),  # nothing reached
        (None, False, "—"),  # the row is not in this cohort's scenario version
    ],
)
def test_cell(mark: Mark | None, net: bool, text: str) -> None:
    assert cell(mark, net=net) == text


def test_the_label_is_a_day_and_a_hash_of_the_first_event() -> None:
    label = cohort_label(START, "f" * 64)
    assert re.fullmatch(r"2026-11-29 · [0-9a-f]{8}", label)
    assert "ffffffff" not in label  # not a prefix of the journal's own hash
    assert cohort_label(START + 3600, "f" * 64) == label  # stable within the day


HOSTILE = "<script>alert(1)</script> | **bold** # [x](http://e)"


def test_text_from_a_journal_prints_as_text() -> None:
    trends = build_trends(
        [cohort("a", START), cohort("b", START + DAY, title=HOSTILE, objective_text=HOSTILE)]
    )
    page = trends_html(trends)  # the newest cohort's words name the scenario and its rows
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    text = trends_markdown(trends)
    assert "<script>" not in text
    objective_row = next(line for line in text.splitlines() if line.startswith("| deter"))
    # the pipe inside the text does not add a column
    assert len(re.split(r"(?<!\\)\|", objective_row)) == len(
        re.split(r"(?<!\\)\|", text.split("### By objective\n\n")[1].splitlines()[0])
    )


def test_a_single_cohort_and_no_figure_still_render() -> None:
    trends = build_trends([cohort("a", START, value=None)])
    assert "No figure" not in trends_markdown(trends)
    page = trends_html(trends)
    assert page.count("<svg") == 2  # no objectives chart without a figure; two sparklines
