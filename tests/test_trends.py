"""``exercise-engine trends`` end to end: a course director points it at the journals of several
courses and reads how the cohorts did, per objective and consideration, oldest first.

The exercises are played with the real CLI (``play`` on the bundled tutorial and MINUSCA
scenarios): the tutorial's robust playthrough, and the same playthrough with one change — the
Head of Mission lets the national police lead instead of separating the crowds, a choice the
scenario marks as a breach of the protection mandate. Everything else is equal, so the trends
must move on protection of civilians and nowhere the choice does not reach.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import REPO, run_cli

PLAYS = REPO / "scenarios" / "playthroughs"
SYNDICATE = "Zelda Quinton syndicate"
PARTICIPANT = "Bartholomew Ngata"
EVALUATOR = "Carla Verity"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Journals played in this order (so in time order): kept, breach, minusca."""
    folder = tmp_path_factory.mktemp("played")
    robust = (PLAYS / "tutorial" / "robust.toml").read_text(encoding="utf-8")
    assert 'option = "separate"' in robust
    breach = robust.split("[expect]")[0].replace(
        'option = "separate"', 'option = "wait-for-police"'
    )
    (folder / "breach.toml").write_text(breach, encoding="utf-8")
    games = {
        "kept": ("tutorial", str(PLAYS / "tutorial" / "robust.toml"), ""),
        "breach": ("tutorial", str(folder / "breach.toml"), SYNDICATE),
        "minusca": ("minusca-bambari", str(PLAYS / "minusca-bambari" / "robust.toml"), ""),
    }
    out = {}
    for name, (scenario, decisions, syndicate) in games.items():
        db = folder / "journals" / f"{name}.db"
        db.parent.mkdir(exist_ok=True)
        extra = ["--syndicate", syndicate] if syndicate else []
        result = run_cli("play", scenario, "--decisions", decisions, "--exercise", str(db), *extra)
        assert result.returncode == 0, result.stderr
        out[name] = db
    return out


def trends(*args: str) -> tuple[int, str, str]:
    result = run_cli("trends", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def table(markdown: str, heading: str) -> dict[str, list[str]]:
    """The rows of the Markdown table under ``### heading``: first cell's id -> the other cells
    (Markdown escapes removed)."""
    section = markdown.split(f"### {heading}\n", 1)[1].strip("\n").split("\n\n")[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines()[2:]:
        cells = [re.sub(r"\\(.)", r"\1", c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows[cells[0].split(":")[0]] = cells[1:]
    return rows


def figure(text: str) -> tuple[str, float]:
    """``S† 72.0 · net −2`` -> ("S†", 72.0)."""
    rating, value = text.split(" ")[:2]
    return rating, float(value)


def copy_journal(db: Path, to: Path) -> Path:
    shutil.copyfile(db, to)
    return to


def test_a_breach_of_a_red_line_scores_lower_on_what_it_harms(played: dict[str, Path]) -> None:
    code, out, err = trends(str(played["kept"]), str(played["breach"]))
    assert code == 0, err
    cohorts = table(out, "Cohorts")
    assert list(cohorts) == ["1", "2"]  # played in this order: oldest first
    considerations = table(out, "By consideration")
    kept_rating, kept = figure(considerations["poc.physical-protection"][1])
    breach_rating, breached = figure(considerations["poc.physical-protection"][2])
    assert breached < kept
    assert breach_rating in ("M", "U")  # a breach caps the decision (breach_caps = "M")
    assert kept_rating in ("P", "S")
    assert considerations["poc.physical-protection"][3].startswith("−")  # change: worse later
    # the choice's own evidence: +2 for separating, −2 for leaving the civilians unprotected
    assert "net +2" in considerations["poc.physical-protection"][1]
    assert "net −2" in considerations["poc.physical-protection"][2]
    objectives = table(out, "By objective")
    # the objective that lists the point falls; one the point does not touch stays where it was
    assert (
        figure(objectives["deter-even-handedly"][0])[1]
        > figure(objectives["deter-even-handedly"][1])[1]
    )
    assert objectives["calm-the-rumour"][0] == objectives["calm-the-rumour"][1]
    assert (
        considerations["tutorial.rumour-checked"][1] == considerations["tutorial.rumour-checked"][2]
    )


def test_the_figures_are_the_reports_own_and_the_evaluators_lead(
    played: dict[str, Path], tmp_path: Path
) -> None:
    db = copy_journal(played["kept"], tmp_path / "rated.db")
    for args in (
        ["--inject", "tut-04", "--decision", "intervene", "--rating", "U"],
        ["--objective", "calm-the-rumour", "--rating", "P"],
        ["--plan", "new", "--set", "issue=Rehearse the handover"],
        [
            "--inject",
            "tut-02",
            "--decision",
            "posture",
            "--consideration",
            "uof.deter",
            "--rating",
            "M",
        ],
    ):
        result = run_cli("rate", str(db), "--evaluator", EVALUATOR, *args)
        assert result.returncode == 0, result.stderr
    code, out, err = trends(str(played["kept"]), str(db))
    # the same exercise twice (a copy before the ratings): counted once, the one with more
    # events; ratings and plan edits after the close keep the journal verified (exit 0)
    assert code == 0, err
    assert "fails verification" not in err
    assert "counted once" in err
    assert list(table(out, "Cohorts")) == ["1"]
    report = json.loads(run_cli("report", str(db), "--format", "json").stdout)
    objectives = table(out, "By objective")
    for o in report["objectives"]:
        if o["id"] != "other":
            assert objectives[o["id"]][0].rstrip("†").startswith(o["rating"]), o["id"]
    assert objectives["calm-the-rumour"][0].startswith("P†")  # the evaluators' own rating
    cohort = table(out, "Cohorts")["1"]
    assert cohort[2].rstrip("†") == report["mlt"]["rating"]
    assert float(cohort[3]) == report["mlt"]["score"]
    considerations = table(out, "By consideration")
    assert considerations["uof.deter"][1].startswith("M† ")
    _, value = figure(considerations["uof.deter"][1])
    assert 40 <= value < 60  # carried inside the evaluators' band
    # the decision rated U drags what it bears on below the unrated figure
    _, unrated = figure(
        table(trends(str(played["kept"]))[1], "By consideration")["poc.physical-protection"][1]
    )
    assert figure(considerations["poc.physical-protection"][1])[1] < unrated


def test_no_name_reaches_the_output(played: dict[str, Path], tmp_path: Path) -> None:
    db = copy_journal(played["breach"], tmp_path / "quinton-course.db")
    assert run_cli("seat", str(db), "--role", "hom", "--participant", PARTICIPANT).returncode == 0
    result = run_cli(
        "rate", str(db), "--evaluator", EVALUATOR, "--inject", "tut-04", "--decision",
        "intervene", "--rating", "M", "--note", f"{PARTICIPANT} hesitated",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # the names are in the journal: the report shows them
    assert PARTICIPANT in run_cli("report", str(db)).stdout
    for fmt in ("md", "html"):
        # `seat` after the close is journalled, but verify calls it a play event after the
        # close (reported to the lead): count the journal anyway, the names are the point here
        code, out, err = trends(str(db), "--format", fmt, "--allow-unverified")
        assert code == 0, err
        for name in (SYNDICATE, "Zelda", PARTICIPANT, EVALUATOR, "quinton-course", str(tmp_path)):
            assert name not in out, (fmt, name)
        assert re.search(r"\d{4}-\d\d-\d\d · [0-9a-f]{8}", out)


def test_html_is_one_page_with_inline_charts(played: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "out" / "trends.html"
    code, out, err = trends(
        str(played["kept"]), str(played["breach"]), "--format", "html", "--out", str(target)
    )
    assert code == 0, err
    assert out.strip() == f"wrote {target}"
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count("<svg") >= 1 + 4  # the objectives chart and a sparkline per row
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "poc.physical-protection" in page


def test_out_never_writes_through_a_link(played: dict[str, Path], tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "t.md").symlink_to(victim)
    code, _, err = trends(str(played["kept"]), "--out", str(tmp_path / "t.md"))
    assert code == 2
    assert "symbolic link" in err and len(err.strip().splitlines()) == 1
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_scenarios_are_grouped_and_one_can_be_chosen(played: dict[str, Path]) -> None:
    folder = str(played["kept"].parent)
    code, out, err = trends(folder)
    assert code == 0, err
    sections = re.findall(r"^## .*\((.+)\)$", out, flags=re.M)
    assert sections == ["minusca-bambari", "tutorial"]
    code, out, _ = trends(folder, "--scenario", "minusca-bambari")
    assert code == 0
    assert re.findall(r"^## .*\((.+)\)$", out, flags=re.M) == ["minusca-bambari"]
    code, out, err = trends(folder, "--scenario", "unmis-tob")
    assert code == 2 and out == ""
    assert err.strip() == (
        "exercise-engine trends: --scenario unmis-tob: no input plays it"
        " (they play minusca-bambari, tutorial)"
    )


def test_a_journal_that_fails_verification_is_listed_not_counted(
    played: dict[str, Path], tmp_path: Path
) -> None:
    db = copy_journal(played["breach"], tmp_path / "edited.db")
    with sqlite3.connect(db) as con:
        seq, payload = con.execute(
            "SELECT seq, payload FROM events WHERE kind = 'decision_recorded' ORDER BY seq"
        ).fetchone()
        edited = json.loads(payload) | {"rationale": "written afterwards"}
        con.execute("UPDATE events SET payload = ? WHERE seq = ?", (json.dumps(edited), seq))
    con.close()
    code, out, err = trends(str(played["kept"]), str(db))
    assert code == 1
    assert f"{db} fails verification: not counted" in err
    assert list(table(out, "Cohorts")) == ["1"]
    assert "### Not counted" in out and "fails verification" in out
    assert str(db) not in out  # listed by its cohort label, never its file
    code, out, err = trends(str(played["kept"]), str(db), "--allow-unverified")
    assert code == 0, err
    assert list(table(out, "Cohorts")) == ["1", "2"]
    assert "(fails verification)" in table(out, "Cohorts")["2"][0]


# What a folder or a file that is no journal does: one line naming it; the trends of the other
# inputs still come out (exit 0); nothing readable at all is exit 2.
@pytest.mark.parametrize(
    ("make", "alone", "says"),
    [
        # an empty folder (a course not played yet)
        (lambda p: p.mkdir(), 2, "is a folder without any exercise journal in it"),
        # a text file named on the command line
        (lambda p: p.write_text("notes", encoding="utf-8"), 2, "not an exercise journal"),
        # an SQLite file of another program
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.close(), 2, "not an exercise journal"),
        # an empty file
        (lambda p: p.touch(), 2, "an empty file"),
    ],
    ids=["empty-folder", "text-file", "foreign-sqlite", "empty-file"],
)  # fmt: skip
def test_what_is_not_a_journal_is_named_and_skipped(
    played: dict[str, Path], tmp_path: Path, make: object, alone: int, says: str
) -> None:
    bad = tmp_path / "odd"
    make(bad)  # type: ignore[operator]
    code, out, err = trends(str(bad))
    assert code == alone and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 2, err  # the skip, then why there is no output
    assert str(bad) in lines[0] and says in lines[0]
    code, out, err = trends(str(played["kept"]), str(bad))
    assert code == 0
    assert err.strip().splitlines() == lines[:1]
    assert list(table(out, "Cohorts")) == ["1"]


def test_a_folder_skips_companions_and_names_strangers(
    played: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    copy_journal(played["kept"], folder / "syndicate-a.db")
    (folder / "syndicate-a.db.lock").touch()
    (folder / "syndicate-a.db-wal").touch()
    (folder / "README.txt").write_text("the course's journals", encoding="utf-8")
    (folder / "older").mkdir()  # sub-folders are not searched
    code, out, err = trends(str(folder))
    assert code == 0
    assert err.strip() == (
        f"exercise-engine trends: skipped: {folder / 'README.txt'} is a file of another kind"
        " (not SQLite), not an exercise journal"
    )
    assert list(table(out, "Cohorts")) == ["1"]


def test_a_missing_path_is_a_mistake(tmp_path: Path) -> None:
    code, out, err = trends(str(tmp_path / "nowhere"))
    assert code == 2 and out == ""
    assert err.strip() == f"exercise-engine trends: {tmp_path / 'nowhere'}: no such file or folder"


def test_a_fork_is_a_cohort_of_its_own(played: dict[str, Path], tmp_path: Path) -> None:
    """A fork begins with a copy of its source's events, first event included: it must not be
    taken for a copy of the same exercise and dropped."""
    fork = tmp_path / "what-if.db"
    result = run_cli("fork", str(played["kept"]), "--at", "20", "--out", str(fork))
    assert result.returncode == 0, result.stderr
    code, out, err = trends(str(played["kept"]), str(fork))
    assert code == 0, err
    assert "counted once" not in err
    labels = [row[0] for row in table(out, "Cohorts").values()]
    assert len(labels) == 2 and labels[0] != labels[1]


@pytest.fixture
def fresh_database(pg_server: str) -> Iterator[str]:
    """A database of its own (the shared test database holds every other test's exercises):
    the URL without ``exercise=``."""
    import psycopg

    name = f"trends_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(pg_server)
    with psycopg.connect(pg_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.requires("postgresql")
def test_a_database_url_reads_every_exercise_in_it(
    played: dict[str, Path], fresh_database: str, tmp_path: Path
) -> None:
    """A centre keeps its exercises on the server: `trends URL` without `exercise=` reads them
    all, and an exercise moved there with `export` keeps its cohort label and its figures."""
    sep = "&" if "?" in fresh_database else "?"
    code, _, err = trends(fresh_database)
    assert code == 2
    assert "holds no exercise" in err
    for name in ("kept", "breach"):
        result = run_cli(
            "export", str(played[name]), "--to", f"{fresh_database}{sep}exercise=syn-{name}"
        )
        assert result.returncode == 0, result.stderr
    code, from_server, err = trends(fresh_database)
    assert code == 0, err
    _, from_files, _ = trends(str(played["kept"]), str(played["breach"]))
    assert from_server == from_files
    # one exercise by its URL, beside a file that is no journal: the password is never printed
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    code, out, err = trends(f"{fresh_database}{sep}exercise=syn-kept", str(tmp_path / "notes.txt"))
    assert code == 0, err
    assert list(table(out, "Cohorts")) == ["1"]
    password = urlsplit(fresh_database).password
    assert password and password not in err + out
