"""Lint's craft checks (docs/authoring.md §1, "The craft checks"): one small scenario per check.

Each fixture in ``tests/data/lint/`` is written with the faults of one check family; the test
asserts the line a facilitator would jump to and the ids involved. ``clean.toml`` has none of
them, so a check that fires on good craft fails there.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from exercise_engine.authoring.craft.clockwords import times_in
from exercise_engine.authoring.finding import Finding
from exercise_engine.authoring.lint import LintReport, lint_scenario
from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli

DATA = REPO / "tests" / "data" / "lint"
CRAFT = ("state", "school", "clock", "playability", "seats", "bite")
"""The kinds of the six craft checks (1 and 6 share the module `state`)."""


@cache
def _lint(name: str) -> LintReport:
    return lint_scenario(load_scenario(DATA / f"{name}.toml"))


def _found(name: str, kind: str) -> dict[str, Finding]:
    return {f.subject: f for f in _lint(name).of_kind(kind)}


def _at(finding: Finding, line: int, key: str) -> None:
    assert (
        finding.where == f"tests/data/lint/{Path(finding.where).name.split(':')[0]}:{line}: {key}"
    )


def test_the_clean_fixture_has_no_craft_findings() -> None:
    report = _lint("clean")
    assert [f for f in report.findings if f.kind in CRAFT] == []
    assert report.errors == []


def test_flags_and_variables_that_go_nowhere() -> None:
    found = _found("state", "state")
    # set by an option, read by nothing
    assert found["noted"].severity == "warning"
    _at(found["noted"], 59, "inject[0].decisions[0].options[0].set")
    assert "a/d/yes" in found["noted"].message
    # read by inject b's condition, set by nothing: an error, at the condition
    assert found["ghost"].severity == "error"
    _at(found["ghost"], 71, "inject[1].when")
    assert "never set: flag 'ghost' is read by inject 'b'" in found["ghost"].message
    assert found["static"].severity == "error"
    assert "never changed: variable 'static'" in found["static"].message
    # moved a little and read by nothing: only the gauge shows it
    assert found["morale"].severity == "warning"
    _at(found["morale"], 16, "variables.morale")
    # read ones are not reported
    assert "risk" not in found


def test_effects_that_never_bite() -> None:
    bite = _found("bite", "bite")
    # a/d and b/d move base_security by up to 20 and 15 of its 100: a lot, and nothing reads it
    assert set(bite) == {"base_security"}
    finding = bite["base_security"]
    _at(finding, 17, "variables.base_security")
    assert "can move by 35 (35% of its range) through 2 point(s)" in finding.message
    assert "(largest: a/d (20), b/d (15))" in finding.message
    # reported once: not also as a variable that goes nowhere; 'risk' is read by the ending
    assert _found("bite", "state") == {}
    # state.toml's 'cost' moves by 40 through one point: also an effect that never bites
    assert set(_found("state", "bite")) == {"cost"}
    assert "cost" not in _found("state", "state")


def test_school_solutions_and_label_tells() -> None:
    found = _found("school", "school")
    school = found["a/d"]
    _at(school, 40, "inject[0].decisions[0].options[0]")
    assert "the best option 'wise' costs nothing" in school.message
    assert "rash: risk +10" in school.message
    # b/d's best option costs something (risk +10 where low is good): no school solution
    assert "b/d" not in found
    tell = found["school"]
    # c/d's best option is free, but so is the other: info, not a school solution
    assert found["c/d"].severity == "info"
    assert found["c/d"].message.startswith("no downside: c/d: the best option 'free' costs nothing")
    assert "at 2 of 3 point(s) (67%, above 40%)" in tell.message
    assert [d.split(": ", 2)[2] for d in tell.details] == ["a/d: 'wise'", "b/d: 'best'"]
    assert tell.details[0].startswith("tests/data/lint/school.toml:42: ")


def test_clock_words_that_contradict_the_clock() -> None:
    found = _lint("clock").of_kind("clock")
    by = {f.subject: f for f in found}
    assert set(by) == {"noon", "flash", "early"}  # "will go on air at noon" is a future time
    _at(by["noon"], 22, "inject[0].title")
    assert "title states 'Midday' (12:00) but it is delivered at 05:00" in by["noon"].message
    # an `after` inject: the delivery time comes from the bot's runs (05:00 + 00:10)
    _at(by["flash"], 36, "inject[1].body")
    assert "states '0805' (08:05) but it is delivered at 05:10" in by["flash"].message
    assert "reports '07:10' (07:10) as past, but it is delivered at 05:30" in by["early"].message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a report's stamp in the lede
        ("**FLASH 0805.** Patrol reports.", [("0805", "stamp")]),
        # past with "by", future with "will", another day with "yesterday"
        ("By 05:30 a rumour was running.", [("05:30", "past")]),
        ("The editor will go on air at noon.", [("noon", "future")]),
        ("Yesterday evening the crowd left.", []),
        # a year and a count are not times
        ("In 2014 the mission had 1200 staff.", []),
        # the clause decides the tense: the order came, the move is still to come
        ("The order came: the company returns at first light.", [("first light", "stamp")]),
        ("Fighting since about 04:00 today.", [("04:00", "past")]),
        # a time looked forward to, and a day named
        ("She is filing for the 06:30 bulletin.", [("06:30", "future")]),
        ("Two men were shot on Monday afternoon.", []),
    ],
)
def test_times_of_day_and_their_tense(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.words, s.tense) for _n, s in times_in(text)] == expected


def test_playability_at_the_shipped_speed() -> None:
    found = _lint("playability").of_kind("playability")
    window = next(f for f in found if f.subject == "a/d")
    _at(window, 33, "inject[0].decisions[0].respond_within")
    assert "lasts 00:01 of real time at speed 10, under 00:03" in window.message
    duration = next(f for f in found if f.subject == "duration")
    _at(duration, 6, "duration")
    assert "the bot's paths run 00:06 to 00:06 of real time at speed 10" in duration.message
    flood = next(f for f in found if f.subject == "one/hom")
    assert "7 injects reach 'hom' within 00:02 of real time" in flood.message
    assert flood.message.endswith("p1, p2, p3, p4, p5, p6, p7")


def test_a_scenario_without_duration_is_told_to_add_one(tmp_path: Path) -> None:
    text = (DATA / "clean.toml").read_text(encoding="utf-8").replace('duration = "00:40"\n', "")
    (tmp_path / "clean.toml").write_text(text, encoding="utf-8")
    report = lint_scenario(load_scenario(tmp_path / "clean.toml"))
    (finding,) = report.of_kind("playability")
    assert finding.message.startswith("no duration: the bot's paths run 00:40 to 00:40")


def test_seats_that_decide_too_little_and_consults_that_cannot_see() -> None:
    found = _found("seats", "seats")
    fc = found["force_commander"]
    assert "asked to decide only 1 time(s) on some path (171 of 171 run(s)" in fc.message
    # the police commissioner decides twice only where b/p chose 'yes' (inject c follows)
    pc = found["police_commissioner"]
    assert "(36 of 171 run(s) ask it fewer than 2 times" in pc.message
    assert pc.details[0].startswith("path: ")
    assert "b/p: no" in pc.details[0] or "b/p: let expire" in pc.details[0]
    consult = found["a/d/police_commissioner"]
    assert consult.severity == "info"
    _at(consult, 34, "inject[0].decisions[0].consult")
    assert "it can be intended" in consult.message
    assert "hom" not in found


def test_summary_comes_first_and_errors_fail_the_cli() -> None:
    result = run_cli("lint", str(DATA / "state.toml"), "--no-progress")
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    summary = lines.index("Summary:")
    assert summary < 10
    counts = {line[:46].strip(): line[46:].strip() for line in lines[summary + 1 : summary + 15]}
    assert counts["1. Flags and variables that go nowhere"] == "2 error(s), 2 warning(s)"
    assert counts["6. Effects that never bite"] == "1 warning(s)"
    assert counts["Unreachable injects"] == "1 error(s)"
    # the details follow the summary
    assert lines.index("1. Flags and variables that go nowhere: 4") > summary + 14
    assert "lint: FAILED: 1 unreachable inject(s), 2 other error(s)" in lines[-1]
    clean = run_cli("lint", str(DATA / "clean.toml"), "--no-progress")
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.rstrip().endswith("0 warning(s)")
