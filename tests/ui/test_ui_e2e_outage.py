"""An outage in real terminals: ``kill -9`` of the facilitator's ``run`` while a seat watches.

The seat (``join --role hom``) must say "Facilitator offline since HH:MM" on its own, with no
facilitator left to tell it; the restarted ``run`` must recover the exercise paused and the seat
must be told "recovered after an interruption" (a journalled event, in its shared log).

Nothing here depends on how fast the machine is: every wait polls the screen for its text with a
generous deadline and returns as soon as the text shows; no fixed sleep decides anything. The
offline notice itself needs the facilitator's last heartbeat to be ``OFFLINE_AFTER`` seconds old,
which a loaded machine only makes sooner relative to the test's waits, never later.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
from exercise_engine.journal.lock import lock_path, read_holder
from tests.ui.helpers import SCENARIO
from tests.ui.test_ui_e2e import WAIT, Tmux, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.requires("tmux")


def test_killing_the_facilitator_is_seen_by_the_seat_and_recovered(
    tmp_path: Path,
    tmux: Tmux,  # noqa: F811 (the fixture imported above)
) -> None:
    scenario = tmp_path / "uimini.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    db = tmp_path / "room.db"
    cli = [sys.executable, "-m", "exercise_engine"]
    run = [*cli, "run", str(scenario), "--exercise", str(db)]

    tmux.start("fac", run, tmp_path)
    tmux.wait_for("fac", "Seats and join codes")
    tmux.start("hom", [*cli, "join", str(db), "--role", "hom"], tmp_path)
    tmux.wait_for("hom", "Head of Mission")
    tmux.keys("fac", "s")
    tmux.wait_for("fac", "RUNNING")
    tmux.wait_for("hom", "RUNNING")
    tmux.keys("hom", "4")  # the shared log: where the recovery is written for good
    tmux.wait_for("hom", "The exercise has started")

    holder = read_holder(lock_path(db))
    assert holder is not None and holder.command == "run"
    os.kill(holder.pid, signal.SIGKILL)  # the facilitator's process, by its id

    screen = tmux.wait_for("hom", "Facilitator offline since", timeout=WAIT)
    assert "the clock is stopped" in screen
    assert "Traceback" not in screen

    tmux.start("fac2", run, tmp_path)
    tmux.wait_for("fac2", "PAUSED")
    screen = tmux.wait_for("hom", "recovered after an interruption", timeout=WAIT)
    tmux.wait_until_gone("hom", "Facilitator offline since")
    tmux.wait_for("hom", "The clock is paused.")
    assert "Traceback" not in screen

    tmux.keys("fac2", "C-q")
    tmux.wait_for("fac2", "exercise ")  # the command's last line, after the console quits
    tmux.keys("hom", "C-q")

    final = Exercise.open(db, SystemClock())
    kinds = [e.kind for e in final.journal.events()]
    problems = final.journal.verify()
    final.close()
    assert problems == []
    assert kinds.count("recovered") == 1
    recovered_at = kinds.index("recovered")
    assert kinds[recovered_at + 1] == "paused"  # paused where the clock stood, then told
