"""One decision point as its deciding role answers it: prompt, countdown, advice in, options,
rationale, submit. Used by the participant console and by the facilitator's hot seat.

The form is built once per decision point and never rebuilt: new events only update its
countdown, its advice and (when the point closes) its state, so half-typed rationale survives
whatever arrives meanwhile. Each option's whole label is shown, wrapped under its button
(:class:`OptionButton`), so nothing is cut with "…" before it is chosen. Once the point closes the
form is read-only and shows what the journal recorded (option, rationale, time): a seat that
rejoins rebuilds it from the journal, not from what was typed.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, RadioButton, RadioSet, Static, TextArea

from exercise_engine.safe_text import printable
from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.board import PointKey, option_label, point_advice, timing_text
from exercise_engine.ui.views.timefmt import scenario_clock_text

if TYPE_CHECKING:
    from exercise_engine.ui.base import ConsoleApp


class OptionButton(RadioButton):
    """A radio button whose whole label wraps under itself, indented past the button.

    Textual's toggle buttons draw one line and end a long label in "…"; an option is often a
    sentence, and a participant must read all of it before choosing (issue 13).
    """

    DEFAULT_CSS = """
    OptionButton {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, text: str, *, name: str | None = None) -> None:
        self.text = " ".join(printable(text).split())
        """The option's label as shown (controls spelled out, never read as markup)."""
        super().__init__(Content(self.text), name=name)

    def label_lines(self, width: int) -> list[str]:
        """The label wrapped to a button of ``width`` cells (the button and two spaces come
        first)."""
        room = max(8, width - 5)
        return textwrap.wrap(self.text, room, break_on_hyphens=False) or [""]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.label_lines(width))

    def render(self) -> Content:
        style = self.get_visual_style("toggle--label")
        lines = []
        for index, line in enumerate(self.label_lines(self.size.width)):
            lead = self._button if index == 0 else Content("   ")
            lines.append(Content.assemble(lead, Content(line).pad(1, 1).stylize_before(style)))
        return Content("\n").join(lines)


class DecisionForm(Vertical):
    """A decision point's answer form; posts :class:`DecisionForm.Submitted`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "submit", "Submit decision")]

    closed: reactive[bool] = reactive(False)
    """The point is no longer open (decided, expired or closed): the form is read-only."""

    class Closed(Message):
        """The point closed (decided, expired or closed) while the focus was in this form: the
        list around it moves the focus out (nothing more can be typed here)."""

        def __init__(self, form: DecisionForm) -> None:
            super().__init__()
            self.form = form
            self.key = form.key

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
        self._record_shown = False
        """The closed point's record has been put into the form (done once, then left be)."""

    def compose(self) -> ComposeResult:
        app = cast("ConsoleApp", self.app)
        spec = app.scenario.decision_point(*self.key)
        assert spec is not None
        who = app.scenario.role_title(spec.role)
        heading = f"On behalf of the {who}" if self.on_behalf else f"For the {who}"
        yield Static(f"{shown(heading)}: [b]{shown(spec.prompt)}[/b]", classes="prompt")
        yield Static("", classes="timing")
        yield Static("", classes="result").set_styles("display: none;")
        yield Static("", classes="advice")
        if spec.options:
            with RadioSet(classes="options"):
                for option in spec.options:
                    yield OptionButton(option.label, name=option.id)
        yield Static(self.rationale_label(), classes="field-label")
        yield TextArea(classes="rationale", soft_wrap=True, show_line_numbers=False)
        yield Button("Submit (ctrl+s)", variant="primary", classes="submit")

    def rationale_label(self) -> str:
        spec = cast("ConsoleApp", self.app).scenario.decision_point(*self.key)
        if spec is not None and not spec.options:
            return "Rationale (required)"
        return "Rationale (why this choice)"

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
        timing = timing_text(scenario, point, app.exercise_time, view.speed, running)
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
        advice_box = self.query_one(".advice", Static)
        advice_box.update("\n".join(lines))
        advice_box.display = bool(lines)
        self.closed = not point.is_open
        if point.status == "decided":
            behalf = " (recorded by the facilitator)" if point.on_behalf else ""
            choice = option_label(scenario, self.key, point.option) if point.option else ""
            rationale = " ".join(point.rationale.split())
            self.show_result(
                f"Recorded {scenario_clock_text(scenario, point.closed_at or 0)}{behalf}"
                + (f": {choice}" if choice else "")
                + f"\nRationale: {rationale or 'none recorded'}",
                "done",
            )
        elif point.status in ("expired", "closed"):
            when = scenario_clock_text(scenario, point.closed_at or 0)
            self.show_result(f"No longer open: {point.status} {when}", "done")
        if self.closed and not self._record_shown:
            self._record_shown = True
            focused = self.screen.focused
            had_focus = focused is not None and self in focused.ancestors
            self.show_record(point.status, point.option, point.rationale)
            if had_focus:
                self.post_message(self.Closed(self))

    def show_record(self, status: str, option: str | None, rationale: str) -> None:
        """Make the form read-only on what the journal holds: the recorded option pressed, the
        recorded rationale in the box (a point that expired keeps any unsent text, marked so)."""
        for button in self.query(RadioButton):
            if button.name == option and status == "decided":
                button.value = True
        box = self.query_one(".rationale", TextArea)
        box.read_only = True
        label = self.query_one(".field-label", Static)
        if status == "decided":
            # the result line above shows it; the box keeps it, read-only, out of the way
            box.load_text(rationale)
            box.display = label.display = False
        else:
            label.update("Rationale (not recorded: the decision is no longer open)")

    def focus_first(self) -> None:
        """Focus the options (or the rationale when there are none)."""
        radios = self.query(RadioSet)
        if radios:
            radios.first().focus()
        else:
            self.query_one(".rationale", TextArea).focus()

    def watch_closed(self, closed: bool) -> None:
        submit = self.query_one(".submit", Button)
        submit.disabled = closed
        submit.display = not closed
        for radio in self.query(RadioSet):
            radio.disabled = closed

    def show_result(self, text: str, kind: str = "info") -> None:
        result = self.query_one(".result", Static)
        result.set_classes(f"result -{kind}")
        result.update(shown(text))
        result.display = bool(text)
        if kind == "error":
            result.scroll_visible(animate=False)

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
