"""Advice on another role's open decision: a recommended option (or none) and a few words.

Like the decision form it is built once per point, so half-typed advice survives new events.
Letters typed while the options have the focus go into the box. Advice always needs words (a bare recommendation, or an empty box after a lost keystroke, tells
the deciding role nothing); once sent, the box is cleared and the recommendation reset, so a
second ctrl+s cannot send the same advice twice, and the confirmation is scrolled into view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, RadioButton, RadioSet, Static, TextArea

from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.board import PointKey, point_advice, timing_text
from exercise_engine.ui.widgets.decision_form import OptionButton

if TYPE_CHECKING:
    from exercise_engine.ui.base import ConsoleApp

NO_RECOMMENDATION = "-"


class AdviceForm(Vertical):
    """Advice to the deciding role; posts :class:`AdviceForm.Submitted`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "submit", "Send advice")]

    closed: reactive[bool] = reactive(False)
    """The point is no longer open: advice comes before the decision."""

    class Submitted(Message):
        """The user asked to send this advice."""

        def __init__(self, form: AdviceForm, recommend: str | None, text: str) -> None:
            super().__init__()
            self.form = form
            self.key = form.key
            self.recommend = recommend
            self.text = text

    def __init__(self, key: PointKey, role: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="advice-form")
        self.key = key
        self.role = role
        self._given = 0
        """How much advice of ours the result line last reported."""

    def compose(self) -> ComposeResult:
        app = cast("ConsoleApp", self.app)
        spec = app.scenario.decision_point(*self.key)
        assert spec is not None
        decider = app.scenario.role_title(spec.role)
        yield Static(f"The {shown(decider)} asks: [b]{shown(spec.prompt)}[/b]", classes="prompt")
        yield Static("", classes="timing")
        with RadioSet(classes="options"):
            yield RadioButton("No recommendation", name=NO_RECOMMENDATION, value=True)
            for option in spec.options:
                yield OptionButton(option.label, name=option.id)
        yield Static("Your advice", classes="field-label")
        yield TextArea(classes="advice-text", soft_wrap=True, show_line_numbers=False)
        yield Button("Send advice (ctrl+s)", variant="primary", classes="submit")
        yield Static("", classes="result")

    def on_mount(self) -> None:
        app = cast("ConsoleApp", self.app)
        self.watch(app, "exercise_time", self.redraw)
        self.watch(app, "revision", self.redraw)

    def redraw(self, _value: object = None) -> None:
        app = cast("ConsoleApp", self.app)
        view = app.link.view
        point = view.points.get(self.key)
        if point is None:
            return
        running = view.status == "running"
        timing = timing_text(app.scenario, point, app.exercise_time, view.speed, running)
        self.query_one(".timing", Static).update(f"Decision {timing}")
        self.closed = not point.is_open
        given = sum(1 for a in point_advice(view, self.key) if a.role == self.role)
        if given != self._given:  # said once per change: a refusal shown below stays readable
            self._given = given
            self.show_result(f"Advice sent ({given}). You may add more while it is open.")

    def on_key(self, event: events.Key) -> None:
        """Letters typed while the options have the focus (Enter from the list lands there, and
        a loaded terminal may deliver the move to the box after the first keys) start the
        advice text instead of being dropped."""
        radios = self.query_one(RadioSet)
        focused = self.app.focused
        typing = event.is_printable and event.character is not None and event.character != " "
        if not typing or self.closed or focused is None:
            return
        if focused is not radios and radios not in focused.ancestors:
            return
        box = self.query_one(".advice-text", TextArea)
        box.focus()
        box.insert(event.character or "")
        event.stop()
        event.prevent_default()

    def focus_first(self) -> None:
        """Enter on the point in the list: start at the recommendation (the options)."""
        self.query_one(RadioSet).focus()

    def sent(self, count: int) -> None:
        """The advice was recorded: clear the form and say so where it can be seen."""
        self.query_one(".advice-text", TextArea).clear()
        first = self.query(RadioButton).first()
        first.value = True  # back to "No recommendation" (the set releases the other button)
        self.show_result(f"Advice sent ({count}). You may add more while it is open.", "done")
        self.query_one(".result", Static).scroll_visible(animate=False)

    def watch_closed(self, closed: bool) -> None:
        self.query_one(".submit", Button).disabled = closed

    def show_result(self, text: str, kind: str = "info") -> None:
        result = self.query_one(".result", Static)
        result.set_classes(f"result -{kind}")
        result.update(shown(text))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.closed:
            self.show_result("This decision is no longer open.", "error")
            return
        pressed = self.query_one(RadioSet).pressed_button
        recommend = pressed.name if pressed is not None else None
        if recommend == NO_RECOMMENDATION:
            recommend = None
        text = self.query_one(".advice-text", TextArea).text
        if not text.strip():
            self.show_result("Write your advice first (a recommendation needs a reason).", "error")
            self.query_one(".result", Static).scroll_visible(animate=False)
            return
        self.post_message(self.Submitted(self, recommend, text))
