"""``exercise-engine lint``: bot playthroughs find what validate cannot (docs/authoring.md §1).

Each case is a small scenario written here with a known flaw: an inject whose phase is never
entered, whose condition never holds, whose ``after`` target never comes; a phase that leads
nowhere; a role left out; two injects landing on one role at once.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from exercise_engine.authoring.explore import explore
from exercise_engine.authoring.lint import lint_scenario
from exercise_engine.commands.lint import ProgressBar
from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli
from tests.engine_helpers import decision, inject, scenario_from

END = '\n[[end]]\nid = "done"\nwhen = "elapsed >= \'01:00\'"\n'
TO_TWO_ON_NO = '\n[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "chose(\'a\', \'no\')"\n'


def _lint(tmp_path: Path, body: str, **kwargs: int):  # type: ignore[no-untyped-def]
    return lint_scenario(scenario_from(tmp_path, body), **kwargs)


@pytest.mark.parametrize(
    ("body", "subject", "reason"),
    [
        # no transition leads to phase 'two': an inject bound to it never comes
        (END + inject("x", 'phase = "two"'), "x", "its phase 'two' is never entered"),
        # 'risk' never goes above its max of 100
        (END + inject("x", 'when = "risk > 150"'), "x", "its condition 'risk > 150' is never true"),
        # follows an inject that itself never comes
        (
            END + inject("x", 'when = "risk > 150"') + inject("y", 'after = { inject = "x" }'),
            "y",
            "it follows 'x', which is never delivered",
        ),
        # due at 02:00, but every run ends at 01:00
        (END + inject("x", 'at = "02:00"'), "x", "every run is over before its time 02:00"),
        # a decision's condition: the flag is set only by an option nobody can pick in time
        (
            END
            + inject("a", 'at = "00:50"')
            + decision(window='"00:30"')
            + inject("x", "when = \"warned and elapsed < '00:10'\""),
            "x",
            "is never true",
        ),
    ],
)
def test_unreachable_injects_are_named_with_the_reason(
    tmp_path: Path, body: str, subject: str, reason: str
) -> None:
    report = _lint(tmp_path, body)
    found = {f.subject: f for f in report.unreachable}
    assert subject in found, report.lines()
    assert reason in found[subject].message
    assert found[subject].where.startswith("mini.toml:") or "mini.toml:" in found[subject].where


def test_an_inject_on_one_branch_only_is_reachable(tmp_path: Path) -> None:
    body = (
        END
        + inject("a", 'at = "00:05"')
        + decision()
        + inject("on-yes", "when = \"chose('a', 'yes')\"")
        + inject("on-expiry", "when = \"expired('a')\"")
    )
    report = _lint(tmp_path, body)
    assert report.unreachable == []
    # every option and the expiry were tried: yes, no, expire
    assert {str(r.choices[0]).split(": ")[1] for r in report.runs} == {"yes", "no", "let expire"}


def test_manual_injects_are_listed_apart_not_unreachable(tmp_path: Path) -> None:
    report = _lint(tmp_path, END + inject("a", 'at = "00:05"') + inject("m", "manual = true"))
    assert report.unreachable == []
    assert [f.subject for f in report.of_kind("manual")] == ["m"]


def test_a_phase_no_run_ends_from_is_a_dead_end(tmp_path: Path) -> None:
    ending = "\n[[end]]\nid = \"done\"\nwhen = \"phase == 'one' and elapsed >= '01:00'\"\n"
    body = TO_TWO_ON_NO + ending + inject("a", 'at = "00:05"') + decision()
    report = _lint(tmp_path, body)
    dead = report.of_kind("dead-end")
    assert [f.subject for f in dead] == ["two"]
    assert "no transition leaves it" in dead[0].message
    assert "no run that enters it reaches an ending" in dead[0].message
    assert report.endings() == {"done": 2}  # 'yes' and the expiry end; 'no' stalls in 'two'


def test_paths_that_stop_in_a_phase_are_partial_dead_ends(tmp_path: Path) -> None:
    body = (
        '\n[[transitions]]\nfrom = "one"\nto = "two"\nwhen = "elapsed >= \'00:20\'"\n'
        + "\n[[end]]\nid = \"done\"\nwhen = \"phase == 'two' and chose('b', 'yes')\"\n"
        + inject("b", 'at = "00:25"')
        + decision()
    )
    report = _lint(tmp_path, body)
    dead = report.of_kind("dead-end")
    assert [f.subject for f in dead] == ["two"]
    assert "2 of 3 run(s) that enter phase 'two' stop in it without an ending" in dead[0].message
    assert "e.g. after b/d: no" in dead[0].message
    assert report.endings() == {"done": 1}


def test_points_without_evidence_and_roles_left_out(tmp_path: Path) -> None:
    options = """
[[inject.decisions.options]]
id = "yes"
label = "Yes"
"""
    body = (
        END
        + inject("a", 'at = "00:05"', to='["hom", "force_commander"]')
        + decision(options=options)
    )
    report = _lint(tmp_path, body)
    assert [f.subject for f in report.of_kind("no-evidence")] == ["a/d"]
    roles = [f.message for f in report.of_kind("role")]
    assert "role 'police_commissioner' never receives an inject" in roles
    assert "role 'force_commander' never decides: no decision point is its own" in roles


def test_injects_arriving_together_for_one_role_collide(tmp_path: Path) -> None:
    body = (
        END
        + inject("a", 'at = "00:10"', to='["hom"]')
        + inject("b", 'at = "00:10:30"', to='["hom", "force_commander"]')
        + inject("c", 'at = "00:11"', to='["hom"]')
    )
    report = _lint(tmp_path, body)
    assert [(c.injects, c.roles, c.at, c.runs) for c in report.collisions] == [
        (("a", "b"), ("hom",), 600, 1)
    ]
    wider = _lint(tmp_path, body, window=120)
    assert [c.injects for c in wider.collisions] == [("a", "b", "c")]


def test_the_tutorial_reaches_every_ending_and_every_seat_decides_twice() -> None:
    report = lint_scenario(load_scenario(REPO / "scenarios" / "tutorial.toml"), max_runs=100)
    # ten points, each with two options and an expiry: far more paths than 100, so sampled
    assert not report.exploration.exhaustive and len(report.runs) == 100
    assert set(report.endings()) == {"calm-restored", "uneasy-calm", "violence-spreads"}
    assert report.unreachable == []
    assert report.of_kind("dead-end") == []
    assert report.of_kind("seats") == []
    assert all(
        sum(p.role == role for p in run.points.values()) >= 2
        for run in report.runs
        for role in report.scenario.roles
    )


def test_past_the_limit_runs_are_sampled_with_a_seed() -> None:
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    seen: list[tuple[int, int]] = []
    first = explore(scenario, max_runs=5, seed=1, progress=lambda d, t: seen.append((d, t)))
    again = explore(scenario, max_runs=5, seed=1)
    assert not first.exhaustive and len(first.runs) == 5
    assert [r.path() for r in first.runs] == [r.path() for r in again.runs]
    assert seen[-1] == (5, 5)
    # sampling prefers choices not tried yet: the first three runs try each answer to tut-01
    assert {r.choices[0].option or "expire" for r in first.runs[:3]} == {
        "verify-first",
        "brief-now",
        "expire",
    }


def test_the_bot_answers_after_thinking_at_most_half_the_window(tmp_path: Path) -> None:
    body = END + inject("a", 'at = "00:05"') + decision(window='"00:04"')
    report = _lint(tmp_path, body)
    decided = [r.points[("a", "d")].closed_at for r in report.runs if r.choices[0].option]
    assert decided == [7 * 60, 7 * 60]  # opened 00:05, window 4 minutes: answered at 00:07
    slow = _lint(tmp_path, END + inject("a", 'at = "00:05"') + decision(), think=0)
    assert {r.points[("a", "d")].closed_at for r in slow.runs if r.choices[0].option} == {300}


def test_progress_bar_draws_on_one_line() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(5, 10)
    bar(5, 10)  # unchanged: not redrawn
    bar(10, 10)
    bar.clear()
    text = stream.getvalue()
    assert text.count("\r") == 4
    assert "[#####-----] 5/10" in text and "[##########] 10/10" in text


def test_progress_bar_never_goes_backwards_when_the_bot_finds_more_paths() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(5, 10)  # half done
    bar(6, 40)  # the bot found 30 more paths: the share fell to 15%, the bar must not shrink
    bar(7, 40)
    frames = [f for f in stream.getvalue().split("\r") if f]
    fills = [frame.count("#") for frame in frames]
    assert fills == sorted(fills), frames
    assert frames[-1].endswith("7/40")


def test_cli_exit_status_and_report(tmp_path: Path) -> None:
    # the tutorial as it ships: no warnings from any check (docs/authoring.md shows this output)
    ok = run_cli("lint", "tutorial")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Bot playthroughs of tutorial: 500 run(s) sampled" in ok.stdout
    assert "calm-restored     " in ok.stdout and "uneasy-calm       " in ok.stdout
    assert ok.stdout.rstrip().endswith(
        "lint: ok: every timed and conditional inject is reached; 0 warning(s)"
    )
    assert " warning" not in ok.stdout.replace("0 warning(s)", "")

    scenario_from(tmp_path, END + inject("x", 'phase = "two"'))
    bad = run_cli("lint", str(tmp_path / "mini.toml"), cwd=tmp_path)
    assert bad.returncode == 1
    assert (
        "mini.toml:25: inject[0]: unreachable: inject 'x' is never delivered: "
        "its phase 'two' is never entered"
    ) in bad.stdout
    assert "lint: FAILED: 1 unreachable inject(s)" in bad.stdout

    (tmp_path / "broken.toml").write_text('id = "x"\n', encoding="utf-8")
    broken = run_cli("lint", str(tmp_path / "broken.toml"), cwd=tmp_path)
    assert broken.returncode == 2
    assert "missing required key 'roles'" in broken.stderr

    flag = run_cli("lint", "tutorial", "--think", "5 min")
    assert flag.returncode == 2 and "--think" in flag.stderr


def test_authoring_is_headless() -> None:
    """lint, graph, msel and the editor's workspace load no Textual (the editor's screens do)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import exercise_engine.authoring.lint, exercise_engine.authoring.graph\n"
        "import exercise_engine.authoring.msel_import, exercise_engine.authoring.workspace\n"
        "import exercise_engine.authoring.fields\n"
        "print(','.join(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_the_tutorial_shows_every_feature_it_teaches() -> None:
    """The tutorial is read beside docs/format.md: each feature it should show is there."""
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    conditions = [c.text for c in scenario.conditions.values()]
    assert any("chose(" in text for text in conditions)  # a branch on one option
    custom = set(scenario.file.channels)
    assert custom and any(i.channel in custom for i in scenario.injects.values())
    assert any(v.title for i in scenario.injects.values() for v in i.variants)
    text = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    assert "free_text = true" in text
    points = [p for _i, p in scenario.decision_points()]
    # every seat decides; every expiry tells the room what happened
    assert {p.role for p in points} == set(scenario.roles)
    assert all(p.on_expire is not None and p.on_expire.outcome for p in points)
    # evidence pulls both ways: at every point, some option gains and some option loses
    for point in points:
        weights = [w for o in point.options for w in o.evidence.values()]
        assert min(weights) < 0 < max(weights), point.id
    # the briefing says how long it plays, and duration agrees
    assert scenario.file.duration == 80 * 60
    assert "an hour and twenty" in scenario.file.briefing
