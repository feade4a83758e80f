"""Small scenarios written in the tests themselves, and a virtual-clock exercise to drive them."""

from __future__ import annotations

from pathlib import Path

from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import LoadedScenario, load_scenario
from exercise_engine.runtime import advance_clock_to

HEADER = """
id = "mini"
title = "Mini"
roles = ["hom", "force_commander", "police_commissioner"]
start_phase = "one"
[clock]
start = "2014-10-07T05:00"
speed = 1
[variables.risk]
label = "Risk"
initial = 50
[flags]
warned = false
[[phases]]
id = "one"
title = "One"
[[phases]]
id = "two"
title = "Two"
"""


def scenario_from(tmp_path: Path, body: str, header: str = HEADER) -> LoadedScenario:
    path = tmp_path / "mini.toml"
    path.write_text(header + body, encoding="utf-8")
    return load_scenario(path)


def inject(iid: str, trigger: str, to: str = '"all"', extra: str = "") -> str:
    return f"""
[[inject]]
id = "{iid}"
title = "{iid}"
{trigger}
channel = "report"
sender = "JOC"
to = {to}
body = "text"
{extra}
"""


def decision(
    point: str = "d",
    role: str = "hom",
    window: str = '"00:10"',
    options: str = "",
    expire: str = "",
) -> str:
    text = f"""
[[inject.decisions]]
id = "{point}"
role = "{role}"
prompt = "?"
respond_within = {window}
consult = ["force_commander"]
"""
    text += (
        options
        or """
[[inject.decisions.options]]
id = "yes"
label = "Yes"
effects = { risk = -30 }
set = { warned = true }
evidence = { "crisis.timely-decision" = 1 }

[[inject.decisions.options]]
id = "no"
label = "No"
effects = { risk = 80 }
evidence = { "crisis.timely-decision" = -1 }
"""
    )
    if expire:
        text += f"\n[inject.decisions.on_expire]\n{expire}\n"
    return text


class Run:
    """An exercise on a virtual clock, started, with helpers to move time."""

    def __init__(self, scenario: LoadedScenario, tmp_path: Path) -> None:
        self.clock = VirtualClock()
        self.ex = Exercise.create(tmp_path / "ex.db", scenario, self.clock, speed=1.0)
        self.ex.open_briefing()
        self.ex.start()

    def to(self, hhmm: str) -> None:
        hours, minutes = hhmm.split(":")
        advance_clock_to(self.ex, self.clock, int(hours) * 3600 + int(minutes) * 60)

    @property
    def state(self):  # type: ignore[no-untyped-def]
        return self.ex.state

    def delivered_at(self) -> dict[str, int]:
        return {k: d.at for k, d in self.ex.state.deliveries.items()}
