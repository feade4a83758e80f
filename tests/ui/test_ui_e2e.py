"""The real commands in real terminals: ``run`` and ``join`` on one exercise, inside tmux.

Nothing is mocked: two processes share the journal file, the facilitator's clock runs at speed
60 on the system clock, keys go in with ``tmux send-keys`` and the screens are read back with
``capture-pane``. Waiting here is polling the screen with a deadline (real processes, real time),
not sleeping for a fixed time.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from exercise_engine.clock import SystemClock
from exercise_engine.exercise import Exercise
from tests.ui.helpers import SCENARIO

pytestmark = pytest.mark.requires("tmux")


class Tmux:
    """A private tmux server (its own socket), so the test never touches the user's sessions."""

    def __init__(self) -> None:
        self.socket = f"ee-test-{uuid.uuid4().hex[:8]}"

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def start(self, name: str, command: list[str], cwd: Path) -> None:
        line = f"cd {shlex.quote(str(cwd))} && {shlex.join(command)}; sleep 30"
        self.tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", line)

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name)

    def keys(self, name: str, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", name, key)
            time.sleep(0.15)  # let the console handle one key before the next, as a person types

    def wait_for(self, name: str, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(name)
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared on {name}:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.close()


def test_run_and_join_share_one_exercise(tmp_path: Path, tmux: Tmux) -> None:
    scenario = tmp_path / "uimini.toml"
    scenario.write_text(SCENARIO.replace("speed = 1\n", "speed = 60\n"), encoding="utf-8")
    db = tmp_path / "room.db"
    cli = [sys.executable, "-m", "exercise_engine"]

    tmux.start("fac", [*cli, "run", str(scenario), "--exercise", str(db)], tmp_path)
    tmux.wait_for("fac", "Seats and join codes")
    tmux.start("fc", [*cli, "join", str(db), "--role", "force_commander"], tmp_path)
    tmux.wait_for("fc", "Force Commander (FC)")

    tmux.keys("fac", "s")
    tmux.wait_for("fac", "RUNNING")
    # At speed 60 the crowd inject (00:02) arrives two seconds later, on the FC's console only
    # in the FC's own version.
    screen = tmux.wait_for("fc", "Crowd at the gate")
    assert "Police hear of a crowd" not in screen

    tmux.keys("fc", "2")
    tmux.wait_for("fc", "Deploy the company?")
    tmux.keys("fc", "Enter", "Enter", "C-s")
    tmux.wait_for("fc", "Submit this decision?")
    tmux.keys("fc", "y")
    tmux.wait_for("fc", "Recorded at")

    # The facilitator's board shows the decision (its detail line, under the table).
    tmux.keys("fac", "2")
    tmux.wait_for("fac", "decided", timeout=5)
    tmux.wait_for("fac", "Answer: Deploy between the crowds", timeout=5)

    tmux.keys("fac", "e")
    tmux.wait_for("fac", "End the scenario now?")
    tmux.keys("fac", "y")
    tmux.wait_for("fac", "Ending: Ended by the facilitator")
    tmux.wait_for("fc", "Play has ended")
    tmux.keys("fac", "C-e")
    tmux.wait_for("fac", "Close the exercise?")
    tmux.keys("fac", "y")
    tmux.wait_for("fac", "The exercise is closed")
    tmux.keys("fac", "C-q")
    tmux.wait_for("fac", "exercise ")  # the command's last line, printed after the console quits
    tmux.keys("fc", "C-q")

    final = Exercise.open(db, SystemClock())
    status, decided = final.state.status, final.state.points[("crowd", "posture")]
    final.close()
    assert status == "ended"
    assert (decided.option, decided.actor) == ("deploy", "role:force_commander")
