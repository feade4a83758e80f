"""A small scenario for the console tests, and helpers to drive apps from a test.

Drive an app only through its own message loop (``pilot.press``, ``app.call_later``): a test
coroutine runs outside the app's context, so calling the app's methods directly would run them
against whichever app Textual thinks is active.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import LoadedScenario, load_scenario, load_snapshot
from exercise_engine.ui.base import ConsoleApp

SCENARIO = """
id = "uimini"
title = "Mini console exercise"
roles = ["hom", "force_commander", "police_commissioner"]
start_phase = "one"
briefing = "A short exercise for the console tests."
[clock]
start = "2014-10-07T05:00"
speed = 1
[variables.risk]
label = "Risk to civilians"
initial = 50
good = "low"
[flags]
warned = false
[[phases]]
id = "one"
title = "Phase one"
[[phases]]
id = "two"
title = "Phase two"
[[transitions]]
from = "one"
to = "two"
when = "warned"
[[end]]
id = "done"
title = "Done"
summary = "It is over."
when = "phase == 'two' and elapsed >= '02:00'"

[[inject]]
id = "open"
title = "Opening update"
at = "00:01"
channel = "meeting"
sender = "Chief of Staff"
to = "all"
body = "Everyone reads this."

[[inject]]
id = "crowd"
title = "Crowd at the gate"
at = "00:02"
channel = "jocs_flash"
sender = "JOC"
to = ["force_commander"]
body = "SECRET-FC-TEXT: the crowd is armed."
[[inject.variants]]
to = ["police_commissioner"]
title = "Police hear of a crowd"
channel = "phone"
sender = "UNPOL"
body = "PC-VARIANT-TEXT: the crowd is calm."
[[inject.decisions]]
id = "posture"
role = "force_commander"
prompt = "Deploy the company?"
respond_within = "00:20"
consult = ["police_commissioner", "hom"]
[[inject.decisions.options]]
id = "deploy"
label = "Deploy between the crowds"
effects = { risk = -20 }
set = { warned = true }
outcome = "Soldiers stand between the crowds."
[[inject.decisions.options]]
id = "wait"
label = "Wait at the base"
effects = { risk = 20 }
outcome = "The crowd grows."

[[inject]]
id = "radio"
title = "Radio asks for comment"
at = "00:03"
channel = "media"
sender = "Radio"
to = ["hom"]
body = "HOM-PRIVATE-TEXT: the radio wants a statement."
[[inject.decisions]]
id = "statement"
role = "hom"
prompt = "What does the mission say?"
respond_within = "00:05"
[[inject.decisions.options]]
id = "calm"
label = "Appeal for calm"
outcome = "The appeal is broadcast."
[inject.decisions.on_expire]
effects = { risk = 10 }
outcome = "The radio broadcasts without the mission."

[[inject]]
id = "police"
title = "Police ask for support"
at = "00:04"
channel = "phone"
sender = "National police"
to = ["police_commissioner"]
body = "PC-PRIVATE-TEXT: the police need help."
[[inject.decisions]]
id = "support"
role = "police_commissioner"
prompt = "Send an FPU?"
respond_within = "00:30"
[[inject.decisions.options]]
id = "send"
label = "Send the FPU"
outcome = "The FPU arrives."
[[inject.decisions.options]]
id = "hold"
label = "Hold the FPU"

[[inject]]
id = "icrc"
title = "ICRC calls"
manual = true
channel = "phone"
sender = "ICRC"
to = ["hom"]
body = "Delivered by hand."
"""

START = 1_700_000_000.0


def mini_scenario(folder: Path) -> LoadedScenario:
    path = folder / "uimini.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return load_scenario(path)


def mini_loaded() -> LoadedScenario:
    """The mini scenario under a fixed source name, so its content hash (and the join codes
    derived from it) are the same in every test run."""
    return load_snapshot(json.dumps([{"name": "uimini.toml", "text": SCENARIO}]))


def new_exercise(folder: Path, clock: VirtualClock | None = None) -> tuple[Path, VirtualClock]:
    """A fresh journal for the mini scenario (closed again: the apps open their own)."""
    clock = clock or VirtualClock(START)
    db = folder / "ex.db"
    Exercise.create(db, mini_loaded(), clock).close()
    return db, clock


async def settle(*pilots: Pilot[Any]) -> None:
    """Let every app poll the journal, then wait until each has processed what followed."""
    for pilot in pilots:
        app = pilot.app
        assert isinstance(app, ConsoleApp)
        app.call_later(app.sync)
        await pilot.pause()
        await pilot.pause()


async def run_in(pilot: Pilot[Any], work: Callable[[], object]) -> None:
    """Run ``work`` on the app's own loop (focus a widget, select a tab...)."""
    pilot.app.call_later(work)
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type plain text (letters, digits, spaces) key by key, as a person would."""
    keys = ["space" if ch == " " else ch for ch in text]
    await pilot.press(*keys)


def screen_text(app: App[Any]) -> str:
    """Everything on the app's screen as plain text (for asserting what a person would read)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text()
