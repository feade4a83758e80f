"""One decision point as its deciding role answers it: prompt, countdown, advice in, options,
rationale, submit. Used by the participant console and by the facilitator's hot seat.

The form is built once per decision point and never rebuilt: new events only update its
countdown, its advice and (when the point closes) its state, so half-typed rationale survives
whatever arrives meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, RadioButton, RadioSet, Static, TextArea

from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.board import PointKey, option_label, point_advice, timing_text
from exercise_engine.ui.views.timefmt import short_time

if TYPE_CHECKING:
    from exercise_engine.ui.base import ConsoleApp


class DecisionForm(Vertical):
    """A decision point's answer form; posts :class:`DecisionForm.Submitted`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "submit", "Submit decision")]

    closed: reactive[bool] = reactive(False)
    """The point is no longer open (decided, expired or closed): the form is read-only."""

    class Submitted(Message):
        """The user asked to record this answer (the screen confirms and records it)."""

        def __init__(self, form: DecisionForm, option: str | None, rationale: str) -> None:
            super().__init__()
            self.form = form
            self.key = form.key
            self.option = option
            self.rationale = rationale

    def __init__(self, key: PointKey, *, on_behalf: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, classes="decision-form")
        self.key = key
        self.on_behalf = on_behalf

    def compose(self) -> ComposeResult:
        app = cast("ConsoleApp", self.app)
        spec = app.scenario.decision_point(*self.key)
        assert spec is not None
        who = app.scenario.role_title(spec.role)
        heading = f"On behalf of the {who}" if self.on_behalf else f"For the {who}"
        yield Static(f"{shown(heading)}: [b]{shown(spec.prompt)}[/b]", classes="prompt")
        yield Static("", classes="timing")
        yield Static("", classes="advice")
        if spec.options:
            with RadioSet(classes="options"):
                for option in spec.options:
                    yield RadioButton(shown(option.label), name=option.id)
        label = "Rationale (required)" if not spec.options else "Rationale (why this choice)"
        yield Static(label, classes="field-label")
        yield TextArea(classes="rationale", soft_wrap=True, show_line_numbers=False)
        yield Button("Submit (ctrl+s)", variant="primary", classes="submit")
        yield Static("", classes="result")

    def on_mount(self) -> None:
        app = cast("ConsoleApp", self.app)
        self.watch(app, "exercise_time", self.redraw)
        self.watch(app, "revision", self.redraw)

    def redraw(self, _value: object = None) -> None:
        app = cast("ConsoleApp", self.app)
        view, scenario = app.link.view, app.scenario
        point = view.points.get(self.key)
        spec = scenario.decision_point(*self.key)
        if point is None or spec is None:
            return
        running = view.status == "running"
        timing = timing_text(point, app.exercise_time, view.speed, running)
        if point.is_open and point.deadline is not None:
            timing = f"Due by {short_time(point.deadline)}: {timing}"
        self.query_one(".timing", Static).update(timing[:1].upper() + timing[1:])
        lines = []
        consulted = [scenario.role_title(r) for r in spec.consult]
        if consulted:
            lines.append(shown(f"Consult: {', '.join(consulted)}"))
        for advice in point_advice(view, self.key):
            rec = (
                f' recommends [b]"{shown(option_label(scenario, self.key, advice.recommend))}"[/b]'
                if advice.recommend
                else ""
            )
            text = f": {shown(advice.text)}" if advice.text else ""
            lines.append(f"• {shown(scenario.role_title(advice.role))}{rec}{text}")
        self.query_one(".advice", Static).update("\n".join(lines))
        self.closed = not point.is_open
        if point.status == "decided":
            behalf = " (recorded by the facilitator)" if point.on_behalf else ""
            self.show_result(
                f"Recorded at {short_time(point.closed_at or 0)}: "
                f"{option_label(scenario, self.key, point.option)}{behalf}",
                "done",
            )
        elif point.status in ("expired", "closed"):
            self.show_result(f"No longer open: {point.status}", "done")

    def focus_first(self) -> None:
        """Focus the options (or the rationale when there are none)."""
        radios = self.query(RadioSet)
        if radios:
            radios.first().focus()
        else:
            self.query_one(".rationale", TextArea).focus()

    def watch_closed(self, closed: bool) -> None:
        self.query_one(".submit", Button).disabled = closed
        for radio in self.query(RadioSet):
            radio.disabled = closed

    def show_result(self, text: str, kind: str = "info") -> None:
        result = self.query_one(".result", Static)
        result.set_classes(f"result -{kind}")
        result.update(shown(text))

    def chosen(self) -> str | None:
        radios = self.query(RadioSet)
        if not radios:
            return None
        pressed = radios.first().pressed_button
        return pressed.name if pressed is not None else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.closed:
            self.show_result("This decision is no longer open.", "error")
            return
        rationale = self.query_one(".rationale", TextArea).text
        spec = cast("ConsoleApp", self.app).scenario.decision_point(*self.key)
        assert spec is not None
        option = self.chosen()
        if spec.options and option is None:
            self.show_result("Choose an option first (arrow keys, then space).", "error")
            return
        if not spec.options and not rationale.strip():
            self.show_result("Write your decision in the rationale box first.", "error")
            return
        self.post_message(self.Submitted(self, option, rationale))
