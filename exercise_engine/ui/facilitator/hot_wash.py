"""After play: the ending, the world as it stands, and the room's hot wash into the journal.

Three fields, one per kind (strength, issue, observation): type, press enter, the line is in the
journal and on the list. ``ctrl+e`` closes the exercise once the room is done; the record can be
downloaded with ``r`` at any time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from exercise_engine.exercise import HOT_WASH_KINDS
from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.timefmt import scenario_clock_text
from exercise_engine.ui.widgets.clock_bar import ClockBar
from exercise_engine.ui.widgets.gauges import WorldGauges

if TYPE_CHECKING:
    from exercise_engine.ui.facilitator.app import FacilitatorApp

HEADINGS = {"strength": "Strengths", "issue": "Issues", "observation": "Observations"}


class HotWashScreen(Screen[None]):
    """The hot wash: the room's strengths, issues and observations, recorded as they are said."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help", tooltip="The keys of this screen"),
        Binding(
            "ctrl+e",
            "close_exercise",
            "Close exercise",
            tooltip="Close the hot wash",
            priority=True,
        ),
        Binding(
            "ctrl+r", "record", "Record", tooltip="Download the exercise record", priority=True
        ),
    ]
    AUTO_FOCUS = "#add-strength"
    CSS_PATH = "hot_wash.tcss"
    TITLE = "Hot wash"

    def compose(self) -> ComposeResult:
        yield ClockBar(id="clock")
        with VerticalScroll(id="hot-wash"):
            yield Static("", id="ending")
            yield WorldGauges(id="final-world")
            with Horizontal(id="columns"):
                for kind in HOT_WASH_KINDS:
                    with Vertical(classes="column"):
                        yield Static(f"[b]{HEADINGS[kind]}[/b]", classes="heading")
                        yield Static("", id=f"list-{kind}", classes="entries")
                        yield Input(placeholder="type, then enter", id=f"add-{kind}")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(cast("FacilitatorApp", self.app), "revision", self.redraw)

    def redraw(self, _value: object = None) -> None:
        app = cast("FacilitatorApp", self.app)
        view, scenario = app.link.view, app.scenario
        ending = next(
            (e for i, e in enumerate(scenario.endings) if scenario.ending_id(i) == view.ending),
            None,
        )
        title = view.ending_title or "Ended by the facilitator"
        summary = ending.summary if ending else ""
        closed = view.status == "ended"
        note = (
            "The exercise is closed. Report: exercise-engine report "
            f"{shown(app.db.name)}   (ctrl+q quits)"
            if closed
            else "Record what the room says; ctrl+e closes the exercise."
        )
        self.query_one("#ending", Static).update(
            f"[b]Ending: {shown(title)}[/b]\n{shown(summary)}\n[i]{note}[/i]".replace("\n\n", "\n")
        )
        for kind in HOT_WASH_KINDS:
            lines = [
                f"{scenario_clock_text(app.scenario, int(n['at']))} {shown(str(n['text']))}"
                for n in view.hot_wash
                if n["kind"] == kind
            ]
            self.query_one(f"#list-{kind}", Static).update("\n".join(lines) or "—")
            self.query_one(f"#add-{kind}", Input).disabled = closed

    async def on_input_submitted(self, event: Input.Submitted) -> None:
        app = cast("FacilitatorApp", self.app)
        kind = (event.input.id or "").removeprefix("add-")
        text = event.value
        if await app.command(lambda exercise: exercise.hot_wash_note(kind, text)):
            event.input.value = ""

    def action_close_exercise(self) -> None:
        from exercise_engine.ui.confirm import ConfirmScreen

        app = cast("FacilitatorApp", self.app)

        async def answer(yes: bool | None) -> None:
            if yes:
                await app.command(lambda exercise: exercise.close_hot_wash(), "Exercise closed")

        self.app.push_screen(
            ConfirmScreen("Close the exercise?", "No more hot-wash notes after this.", "Close"),
            answer,
        )

    async def action_record(self) -> None:
        await cast("FacilitatorApp", self.app).deliver_record()
