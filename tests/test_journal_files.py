"""Nothing a course writes is lost: the journal's files against careless hands.

Each test replays a failure found by trying the tool as a careless newcomer or an attacker:
``--overwrite`` turning a decisions file into a database, ``play`` deleting a journal a live
``run`` still writes, a FIFO or an empty file replaced by a new journal, read-only commands that
wrote, ``-wal``/``-shm`` deleted under a console, reports written through a symbolic link,
damaged rows that crashed every command, and text that is not UTF-8.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from exercise_engine.clock import VirtualClock
from exercise_engine.errors import JournalError
from exercise_engine.exercise import Exercise
from exercise_engine.journal import InvalidText, Journal
from exercise_engine.journal.files import default_journal_name
from tests.conftest import REPO, run_cli
from tests.test_journal import Lines

ROBUST = "scenarios/playthroughs/tutorial/robust.toml"


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("played") / "robust.db"
    result = run_cli("play", "tutorial", "--decisions", ROBUST, "--exercise", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    return db


@pytest.fixture
def db(played: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "robust.db"
    copy.write_bytes(played.read_bytes())
    return copy


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The refusal, asserted to be exactly one line on stderr with ``code``, no traceback."""
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in folder.iterdir()}


# --- creating and overwriting ---------------------------------------------------------------


def test_overwrite_refuses_the_decisions_file_and_the_scenario_file(tmp_path: Path) -> None:
    decisions = tmp_path / "robust.toml"
    decisions.write_text((REPO / ROBUST).read_text())
    scenario = tmp_path / "tutorial.toml"
    scenario.write_text((REPO / "scenarios/tutorial.toml").read_text())
    before = digest(decisions), digest(scenario)
    same = run_cli(
        "play", str(scenario), "--decisions", str(decisions), "--exercise", str(decisions),
        "--overwrite",
    )  # fmt: skip
    assert one_line_error(same) == (
        f"exercise-engine play: refusing to overwrite {decisions}: it is the decisions file, "
        "not an exercise journal"
    )
    onto_scenario = run_cli(
        "play", str(scenario), "--decisions", str(decisions), "--exercise", str(scenario),
        "--overwrite",
    )  # fmt: skip
    assert "it is the scenario file, not an exercise journal" in one_line_error(onto_scenario)
    other = tmp_path / "notes.txt"
    other.write_text("minutes of the planning meeting")
    onto_other = run_cli(
        "play", "tutorial", "--decisions", str(decisions), "--exercise", str(other), "--overwrite"
    )
    assert one_line_error(onto_other) == (
        f"exercise-engine play: refusing to overwrite {other}: it is a file of another kind "
        "(not SQLite), not an exercise journal"
    )
    assert (digest(decisions), digest(scenario)) == before
    assert other.read_text() == "minutes of the planning meeting"


def test_overwrite_replaces_an_exercise_journal(db: Path) -> None:
    again = run_cli("play", "tutorial", "--decisions", ROBUST, "--exercise", str(db))
    assert one_line_error(again).endswith(
        "already exists: open it to resume, or choose another file (add --overwrite to replace it)"
    )
    replaced = run_cli(
        "play", "tutorial", "--decisions", ROBUST, "--exercise", str(db), "--overwrite"
    )
    assert replaced.returncode == 0, replaced.stderr
    assert run_cli("verify", str(db)).returncode == 0


@pytest.mark.parametrize(
    ("kind", "described"),
    [
        ("fifo", "a FIFO (named pipe)"),  # reading it would block; replacing it lost the pipe
        ("empty", "an empty file"),  # someone's placeholder, not a journal
    ],
)
def test_a_fifo_or_an_empty_file_is_never_replaced_nor_read(
    tmp_path: Path, kind: str, described: str
) -> None:
    target = tmp_path / "x.db"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.touch()
    for extra in ([], ["--overwrite"]):
        result = run_cli(
            "play", "tutorial", "--decisions", ROBUST, "--exercise", str(target), *extra
        )
        line = one_line_error(result)
        assert described in line and "not an exercise journal" in line
    scenario = REPO / "scenarios/tutorial.toml"
    run = run_cli("run", str(scenario), "--exercise", str(target), "--headless")
    assert one_line_error(run) == (
        f"exercise-engine run: {target} is {described}, not an exercise journal"
    )
    for command in ("status", "verify", "report"):
        result = run_cli(command, str(target))
        assert one_line_error(result) == (
            f"exercise-engine {command}: {target} is {described}, not an exercise journal"
        )
    assert target.is_fifo() if kind == "fifo" else target.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]  # no -wal, -shm, lock left


def test_read_only_commands_write_nothing(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(db.read_bytes())
    before, files = digest(db), listing(tmp_path)
    for command in (
        ["status", str(db)],
        ["verify", str(db)],
        ["report", str(db), "--format", "json"],
        ["compare", str(db), str(other)],
    ):
        result = run_cli(*command)
        assert result.returncode == 0, result.stderr
    assert digest(db) == before
    assert listing(tmp_path) == files  # not even SQLite's -wal and -shm


def test_a_scenario_id_never_places_a_journal_outside_the_folder(tmp_path: Path) -> None:
    evil = tmp_path / "evil.toml"
    text = (REPO / "scenarios/tutorial.toml").read_text()
    evil.write_text(text.replace('id = "tutorial"', 'id = "../../x"', 1))
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    result = run_cli("run", str(evil), "--headless", cwd=work)
    line = one_line_error(result)
    assert "scenario id '../../x' cannot name a journal file" in line
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "evil.toml"]
    assert default_journal_name("minusca-bambari", "20261203-1500").name == (
        "minusca-bambari-20261203-1500.db"
    )
    for bad in ("../x", "/etc/x", "A", "x y", "", "-x"):  # what a loader might let through
        with pytest.raises(JournalError):
            default_journal_name(bad, "1")


# --- a live run holds its journal -------------------------------------------------------------


def _start_run(tmp_path: Path, db: Path) -> tuple[subprocess.Popen[str], Lines]:
    run = subprocess.Popen(
        [sys.executable, "-m", "exercise_engine", "run", "tutorial", "--exercise", str(db),
         "--headless", "--speed", "1"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines = Lines(run)
    lines.wait_for("delivered")  # running, and its journal files exist
    return run, lines


def test_play_overwrite_is_refused_while_a_run_holds_the_journal(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    run, _lines = _start_run(tmp_path, db)
    try:
        result = run_cli(
            "play", "tutorial", "--decisions", ROBUST, "--exercise", str(db), "--overwrite"
        )
        line = one_line_error(result)
        assert line.startswith(f"exercise-engine play: {db} is in use by `run` (pid {run.pid} on ")
        assert ", since " in line and line.endswith("UTC): stop it first")
        second = run_cli("run", "tutorial", "--exercise", str(db), "--headless")
        assert f"in use by `run` (pid {run.pid}" in one_line_error(second)
        assert run.poll() is None  # the live run carries on, its journal untouched
    finally:
        run.send_signal(signal.SIGTERM)
        run.communicate()
    assert run.returncode == 0
    assert not Path(f"{db}.lock").exists()
    after = run_cli("play", "tutorial", "--decisions", ROBUST, "--exercise", str(db), "--overwrite")
    assert after.returncode == 0, after.stderr  # free again once the run stopped


def test_a_killed_run_leaves_no_lock_behind(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    run, _lines = _start_run(tmp_path, db)
    run.kill()
    run.communicate()
    result = run_cli(
        "play", "tutorial", "--decisions", ROBUST, "--exercise", str(db), "--overwrite"
    )
    assert result.returncode == 0, result.stderr  # the kernel released the lock with the process


@pytest.mark.parametrize("how", ["companions deleted", "file replaced"])
def test_a_run_stops_when_its_journal_is_swapped_under_it(
    tmp_path: Path, played: Path, how: str
) -> None:
    db = tmp_path / "live.db"
    run, _lines = _start_run(tmp_path, db)
    try:
        if how == "companions deleted":
            Path(f"{db}-wal").unlink()
            Path(f"{db}-shm").unlink()
        else:
            stranger = tmp_path / "stranger.db"
            stranger.write_bytes(played.read_bytes())
            os.replace(stranger, db)
        _out, err = run.communicate(timeout=300)  # a guard against a hang, not a timing window
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    assert run.returncode == 2
    expected = f"{db}-wal was deleted" if how == "companions deleted" else f"{db} was replaced"
    assert f"exercise-engine run: {expected}" in err
    assert "never delete a journal's -wal/-shm files while it is in use" in err
    assert "Traceback" not in err


async def test_a_console_stops_when_its_journal_is_swapped(tmp_path: Path) -> None:
    from exercise_engine.clock import VirtualClock
    from exercise_engine.exercise import Exercise
    from exercise_engine.loading import load_scenario
    from exercise_engine.ui.participant.app import ParticipantApp

    db = tmp_path / "room.db"
    clock = VirtualClock()
    ex = Exercise.create(db, load_scenario(REPO / "scenarios/tutorial.toml"), clock)
    ex.open_briefing()
    app = ParticipantApp(db, "hom", clock=clock, poll_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.sync()
        Path(f"{db}-wal").unlink()
        Path(f"{db}-shm").unlink()
        await app.sync()
        await pilot.pause()
    ex.close()
    assert app.return_code == 2


# --- reading damaged journals -----------------------------------------------------------------

DAMAGE = [
    # (SQL that damages the journal, what every command must name)
    ("UPDATE meta SET value = '[]' WHERE key = 'scenario_snapshot'", "'scenario_snapshot'"),
    ("UPDATE events SET payload = '[]' WHERE seq = 5", "event 5"),
    ("UPDATE events SET payload = 'not json' WHERE seq = 5", "event 5"),
    ("UPDATE events SET wall_time = 'abc' WHERE seq = 5", "event 5"),
    ("UPDATE events SET exercise_time = 'abc' WHERE seq = 5", "event 5"),
    ("UPDATE events SET payload = '{\"inject\": 5}' WHERE seq = 5", "event 5"),
    ("UPDATE meta SET value = 'two' WHERE key = 'schema_version'", "'schema_version'"),
]


@pytest.mark.parametrize(("damage", "named"), DAMAGE)
@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["report"],
        ["decide", "--role", "hom", "--inject", "tut-02", "--decision", "posture"],
        ["fork", "--at", "3", "--out", "FORK"],
        ["verify"],
    ],
)
def test_a_damaged_row_is_named_in_one_line(
    db: Path, tmp_path: Path, damage: str, named: str, command: list[str]
) -> None:
    with sqlite3.connect(db) as con:
        con.execute(damage)
    args = [a.replace("FORK", str(tmp_path / "fork.db")) for a in command]
    result = run_cli(args[0], str(db), *args[1:])
    assert "Traceback" not in result.stderr
    if args[0] == "verify" and "schema_version" not in damage:
        assert result.returncode == 1  # verify's verdict: the journal fails verification
        assert result.stdout.startswith(f"TAMPERED: {db}: ")
        assert named.replace("'", "") in result.stdout.splitlines()[0].replace("'", "")
        return
    line = one_line_error(result)
    assert named in line or ("fails verification at event" in line and args[0] == "fork"), line


def test_text_that_is_not_utf8_gets_a_clear_message(db: Path, tmp_path: Path) -> None:
    # A Latin-1 terminal sends é as one byte: Python passes it on as a lone surrogate.
    result = subprocess.run(
        [sys.executable, "-m", "exercise_engine", "decide", str(db).encode(), b"--role", b"hom",
         b"--inject", b"tut-02", b"--decision", b"posture", b"--rationale", b"caf\xe9"],
        capture_output=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert err.strip() == (
        "exercise-engine decide: --rationale is not valid UTF-8 text (byte e9 at character 4): "
        "type it in a UTF-8 terminal, or set LANG/LC_ALL to a UTF-8 locale"
    )
    assert not [e for e in Journal.open(db, read_only=True).events() if "caf" in str(e.payload)]


def test_the_journal_refuses_text_that_is_not_utf8_whoever_sends_it(db: Path) -> None:
    """Below the command line (a console, a script), the journal itself refuses, by field."""
    exercise = Exercise.open(db, VirtualClock())
    with pytest.raises(InvalidText, match="its text is not valid UTF-8 \\(byte e9\\)"):
        exercise.note("caf\udce9")
    exercise.close()


# --- another scenario's journal -------------------------------------------------------------


def test_run_and_join_refuse_another_scenarios_journal_by_name(db: Path) -> None:
    run = run_cli("run", "minusca-bambari", "--exercise", str(db), "--headless")
    assert one_line_error(run) == (
        f"exercise-engine run: {db} plays scenario 'tutorial', not 'minusca-bambari': "
        "choose another --exercise file"
    )
    join = run_cli("join", str(db), "--role", "dsrsg_pol")  # a seat of minusca-bambari
    assert one_line_error(join) == (
        f"exercise-engine join: role 'dsrsg_pol' is not in play in this exercise: {db} plays "
        "scenario 'tutorial' (roles: hom, force_commander, police_commissioner, dsrsg_rchc, "
        "chief_of_staff)"
    )


# --- writing reports --------------------------------------------------------------------------


def test_report_never_writes_through_a_symbolic_link(db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "robust.md").symlink_to(victim)
    result = run_cli("report", str(db), "--out", str(out))
    assert one_line_error(result) == (
        f"exercise-engine report: {out / 'robust.md'} is a symbolic link: refusing to write "
        "through it (remove it)"
    )
    assert victim.read_text() == "precious"
    real = tmp_path / "real"
    real.mkdir()
    linked = tmp_path / "linked"
    linked.symlink_to(real)
    through_folder = run_cli("report", str(db), "--out", str(linked))
    assert "is a symbolic link: give the folder it points to" in one_line_error(through_folder)
    assert list(real.iterdir()) == []
    fine = run_cli("report", str(db), "--out", str(real), "--format", "html")
    assert fine.returncode == 0, fine.stderr
    assert sorted(p.name for p in real.iterdir()) == ["robust.html"]  # no staging file left
