"""A list of decision points beside the form for the highlighted one (decisions and advice tabs).

One form per point, created the first time the point appears and kept: the list is redrawn on
every update, the forms are not, so text typed into a form survives new events. Deadlines are on
the scenario clock. Once a form's point is answered, :meth:`PointsPane.leave_form` takes the focus
out of it, to the next open point in the list (or the list itself), so the next key typed never
lands in a closed decision's box.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from exercise_engine.engine import ExerciseState, PointState
from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.board import PointKey
from exercise_engine.ui.views.timefmt import scenario_clock_text
from exercise_engine.ui.widgets.decision_form import DecisionForm

if TYPE_CHECKING:
    from exercise_engine.ui.participant.app import ParticipantApp

STATE_MARK = {"open": "●", "decided": "✓", "expired": "✗", "closed": "–"}


class PointsPane(Container):
    """Points listed by ``points(state)``; each shown in the form ``make_form(key, id)`` builds."""

    class CountChanged(Message):
        """How many listed points are open (the tab label shows it)."""

        def __init__(self, pane: PointsPane, open_count: int) -> None:
            super().__init__()
            self.pane = pane
            self.open_count = open_count

    def __init__(
        self,
        points: Callable[[ExerciseState], list[PointState]],
        make_form: Callable[[PointKey, str], Widget],
        empty: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="points-pane")
        self.points = points
        self.make_form = make_form
        self.empty = empty
        self.forms: dict[PointKey, str] = {}

    def compose(self) -> ComposeResult:
        yield OptionList(classes="points-list")
        with VerticalScroll(classes="form-area"):
            yield Static(self.empty, classes="empty")
            yield ContentSwitcher(classes="forms")

    def on_mount(self) -> None:
        self.watch(cast("ParticipantApp", self.app), "revision", self.redraw)

    async def redraw(self, _value: object = None) -> None:
        app = cast("ParticipantApp", self.app)
        scenario = app.scenario
        points = self.points(app.link.view)
        listing = self.query_one(OptionList)
        keep = listing.highlighted_option.id if listing.highlighted_option else None
        options = []
        for point in points:
            spec = scenario.decision_point(point.inject, point.decision)
            prompt = spec.prompt if spec else point.decision
            due = (
                f"due {scenario_clock_text(scenario, point.deadline)}"
                if point.is_open and point.deadline is not None
                else point.status
            )
            options.append(
                Option(
                    Content.from_markup(
                        f"[b]{STATE_MARK.get(point.status, '?')}[/b] {due:<13}  {shown(prompt)}"
                    ),
                    id=f"{point.inject}/{point.decision}",
                )
            )
            key = (point.inject, point.decision)
            if key not in self.forms:
                self.forms[key] = f"form-{len(self.forms) + 1}"
                switcher = self.query_one(ContentSwitcher)
                await switcher.add_content(self.make_form(key, self.forms[key]))
        listing.set_options(options)
        if keep is not None:
            listing.highlighted = listing.get_option_index(keep)
        elif options:
            listing.highlighted = 0
        self.query_one(".empty", Static).display = not options
        self.post_message(self.CountChanged(self, sum(1 for p in points if p.is_open)))

    def leave_form(self, done: PointKey) -> None:
        """After ``done`` was answered: highlight the next open point (the first open one after
        it in the list, else the first open one) and put the focus on the list."""
        app = cast("ParticipantApp", self.app)
        points = self.points(app.link.view)
        keys = [(p.inject, p.decision) for p in points]
        open_keys = [k for p in points if p.is_open and (k := (p.inject, p.decision)) != done]
        after = keys.index(done) if done in keys else -1
        later = [k for k in open_keys if keys.index(k) > after]
        target = (later or open_keys or [done])[0]
        listing = self.query_one(OptionList)
        option_id = "/".join(target)
        with suppress(OptionDoesNotExist):  # not listed yet: keep the list's highlight
            listing.highlighted = listing.get_option_index(option_id)
        listing.focus()

    def on_decision_form_closed(self, message: DecisionForm.Closed) -> None:
        """A point closed under the user's cursor (its window expired, the facilitator recorded
        it, or they submitted): take the focus out of the read-only form."""
        message.stop()
        self.call_after_refresh(self.leave_form, message.key)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        inject, _, decision = (event.option.id or "").partition("/")
        form_id = self.forms.get((inject, decision))
        switcher = self.query_one(ContentSwitcher)
        if form_id is not None and switcher.query_children(f"#{form_id}"):
            switcher.current = form_id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a point: go to its form."""
        event.stop()
        switcher = self.query_one(ContentSwitcher)
        if switcher.current is None:
            return
        form = switcher.get_child_by_id(switcher.current)
        focus = getattr(form, "focus_first", None)
        if callable(focus):
            focus()
