"""Metamorphic tests of the derived indicator on the bundled playthroughs.

Each playthrough is played once (module fixture); every test then changes the record in memory —
a rationale, a time, an option — and rescores it through the scoring API, asserting how the
indicator may and may not move (DESIGN §7, docs/scoring.md). No relation is tuned to a
playthrough: each holds for every decision of every bundled run.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from after_action.rationale import RationaleReading
from after_action.scoring import (
    CAP_CEILING,
    MLT_RATIONALE_SHARE,
    RATIONALE_POINTS,
    DecisionScore,
    at_stake,
    benchmark,
    mlt_indicator,
    rating_for,
    score_decision,
)
from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import LoadedScenario, load_scenario
from exercise_engine.loading.indicators import generic_reason
from exercise_engine.loading.playthrough import load_playthrough
from exercise_engine.model import DecisionPoint
from exercise_engine.record import exercise_record
from exercise_engine.runtime import play_script
from tests.conftest import REPO

PLAYTHROUGHS = sorted((REPO / "scenarios" / "playthroughs").glob("*/*.toml"))
SEED_SCENARIOS = ["minusca-bambari", "unamid-saraf-umra", "unmis-tob", "tutorial"]
REFERENCE = {
    "minusca-bambari": "robust",
    "unmis-tob": "robust",
    "tutorial": "robust",
    # UNAMID's "ordered" path is labelled robust, but it overrides a contributor's caveat; the
    # negotiated path is the one the study holds up (its playthrough says so)
    "unamid-saraf-umra": "negotiated",
}
"""The playthrough a course director would rank first in each scenario."""

CONSULTED = " I consulted the Force Commander and the Legal Adviser."


@dataclass
class Played:
    name: str
    scenario: LoadedScenario
    points: list[dict[str, Any]]
    """The record's closed decision points."""

    def point(self, entry: dict[str, Any]) -> DecisionPoint:
        found = self.scenario.decision_point(entry["inject"], entry["decision"])
        assert found is not None
        return found

    def score(self, entry: dict[str, Any]) -> DecisionScore:
        point = self.point(entry)
        return score_decision(entry, self.scenario, self.scenario.injects[entry["inject"]], point)

    def rescore(
        self, change: Callable[[dict[str, Any]], None] = lambda e: None
    ) -> list[DecisionScore]:
        out = []
        for entry in self.points:
            changed = copy.deepcopy(entry)
            change(changed)
            out.append(self.score(changed))
        return out

    def decided(self) -> Iterator[dict[str, Any]]:
        return (e for e in self.points if e["status"] == "decided")


def _play(path: Path, folder: Path) -> Played:
    scenario = load_scenario(REPO / "scenarios" / f"{path.parent.name}.toml")
    script, _ = load_playthrough(path, scenario)
    clock = VirtualClock(time.time())
    exercise = Exercise.create(folder / f"{path.parent.name}-{path.stem}.db", scenario, clock)
    play_script(exercise, clock, script)
    record = exercise_record(exercise)
    points = [p for p in record["decision_points"] if p["status"] != "open"]
    return Played(f"{path.parent.name}/{path.stem}", scenario, points)


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Played]:
    folder = tmp_path_factory.mktemp("plays")
    runs = [_play(p, folder) for p in PLAYTHROUGHS]
    return {r.name: r for r in runs}


def _phrases(run: Played, entry: dict[str, Any]) -> list[str]:
    """The indicator phrases of every consideration at stake at the entry's point."""
    point = run.point(entry)
    chosen = next((o for o in point.options if o.id == entry.get("option")), None)
    phrases: list[str] = []
    for cid in at_stake(point, chosen):
        phrases += run.scenario.considerations[cid].indicators
    return [p for p in dict.fromkeys(phrases) if generic_reason(p) is None]


def _runs(played: dict[str, Played]) -> list[Played]:
    return [played[k] for k in sorted(played)]


def test_every_playthrough_was_scored(played: dict[str, Played]) -> None:
    assert len(played) == len(PLAYTHROUGHS) >= 12
    assert all(run.points for run in played.values())


def test_stuffing_a_rationale_with_indicators_moves_little(played: dict[str, Played]) -> None:
    for run in _runs(played):
        before = run.rescore()

        def stuff(entry: dict[str, Any], run: Played = run) -> None:
            entry["rationale"] = f"{entry.get('rationale') or ''} " + ", ".join(
                _phrases(run, entry)
            )

        after = run.rescore(stuff)
        for b, a in zip(before, after, strict=True):
            assert abs(a.score - b.score) <= RATIONALE_POINTS, (run.name, b.key, b.score, a.score)
        moved = abs(mlt_indicator(after) - mlt_indicator(before))
        assert moved <= RATIONALE_POINTS * MLT_RATIONALE_SHARE, (run.name, moved)


def test_naming_considerations_only_to_deny_them_earns_nothing(played: dict[str, Played]) -> None:
    for run in _runs(played):

        def empty(entry: dict[str, Any]) -> None:
            entry["rationale"] = ""

        def deny(entry: dict[str, Any], run: Played = run) -> None:
            entry["rationale"] = " ".join(
                f"We did not weigh {phrase}." for phrase in _phrases(run, entry)
            )

        for e, d in zip(run.rescore(empty), run.rescore(deny), strict=True):
            assert d.score <= e.score, (run.name, e.key, e.score, d.score, d.matches)


def test_saying_one_consulted_never_lowers_a_score(played: dict[str, Played]) -> None:
    for run in _runs(played):
        before = run.rescore()

        def claim(entry: dict[str, Any]) -> None:
            entry["rationale"] = (entry.get("rationale") or "") + CONSULTED

        after = run.rescore(claim)
        for b, a in zip(before, after, strict=True):
            assert a.score >= b.score, (run.name, b.key, b.score, a.score)
        assert mlt_indicator(after) >= mlt_indicator(before)


def test_advice_left_unsought_never_raises_a_score(played: dict[str, Played]) -> None:
    # speed bought by skipping the consulted roles earns nothing: the same decisions with no
    # advice on record score no higher, and the reference run loses its lead on consultation
    for run in _runs(played):
        before = run.rescore()

        def unsought(entry: dict[str, Any]) -> None:
            entry["advice"] = []

        after = run.rescore(unsought)
        for b, a in zip(before, after, strict=True):
            assert a.score <= b.score, (run.name, b.key)
        if any(e.get("advice") for e in run.decided()):  # advice that informed a decision
            assert mlt_indicator(after) < mlt_indicator(before), run.name


def test_a_later_decision_still_on_time_keeps_its_score(played: dict[str, Played]) -> None:
    checked = 0
    for run in _runs(played):
        before = {d.key: d.score for d in run.rescore()}
        for entry in run.decided():
            point = run.point(entry)
            on_time = point.full_marks_until
            later = dict(entry)
            # the last second still on time (or an hour later when the point has no window)
            later["closed_at"] = entry["opened_at"] + (on_time if on_time is not None else 3600)
            if later["closed_at"] < entry["closed_at"]:
                continue  # decided late already: moving it later is not "still on time"
            key = f"{entry['inject']}/{entry['decision']}"
            assert run.score(later).score == before[key], (run.name, key)
            checked += 1
    assert checked > 100


def test_the_best_option_scores_at_least_as_high_as_any_other(played: dict[str, Played]) -> None:
    for run in _runs(played):
        for entry in run.decided():
            point = run.point(entry)
            bench = benchmark(point)
            if bench is None:
                continue
            scores = {}
            for option in point.options:
                scores[option.id] = run.score({**entry, "option": option.id}).score
            floor = min(scores[b] for b in bench.best)
            for option in point.options:
                if option.id not in bench.best:
                    assert scores[option.id] <= floor, (run.name, point.id, option.id, scores)


@pytest.mark.parametrize("scenario", SEED_SCENARIOS)
def test_playthroughs_order_as_a_course_director_would(
    played: dict[str, Played], scenario: str
) -> None:
    mlt = {
        name.split("/")[1]: mlt_indicator(run.rescore())
        for name, run in played.items()
        if name.startswith(f"{scenario}/")
    }
    reference = REFERENCE[scenario]
    others = {k: v for k, v in mlt.items() if k != reference}
    assert all(mlt[reference] > v for v in others.values()), mlt
    assert all(mlt["indecisive"] < v for k, v in mlt.items() if k != "indecisive"), mlt


def test_a_breach_caps_the_decision_that_made_it(played: dict[str, Played]) -> None:
    chosen_breaches = 0
    substituted = 0
    for run in _runs(played):
        for entry in run.decided():
            point = run.point(entry)
            for option in point.options:
                if option.breach is None:
                    continue
                scored = run.score({**entry, "option": option.id})
                assert scored.breach == option.breach and scored.cap == option.breach_caps
                assert scored.score <= CAP_CEILING[option.breach_caps]
                assert "PSMU".index(rating_for(scored.score)) >= "PSMU".index(option.breach_caps)
                substituted += 1
                chosen_breaches += entry.get("option") == option.id
    assert chosen_breaches >= 3, "some bundled playthrough should make a breach"
    assert substituted >= 9


def test_reading_an_empty_rationale_credits_nothing() -> None:
    assert RationaleReading().credited == set()
