"""The real commands in real terminals: ``run`` and ``join`` on one exercise, inside tmux.

Nothing is mocked: two processes share the journal file, the facilitator's clock is the system
clock, keys go in with ``tmux send-keys`` and the screens are read back with ``capture-pane``.

Nothing here depends on how fast the machine is. Every wait polls the screen for a condition with
a generous deadline (it returns as soon as the condition holds); no fixed sleep decides anything.
The facilitator jumps to the injects instead of waiting for them, and pauses the clock as soon as
the Force Commander's decision is asked for, so the decision window cannot run out however slowly
the keys are handled (decisions are taken while paused). The one stretch of running clock — the
jumps, before the pause — is checked against the decision window: it must be longer than every
deadline the test could spend in that stretch.
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
from exercise_engine.loading import load_scenario
from tests.ui.helpers import SCENARIO

pytestmark = pytest.mark.requires("tmux")

WAIT = 60.0
"""Deadline for one condition to appear (seconds). Generous: a wait ends when its text shows."""


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
        # The pane stays open after the command ends so its last lines can be read.
        line = f"cd {shlex.quote(str(cwd))} && {shlex.join(command)}; sleep 3600"
        self.tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "30", line)

    def screen(self, name: str, styled: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if styled else []), "-t", name)

    def keys(self, name: str, key: str) -> None:
        """Send one key; the caller then waits for what it should show."""
        self.tmux("send-keys", "-t", name, key)

    def press(self, name: str, key: str, timeout: float = WAIT) -> None:
        """Send one key whose only visible effect is on the styles (focus, a radio button) and
        wait until the console has drawn it: the next key then reaches the widget it is meant for.
        Call only on a still screen (clock paused, no notification about to time out)."""
        before = self.screen(name, styled=True)
        self.keys(name, key)
        deadline = time.monotonic() + timeout
        while self.screen(name, styled=True) == before:
            if time.monotonic() > deadline:
                raise AssertionError(f"{key!r} changed nothing on {name}:\n{self.screen(name)}")
            time.sleep(0.05)

    def wait_for(self, name: str, text: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen(name)
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on {name} in {timeout:.0f} s:\n{screen}")

    def wait_until_gone(self, name: str, *texts: str, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while any(text in (screen := self.screen(name)) for text in texts):
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} still on {name} after {timeout:.0f} s:\n{screen}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    yield server
    server.close()


def test_run_and_join_share_one_exercise(tmp_path: Path, tmux: Tmux) -> None:
    scenario = tmp_path / "uimini.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    loaded = load_scenario(scenario)
    crowd = loaded.decision_point("crowd", "posture")
    assert crowd is not None and crowd.respond_within is not None
    # Between the crowd inject and the pause the clock runs: one key and one wait. The window, in
    # real seconds at the scenario's speed, must outlast that wait's deadline many times over.
    window = crowd.respond_within / loaded.file.clock.speed
    assert window > 10 * WAIT, f"the crowd window ({window:.0f} s) is too short for this test"
    db = tmp_path / "room.db"
    cli = [sys.executable, "-m", "exercise_engine"]

    tmux.start("fac", [*cli, "run", str(scenario), "--exercise", str(db)], tmp_path)
    tmux.wait_for("fac", "Seats and join codes")
    tmux.start("fc", [*cli, "join", str(db), "--role", "force_commander"], tmp_path)
    tmux.wait_for("fc", "Force Commander (FC)")

    tmux.keys("fac", "s")
    tmux.wait_for("fac", "RUNNING")
    # Jump to the opening update (00:01), then to the crowd (00:02): on the FC's console only in
    # the FC's own version.
    tmux.keys("fac", "j")
    tmux.wait_for("fc", "Opening update")
    tmux.keys("fac", "j")
    screen = tmux.wait_for("fc", "Crowd at the gate")
    assert "Police hear of a crowd" not in screen
    tmux.keys("fac", "space")
    tmux.wait_for("fac", "PAUSED")
    tmux.wait_for("fc", "PAUSED")

    tmux.keys("fc", "2")
    tmux.wait_for("fc", "(clock paused)")  # the form: "Due Tue 05:22, 20 min left (clock paused)"
    tmux.wait_until_gone("fc", "New message", "Decision needed")  # the screen is still now
    tmux.press("fc", "Enter")  # from the list of points to the form's options
    tmux.press("fc", "Enter")  # the first option: deploy
    tmux.keys("fc", "C-s")
    # A terminal under load may deliver the focus change after the next key: if no option was
    # chosen yet, ctrl+s asks for one instead of confirming. Choose again (Enter on the
    # highlighted first option) a bounded number of times; the dialog must then appear.
    for _attempt in range(3):
        try:
            confirm = tmux.wait_for("fc", "Submit this decision?", timeout=WAIT / 4)
            break
        except AssertionError:
            tmux.keys("fc", "Enter")
            tmux.keys("fc", "C-s")
    else:
        confirm = tmux.wait_for("fc", "Submit this decision?")
    assert "Deploy between the crowds" in confirm
    tmux.keys("fc", "y")
    tmux.wait_for("fc", "Decided Tue 05:02")  # the point, now decided (a passing toast says so too)

    # The facilitator's board shows the decision (its detail line, under the table).
    tmux.keys("fac", "2")
    tmux.wait_for("fac", "decided")
    tmux.wait_for("fac", "Answer: Deploy between the crowds")

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
    assert decided.closed_at == 2 * 60  # decided while paused at 00:02: no time ran
