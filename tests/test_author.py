"""``exercise-engine author``: the inject editor, headless (workspace, fields) and through Pilot.

The story: a facilitator opens the tutorial, writes a new inject with a decision point and an
option, is told as they type what is wrong, saves; the file validates and plays with ``play``.
Editing one inject of a scenario with library files rewrites that file only.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, TextArea

from exercise_engine.authoring.fields import (
    FieldError,
    format_pairs,
    inject_fields,
    inject_table,
    next_id,
    parse_pairs,
)
from exercise_engine.authoring.workspace import Workspace
from exercise_engine.loading import load_scenario
from exercise_engine.ui.author.app import AuthorApp
from exercise_engine.ui.author.decision_form import DecisionFormScreen
from exercise_engine.ui.author.inject_form import InjectFormScreen
from exercise_engine.ui.author.inject_list import InjectListScreen
from exercise_engine.ui.author.option_form import OptionFormScreen
from tests.conftest import REPO, run_cli

# --- fields ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        # effects: signed numbers, commas or new lines between pairs
        ("civilian_risk = -15, tension = 5", "number", {"civilian_risk": -15, "tension": 5}),
        ("a = 1.5\nb = 2", "number", {"a": 1.5, "b": 2}),
        # evidence: dotted consideration ids need no quotes; quotes are accepted too
        (
            'uof.proportionate = 2; "ppl.impartiality" = -1',
            "weight",
            {"uof.proportionate": 2, "ppl.impartiality": -1},
        ),
        # set: flags take true/false
        ("red_line_declared = true", "flag_or_number", {"red_line_declared": True}),
        # braces as in the format reference are tolerated; empty is an empty table
        ("{ x = 1 }", "number", {"x": 1}),
        ("", "number", {}),
    ],
)
def test_pairs_are_read_as_written(text: str, kind: str, expected: dict[str, Any]) -> None:
    assert parse_pairs(text, kind) == expected


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("civilian_risk -15", "number", "expected name = value"),
        ("x = high", "number", "x: expected a number"),
        ("uof.deter = 1.5", "weight", "whole number"),
        ("warned = true", "number", "expected a number"),
    ],
)
def test_unreadable_pairs_say_why(text: str, kind: str, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        parse_pairs(text, kind)


def test_fields_round_trip_an_inject_table() -> None:
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    from exercise_engine.authoring.tomlout import inject_data

    for inject in scenario.injects.values():
        data = inject_data(inject)
        assert inject_table(inject_fields(data), data) == data, inject.id
    assert format_pairs({"a": -15.0, "b": True}) == "a = -15, b = true"


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["tut-01", "tut-07"], "tut-08"),
        (["a-9", "a-10"], "a-11"),
        ([], "inject-01"),
        (["x", "y"], "inject-01"),
    ],
)
def test_next_id_follows_the_numbering(ids: list[str], expected: str) -> None:
    assert next_id(ids) == expected


# --- workspace ---------------------------------------------------------------------------------


LIBRARY_SCENARIO = """
id = "lib"
title = "Library"
roles = ["hom", "force_commander"]
injects = ["injects/lib/*.toml"]
start_phase = "one"
[clock]
start = "2014-10-07T05:00"
[variables.risk]
label = "Risk"
initial = 50
[[phases]]
id = "one"
title = "One"
[[end]]
when = "elapsed >= '01:00'"
"""


def _library(tmp_path: Path) -> Path:
    folder = tmp_path / "injects" / "lib"
    folder.mkdir(parents=True)
    for n in (1, 2):
        (folder / f"0{n}.toml").write_text(
            f'# file {n}, kept as written\n[[inject]]\nid = "l-0{n}"\ntitle = "T{n}"\n'
            f'at = "00:0{n}"\nchannel = "report"\nsender = "JOC"\nto = "all"\nbody = "b"\n',
            encoding="utf-8",
        )
    (folder / "03.toml").write_text(
        '[[inject]]\nid = "l-03"\ntitle = "T3"\nafter = { inject = "l-01" }\n'
        'channel = "report"\nsender = "JOC"\nto = ["hom"]\nbody = "b"\n',
        encoding="utf-8",
    )
    path = tmp_path / "lib.toml"
    path.write_text(LIBRARY_SCENARIO, encoding="utf-8")
    return path


def test_workspace_checks_a_change_with_the_loaders_words(tmp_path: Path) -> None:
    workspace = Workspace.open(_library(tmp_path))
    slot = workspace.slot("l-02")
    assert slot is not None
    checked = workspace.check({**slot.data, "at": "00:75"}, replacing="l-02")
    assert [(p.key, p.message) for p in checked.own] == [
        ("at", "impossible time '00:75': minutes and seconds run from 00 to 59")
    ]
    assert not checked.ok
    # once the table has its shape, the scenario-wide checks speak too
    checked = workspace.check({**slot.data, "to": ["hom", "fc"]}, replacing="l-02")
    assert [(p.key, p.message) for p in checked.own] == [("to[1]", "unknown role 'fc'")]
    # renaming an inject another one follows breaks that other inject: refused
    renamed = workspace.check({**workspace.slots()[0].data, "id": "l-00"}, replacing="l-01")
    assert renamed.other == [
        "inject 'l-03': after.inject: unknown inject 'l-01' (did you mean 'l-03'?)"
    ]
    assert not workspace.delete("l-01").ok


def test_saving_writes_only_the_changed_file(tmp_path: Path) -> None:
    path = _library(tmp_path)
    folder = tmp_path / "injects" / "lib"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    scenario_before = path.read_bytes()
    workspace = Workspace.open(path)
    slot = workspace.slot("l-02")
    assert slot is not None
    assert workspace.put({**slot.data, "title": "Renamed"}, replacing="l-02").ok
    assert workspace.put({**slot.data, "id": "l-04", "title": "New"}, file=slot.file).ok
    assert workspace.written() == [slot.file]
    ok, problems = workspace.save()
    assert ok and problems == []
    assert (folder / "01.toml").read_bytes() == before["01.toml"]
    assert (folder / "03.toml").read_bytes() == before["03.toml"]
    assert path.read_bytes() == scenario_before
    assert (folder / "02.toml").read_bytes() != before["02.toml"]
    loaded = load_scenario(path)
    assert loaded.injects["l-02"].title == "Renamed"
    assert loaded.inject_files["l-04"] == loaded.inject_files["l-02"]
    assert workspace.dirty == set()


# --- the editor through Pilot --------------------------------------------------------------------


async def _type(pilot: Any, key: str, text: str) -> None:
    widget = pilot.app.screen.query_one(f"#f-{key}", Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text)


def _problems(pilot: Any) -> str:
    return str(pilot.app.screen.query_one("#problems").render())


DECISIONS = """
[[decision]]
at = "00:25"
role = "hom"
inject = "tut-15"
decision = "reply"
option = "reassure"
rationale = "Joint patrols, so neither quarter thinks we take sides."

[expect]
delivered = ["tut-15"]
"""


async def test_write_an_inject_with_a_decision_point_save_and_play(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.toml"
    shutil.copy(REPO / "scenarios" / "tutorial.toml", path)
    app = AuthorApp(Workspace.open(path))
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, InjectListScreen)
        await pilot.press("n")
        assert isinstance(app.screen, InjectFormScreen)
        assert app.screen.query_one("#f-id", Input).value == "tut-15"
        await _type(pilot, "title", "The prefect calls")
        await _type(pilot, "at", "00:75")
        await pilot.pause()
        # checked as you type, in the loader's words, and the field is marked
        assert "at: impossible time '00:75'" in _problems(pilot)
        assert app.screen.query_one("#f-at", Input).has_class("-invalid")
        await pilot.press("ctrl+s")  # refused while an error stands
        assert isinstance(app.screen, InjectFormScreen)
        await _type(pilot, "at", "00:20")
        await _type(pilot, "channel", "phone")
        await _type(pilot, "sender", "Prefect of Kessa")
        await _type(pilot, "to", "hom, force_commander")
        app.screen.query_one(
            "#f-body", TextArea
        ).text = "The prefect asks what the mission will do."
        await pilot.pause()
        assert _problems(pilot) == "ok: no problem found"

        app.screen.query_one("#points").focus()
        await pilot.press("a")
        assert isinstance(app.screen, DecisionFormScreen)
        await _type(pilot, "id", "reply")
        await _type(pilot, "prompt", "What do you tell the prefect?")
        await _type(pilot, "role", "police_commissioner")
        await pilot.pause()
        assert "the deciding role 'police_commissioner' does not receive inject" in _problems(pilot)
        await _type(pilot, "role", "hom")
        await _type(pilot, "respond_within", "00:10")
        await _type(pilot, "expire_evidence", "crisis.timely-decision = -1")

        app.screen.query_one("#options").focus()
        await pilot.press("a")
        assert isinstance(app.screen, OptionFormScreen)
        await _type(pilot, "id", "reassure")
        await _type(pilot, "label", "Promise joint patrols with the national police")
        await _type(pilot, "effects", "tension = -5")
        await _type(pilot, "evidence", "ppl.consent = 1")
        await pilot.pause()
        assert _problems(pilot) == "ok: no problem found"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, DecisionFormScreen)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, InjectFormScreen)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, InjectListScreen)
        table = app.screen.query_one("#injects", DataTable)
        assert table.row_count == 15
        await pilot.press("s")
        await pilot.pause()
        assert "Saved" in str(app.screen.query_one("#status").render())

    scenario = load_scenario(path)
    point = scenario.decision_point("tut-15", "reply")
    assert point is not None and point.respond_within == 600
    assert [o.id for o in point.options] == ["reassure"]
    assert run_cli("validate", str(path)).returncode == 0
    decisions = tmp_path / "decisions.toml"
    decisions.write_text(DECISIONS, encoding="utf-8")
    played = run_cli(
        "play", str(path), "--decisions", str(decisions), "--exercise", str(tmp_path / "ex.db")
    )
    assert played.returncode == 0, played.stdout + played.stderr
    assert "The prefect calls" in played.stdout


async def test_edit_delete_and_quit_with_unsaved_changes(tmp_path: Path) -> None:
    path = _library(tmp_path)
    app = AuthorApp(Workspace.open(path))
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one("#injects", DataTable)
        assert table.row_count == 3
        # l-01 is followed by l-03: deleting it is refused with the reason
        await pilot.press("d", "y")
        await pilot.pause()
        status = str(app.screen.query_one("#status").render())
        assert "Cannot delete 'l-01'" in status and "unknown inject 'l-01'" in status
        # edit l-02's title; escape in another edit leaves it alone
        await pilot.press("down", "enter")
        assert isinstance(app.screen, InjectFormScreen)
        await _type(pilot, "title", "Changed")
        await pilot.press("ctrl+s")
        await pilot.press("down", "enter")
        await _type(pilot, "title", "Not kept")
        await pilot.press("escape")
        assert isinstance(app.screen, InjectListScreen)
        assert app.workspace.scenario.injects["l-02"].title == "Changed"
        assert app.workspace.scenario.injects["l-03"].title == "T3"
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running  # asked first: the change is not saved
        await pilot.press("n")
        await pilot.press("s", "q")
        await pilot.pause()
    assert load_scenario(path).injects["l-02"].title == "Changed"


def test_author_refuses_a_scenario_that_does_not_load(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('id = "x"\n', encoding="utf-8")
    result = run_cli("author", str(tmp_path / "bad.toml"))
    assert result.returncode == 2
    assert "does not validate" in result.stderr and "missing required key" in result.stderr
