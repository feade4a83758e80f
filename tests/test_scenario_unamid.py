"""Saraf Umra (``unamid-saraf-umra``): the fixes of issue #12 pinned, so a later edit that
undoes one fails here: the 3-hour timetable, the 2-hour recipe in the course director's sheet
(run as printed), and clock words that agree with the clock."""

from __future__ import annotations

import re
import shlex
import tempfile
from functools import cache
from pathlib import Path

import pytest

from exercise_engine.authoring.finding import Finding
from exercise_engine.authoring.lint import lint_scenario
from exercise_engine.loading import load_scenario
from exercise_engine.loading.loaded import LoadedScenario
from tests.conftest import REPO, run_cli

SCENARIO = REPO / "scenarios" / "unamid-saraf-umra.toml"
_TMP = Path(tempfile.mkdtemp(prefix="sur-plays-"))
SHEET = REPO / "docs" / "scenarios" / "unamid-saraf-umra.md"
PLAYS = REPO / "scenarios" / "playthroughs" / "unamid-saraf-umra"


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@cache
def _scenario() -> LoadedScenario:
    return load_scenario(SCENARIO)


@cache
def _findings() -> tuple[Finding, ...]:
    """One bot exploration shared by the lint-based tests (deterministic: seed 0)."""
    return tuple(lint_scenario(_scenario(), max_runs=120).findings)


def test_three_hour_slot_with_five_minute_windows() -> None:
    scenario = _scenario()
    speed = scenario.file.clock.speed
    assert scenario.file.duration is not None
    assert scenario.file.duration <= 3 * 3600  # seconds
    windows = [p.respond_within for _i, p in scenario.decision_points() if p.respond_within]
    assert windows
    assert min(windows) / 60 / speed >= 5


def test_duration_agrees_with_the_bot_paths() -> None:
    playability = [f for f in _findings() if f.kind == "playability" and f.severity == "warning"]
    assert playability == []


def test_no_clock_words_contradict_the_clock() -> None:
    assert [str(f) for f in _findings() if f.kind == "clock"] == []


def _recipe() -> list[list[str]]:
    block = SHEET.read_text(encoding="utf-8").split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line)[1:] for line in block.splitlines() if line.strip()]


def test_two_hour_recipe_works_as_printed(tmp_path: Path) -> None:
    steps = _recipe()
    assert [s[0] for s in steps] == ["play", "fork", "status", "run"]
    play, fork, status, run = steps
    play = [str(REPO / a) if a.startswith("scenarios/") else a for a in play]
    done = run_cli(*play, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "expect: ok" in done.stdout
    forked = run_cli(*fork, cwd=tmp_path)
    assert forked.returncode == 0, forked.stderr
    assert "entering 'caveat'" in forked.stdout  # the fork starts at the jump into move 2
    shown = run_cli(*status, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "phase caveat:" in shown.stdout
    assert "exercise time 01:45" in shown.stdout
    # the printed `run` reopens the fork the way fork's own hint says, at the sheet's speed
    hint = forked.stdout.rsplit("play on with `", 1)[1].split("`")[0]
    reopen = run[: run.index("--speed")]
    assert shlex.split(hint)[-len(reopen) :] == reopen
    speed = float(run[run.index("--speed") + 1])
    # what is left to play: the full play's minutes at the table, less move 1 (to 01:05)
    played = re.search(r"; (\d\d:\d\d) of play,", done.stdout)
    assert played is not None
    left = _minutes(played.group(1)) - _minutes("01:05")
    assert left / speed <= 120
    windows = [p.respond_within for _i, p in _scenario().decision_points() if p.respond_within]
    assert min(w for w in windows if w) / 60 / speed >= 5


def test_no_label_tells_nor_school_solutions() -> None:
    assert [str(f) for f in _findings() if f.kind == "school" and f.severity == "warning"] == []


def test_every_flag_and_variable_is_read() -> None:
    """Flags set and never read, and variables moved a lot but read by nothing, were removed or
    made to bite (host consent, order and staff safety now decide endings)."""
    assert [str(f) for f in _findings() if f.kind in ("state", "bite")] == []


@cache
def _timeline(playthrough: str) -> str:
    """The playthrough's --timeline output (played once per test session)."""
    decisions = REPO / "scenarios" / "playthroughs" / "unamid-saraf-umra" / f"{playthrough}.toml"
    done = run_cli(
        "play",
        "unamid-saraf-umra",
        "--decisions",
        str(decisions),
        "--exercise",
        str(_TMP / f"{playthrough}.db"),
        "--overwrite",
        "--timeline",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "expect: ok" in done.stdout
    return done.stdout


@pytest.mark.parametrize(
    ("playthrough", "relocated"),
    [("negotiated", True), ("soldiers-only", True), ("ordered", False), ("whole-unit", False)],
)
def test_the_nurse_is_gone_or_present_as_staff_were_relocated(
    playthrough: str, relocated: bool
) -> None:
    timeline = _timeline(playthrough)
    assert f"staff_relocated={'yes' if relocated else 'no'}" in timeline
    gone, present = "delivered  sur-10a ", "delivered  sur-10b "
    assert (gone in timeline, present in timeline) == (relocated, not relocated)


@pytest.mark.parametrize(
    ("playthrough", "objection"),
    [
        ("negotiated", "sur-11"),  # company and platoon: the platoon does not detach
        ("ordered", "sur-11"),
        ("whole-unit", "sur-19"),  # the whole unit: it was posted to Kabkabiya
        ("soldiers-only", "sur-19b"),  # company only: no crowd duty after the crush
        ("indecisive", "sur-19b"),  # no package (the Force Commander sends the company)
    ],
)
def test_the_caveat_dilemma_arises_on_every_path(playthrough: str, objection: str) -> None:
    assert f"delivered  {objection} " in _timeline(playthrough)


@pytest.mark.parametrize("playthrough", ["soldiers-only", "indecisive"])
def test_soldiers_on_crowd_duty_meet_their_own_capitals_refusal(playthrough: str) -> None:
    timeline = _timeline(playthrough)
    assert "military_crowd_control=yes" in timeline
    assert "delivered  sur-19c " in timeline


def _option_evidence(inject: str, point: str) -> dict[str, float]:
    for i, p in _scenario().decision_points():
        if i.id == inject and p.id == point:
            return {o.id: sum(o.evidence.values()) for o in p.options}
    raise AssertionError(f"{inject}/{point} not found")


def test_interposing_is_best_by_evidence_as_the_expected_action_says() -> None:
    sums = _option_evidence("sur-23", "armed-men")
    assert sums["interpose"] > max(v for k, v in sums.items() if k != "interpose")


def test_the_african_union_asks_and_the_dsrsg_political_answers() -> None:
    sums = _option_evidence("sur-29", "au-briefing")
    assert max(sums, key=lambda k: sums[k]) == "one-account-both"
    assert "delivered  sur-29 " in _timeline("negotiated")


def test_the_women_speak_when_the_committee_leaves_them_out() -> None:
    women = _scenario().injects["sur-m3"]
    assert not women.manual
    assert women.when == "chose('sur-18', 'sheikhs-council')"
    assert "delivered  sur-m3 " in _timeline("soldiers-only")  # chooses the sheikhs' council
    assert "delivered  sur-m3 " not in _timeline("negotiated")  # the mixed committee


# --- seats at their level (issue #12, second round) ------------------------------------------

SECTOR_POINTS = {
    "sur-02/site-posture",
    "sur-14/fence",
    "sur-15/troops-at-the-gate",
    "sur-24/standoff",
}
"""The company-level calls at Saraf Umra: B Company's posture, the fence, crowd rules for the
soldiers at the gate, what C Company tells the major."""


def _points_of(role: str) -> set[str]:
    return {f"{i.id}/{p.id}" for i, p in _scenario().decision_points() if p.role == role}


def test_two_seats_the_catalogue_lacks_are_declared_and_the_rchc_seat_is_gone() -> None:
    scenario = _scenario()
    assert "dsrsg_rchc" not in scenario.roles  # UNAMID was hybrid, not integrated
    assert scenario.role_title("djsr") == "Deputy Joint Special Representative"
    assert scenario.role_title("sector_commander") == "Sector North Commander"
    assert set(scenario.file.custom_roles) == {"djsr", "sector_commander"}
    texts = [scenario.file.briefing] + [p.read_text() for p in PLAYS.glob("*.toml")]
    texts += [p.read_text() for p in (REPO / "injects" / "unamid-saraf-umra").glob("*.toml")]
    assert not any("dsrsg_rchc" in t for t in texts)


def test_the_sector_commander_takes_the_company_level_points() -> None:
    assert _points_of("sector_commander") == SECTOR_POINTS
    scenario = _scenario()
    for key in SECTOR_POINTS:
        inject = scenario.injects[key.split("/")[0]]
        copy = scenario.copy_for(inject, "sector_commander")
        assert copy is not None, key
        # through the company net, from the company commander on the ground
        assert copy.channel == "radio" and copy.sender.startswith("OC "), key


def test_the_force_commander_decides_at_force_level_only() -> None:
    assert _points_of("force_commander") == {
        "sur-04b/force-reserve",  # the force reserve once C Company has gone
        "sur-19c/infantry-caveat",  # a troop contributor's caveat
        "sur-27c/force-posture",  # how the force moves in North Darfur, facing the division
        "sur-33/troop-conduct",  # conduct and discipline with the contributor's investigator
        "sur-37/relief",  # relieving C Company at the cost of the reserve
    }
    timed = {i.id for i, _p in _scenario().decision_points() if i.when is None}
    assert {"sur-04b", "sur-27c", "sur-37"} <= timed  # on every path: three FC decisions on each


def test_the_djsr_offers_and_advises_and_does_not_coordinate_relief() -> None:
    assert _points_of("djsr") == {"sur-17/registration", "sur-27b/escorts", "sur-34/returns"}
    for inject_id, best in [
        ("sur-17", "humanitarian-led"),
        ("sur-27b", "last-resort-on-request"),
        ("sur-34", "voluntary-only"),
    ]:
        point = next(p for i, p in _scenario().decision_points() if i.id == inject_id)
        sums = {o.id: sum(o.evidence.values()) for o in point.options}
        assert max(sums, key=lambda k: sums[k]) == best, inject_id
        assert "Coordinator" in point.prompt, inject_id  # the HC decides; the DJSR advises
    escorts = _option_evidence("sur-27b", "escorts")
    assert escorts["last-resort-on-request"] > escorts["escort-now"]
    briefing = _scenario().file.briefing
    assert "hybrid mission, not an integrated one" in briefing
    assert "Deputy Joint Special Representative" in briefing


@pytest.mark.parametrize(
    ("playthrough", "points"),
    [
        ("ordered", ["sur-11/caveat-response", "sur-21/inner-ring"]),  # was once only
        ("negotiated", ["sur-11/caveat-response", "sur-21/inner-ring", "sur-31/expiry"]),
        ("whole-unit", ["sur-19/posting", "sur-16/kabkabiya-gap", "sur-21/inner-ring"]),
        ("soldiers-only", ["sur-19b/late-request", "sur-22/water-lanes"]),
    ],
)
def test_the_police_commissioner_decides_at_least_twice(
    playthrough: str, points: list[str]
) -> None:
    decided = re.findall(r"decided\s+(\S+) by police_commissioner", _timeline(playthrough))
    assert decided == points


def test_no_seat_decides_fewer_than_twice_on_any_path() -> None:
    """Lint's seats check over the bot's paths (it named the PC on the 'ordered' path before)."""
    seats = [f for f in _findings() if f.kind == "seats" and f.severity == "warning"]
    assert [str(f) for f in seats] == []
    # every move-2 branch gives the PC a caveat to answer, and move 3 one of two lane points
    scenario = _scenario()
    move2 = {"sur-11": "chose('sur-04', 'company-and-platoon')", "sur-19": "kabkabiya_gap"}
    for inject_id, when in move2.items():
        assert scenario.injects[inject_id].when == when
    assert (
        scenario.injects["sur-19b"].when == "chose('sur-04', 'company-only') or expired('sur-04')"
    )
    assert {scenario.injects["sur-21"].when, scenario.injects["sur-22"].when} == {
        "fpu_at_site",
        "not fpu_at_site",
    }


@pytest.mark.parametrize(
    "playthrough", ["negotiated", "confrontational", "ordered", "soldiers-only", "whole-unit"]
)
def test_every_seat_decides_twice_in_each_played_path(playthrough: str) -> None:
    deciders = re.findall(r"decided\s+\S+ by (\w+)", _timeline(playthrough))
    counts = {role: deciders.count(role) for role in _scenario().roles}
    assert min(counts.values()) >= 2, counts


def test_the_new_points_are_in_the_objectives() -> None:
    listed = {p for o in _scenario().file.objectives for p in o.points}
    assert {
        "sur-04b/force-reserve",
        "sur-21/inner-ring",
        "sur-27b/escorts",
        "sur-37/relief",
        "sur-27c/force-posture",
        "sur-19/posting",
        "sur-19b/late-request",
        "sur-19c/infantry-caveat",
    } <= listed
    assert listed >= SECTOR_POINTS


def test_naming_the_humanitarian_coordinator_claims_no_seat() -> None:
    """The Coordinator is not at this table (no DSRSG RC/HC in a hybrid mission): a rationale
    that heard him claims no consultation, while the seats in play are still recognised."""
    from after_action.rationale import claimed_consultation
    from after_action.scoring import role_names

    names = role_names(_scenario())
    text = "After hearing the Humanitarian Coordinator and the Sector North Commander, I decided."
    assert claimed_consultation(text, names) == ["sector_commander"]
    assert claimed_consultation("I consulted the DJSR and the FC.", names) == [
        "djsr",
        "force_commander",
    ]
