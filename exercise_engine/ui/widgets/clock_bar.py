"""The clock bar: status, scenario date-time, speed, elapsed exercise time and phase on one line.

The scenario clock comes first and in bold: it is the time every deadline and message uses;
elapsed exercise time is labelled as such (issue 13)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.widgets import Static

from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.timefmt import clock_text, scenario_time_text, speed_text

if TYPE_CHECKING:
    from exercise_engine.ui.base import ConsoleApp

STATUS = {
    "draft": ("NOT STARTED", "$text-muted"),
    "briefing": ("BRIEFING", "$accent"),
    "running": ("▶ RUNNING", "$success"),
    "paused": ("❚❚ PAUSED", "$warning"),
    "hot_wash": ("HOT WASH", "$accent"),
    "ended": ("CLOSED", "$text-muted"),
}


class ClockBar(Static):
    """Redraws itself when exercise time moves or new events arrive."""

    def on_mount(self) -> None:
        app = cast("ConsoleApp", self.app)
        self.watch(app, "exercise_time", self.redraw)
        self.watch(app, "revision", self.redraw)

    def redraw(self, _value: object = None) -> None:
        app = cast("ConsoleApp", self.app)
        view, scenario = app.link.view, app.scenario
        now = app.exercise_time
        label, colour = STATUS.get(view.status, (view.status.upper(), "$text"))
        phase = scenario.phases.get(view.phase)
        phase_title = phase.title if phase else view.phase
        if view.status in ("hot_wash", "ended") and view.ending_title:
            phase_title = view.ending_title
        self.update(
            f"[bold {colour}]{label}[/]  [b]{scenario_time_text(scenario, now)}[/b]  "
            f"{speed_text(view.speed)}  elapsed {clock_text(now)}  │ {shown(phase_title)}"
        )
