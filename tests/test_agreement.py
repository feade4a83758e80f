"""Agreement between evaluators: kappa values pinned to worked textbook tables, Landis and
Koch's words at their boundaries, and the warning when too few items were rated in common."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from after_action.agreement import (
    MIN_ITEMS,
    cohen_kappa,
    describe_kappa,
    few_items_warning,
    fleiss_kappa,
    weighted_kappa,
)


def test_cohen_kappa_of_the_textbook_two_by_two_table() -> None:
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 -> po 0.70, pe 0.50, kappa 0.40
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.40)


def test_fleiss_kappa_of_the_textbook_table() -> None:
    # Fleiss (1971) style worked example: 10 items, 14 raters, 5 categories -> kappa 0.210
    rows = [
        (0, 0, 0, 0, 14),
        (0, 2, 6, 4, 2),
        (0, 0, 3, 5, 6),
        (0, 3, 9, 2, 0),
        (2, 2, 8, 1, 1),
        (7, 7, 0, 0, 0),
        (3, 2, 6, 3, 0),
        (2, 5, 3, 2, 2),
        (6, 5, 2, 1, 0),
        (0, 2, 2, 3, 7),
    ]
    table = [Counter({c: n for c, n in enumerate(row) if n}) for row in rows]
    assert fleiss_kappa(table) == pytest.approx(0.2099, abs=5e-4)


def test_linearly_weighted_kappa_on_the_rating_scale() -> None:
    # ten items; the three disagreements are each one step apart on P/S/M/U:
    # observed weighted disagreement 3 x 1/3 / 10 = 0.1; expected 126/3/100 = 0.42;
    # weighted kappa 1 - 0.1/0.42 = 16/21; the unweighted kappa (0.7 - 0.25)/0.75 = 0.6
    a = list("PPSSMMUUPS")
    b = list("PSSMMUUUPS")
    assert weighted_kappa(a, b) == pytest.approx(16 / 21)
    assert cohen_kappa(a, b) == pytest.approx(0.6)
    # a P against a U is a bigger disagreement than a P against an S
    near = weighted_kappa(list("PPSSMMUU"), list("SPSSMMUU"))
    far = weighted_kappa(list("PPSSMMUU"), list("UPSSMMUU"))
    assert near is not None and far is not None and near > far
    with pytest.raises(ValueError):
        weighted_kappa(["P"], ["X"])


@pytest.mark.parametrize(
    ("kappa", "words"),
    [
        (-0.05, "poor"),  # below zero
        (0.0, "slight"),  # Landis and Koch: 0.00-0.20 is slight, not poor
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, "undefined"),
    ],
)
def test_landis_koch_words(kappa: float | None, words: str) -> None:
    assert describe_kappa(kappa) == words


def test_few_items_are_flagged() -> None:
    assert MIN_ITEMS == 10
    assert "only 2 items" in few_items_warning(2)
    assert few_items_warning(10) == ""


def test_the_report_counts_items_and_warns(tmp_path: Path) -> None:
    from after_action.assessment import assess
    from tests.test_aar_report import played

    exercise = played(tmp_path, "tutorial", "robust")
    for name, ratings in (("Ana", "SPM"), ("Ben", "SPU")):
        for d, rating in zip(assess(exercise).decisions[:3], ratings, strict=True):
            exercise.rate(evaluator=name, inject=d.inject, decision=d.decision, rating=rating)
    exercise.rate(
        evaluator="Ana", inject="tut-02", decision="posture", rating="P", consideration="uof.deter"
    )
    rows = {a["method"]: a for a in assess(exercise).agreement}
    assert set(rows) == {"Cohen", "Cohen, linearly weighted"}
    assert rows["Cohen"]["items"] == 3  # Ana's extra consideration rating is not shared
    # S P M against S P U: po 2/3, pe 2/9 -> 4/7; weighted: 1 - (1/9)/(11/27) = 8/11
    assert rows["Cohen"]["kappa"] == pytest.approx(4 / 7, abs=1e-3)
    assert rows["Cohen"]["words"] == "moderate"
    assert "only 3 items" in rows["Cohen"]["warning"]
    assert rows["Cohen, linearly weighted"]["kappa"] == pytest.approx(8 / 11, abs=1e-3)
