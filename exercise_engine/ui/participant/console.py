"""The participant's console: inbox, decisions, advice, the MLT's shared log, the briefing.

Keyboard-first: 1-5 switch tabs (when not typing), tab moves between the list and the form,
ctrl+s submits the form in focus. New messages and decisions are announced with a notification;
nothing that arrives redraws a form, so half-typed text is never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Markdown, RichLog, Static, TabbedContent, TabPane

from exercise_engine.engine import ExerciseState, PointState
from exercise_engine.model.events import Event
from exercise_engine.safe_text import printable
from exercise_engine.ui.confirm import ConfirmScreen
from exercise_engine.ui.messages import ExerciseUpdated
from exercise_engine.ui.participant.inbox import Inbox
from exercise_engine.ui.participant.points_pane import PointsPane
from exercise_engine.ui.safe_output import shown
from exercise_engine.ui.views.board import PointKey, option_label
from exercise_engine.ui.views.inbox import consulted_points, points_for
from exercise_engine.ui.views.presence import offline_text, recovered_text
from exercise_engine.ui.views.shared_log import shared_line
from exercise_engine.ui.widgets.advice_form import AdviceForm
from exercise_engine.ui.widgets.clock_bar import ClockBar
from exercise_engine.ui.widgets.decision_form import DecisionForm
from exercise_engine.ui.widgets.tabs import show_tab

if TYPE_CHECKING:
    from exercise_engine.ui.participant.app import ParticipantApp

TABS = ("inbox", "decisions", "advice", "log", "briefing")
BANNERS = {
    "draft": "Read the briefing (5). The facilitator will start the clock.",
    "briefing": "Read the briefing (5). The facilitator will start the clock.",
    "paused": "The clock is paused.",
    "ended": "The exercise is closed. Thank you.",
}


class ParticipantScreen(Screen[None]):
    """One role's console."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "app.help", "Help", tooltip="The keys of this screen"),
        Binding("f2", "app.toggle_contrast", "Contrast", tooltip="High contrast for projectors"),
        *(Binding(str(i), f"tab('{tab}')", "", show=False) for i, tab in enumerate(TABS, 1)),
    ]
    HELP_KEYS: ClassVar[list[tuple[str, str]]] = [
        ("1 to 5", "Show Inbox, Decisions, Advice, Log, Briefing (when not typing)"),
        ("ctrl+s", "Submit the decision or advice you are writing"),
    ]
    AUTO_FOCUS = ""
    CSS_PATH = "console.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 (Textual's type)

    def __init__(self) -> None:
        super().__init__()
        self._logged = 0
        self.shared_log: list[str] = []
        """The lines of the MLT's shared log, as written to the log tab."""

    def compose(self) -> ComposeResult:
        app = cast("ParticipantApp", self.app)
        info = app.role_info
        yield Static(f"[b]{shown(info.title)}[/b] ({shown(info.abbreviation)})", id="role-line")
        yield ClockBar(id="clock")
        yield Static("", id="banner")
        started = app.link.view.status not in ("draft", "briefing")
        with TabbedContent(initial="inbox" if started else "briefing", id="tabs"):
            with TabPane("1 Inbox", id="inbox"):
                yield Inbox(id="inbox-pane")
            with TabPane("2 Decisions", id="decisions"):
                yield PointsPane(
                    self._my_points, self._decision_form, "No decision is asked of you yet."
                )
            with TabPane("3 Advice", id="advice"):
                yield PointsPane(
                    self._consulted, self._advice_form, "Nobody has asked for your advice yet."
                )
            with TabPane("4 Log", id="log"):
                yield RichLog(id="shared-log", wrap=True, markup=False)
            with TabPane("5 Briefing", id="briefing"), VerticalScroll():
                yield Static(f"[b]Your seat: {shown(info.title)}[/b]", classes="seat")
                yield Static(printable(info.responsibilities), markup=False, classes="duties")
                yield Markdown(printable(app.scenario.file.briefing) or "_No briefing._")
        yield Footer()

    # --- what the panes list -----------------------------------------------------------------

    def _my_points(self, state: ExerciseState) -> list[PointState]:
        return points_for(state, cast("ParticipantApp", self.app).role)

    def _consulted(self, state: ExerciseState) -> list[PointState]:
        app = cast("ParticipantApp", self.app)
        return consulted_points(app.scenario, state, app.role)

    def _decision_form(self, key: PointKey, form_id: str) -> Widget:
        return DecisionForm(key, id=form_id)

    def _advice_form(self, key: PointKey, form_id: str) -> Widget:
        return AdviceForm(key, cast("ParticipantApp", self.app).role, id=form_id)

    # --- following the exercise ----------------------------------------------------------------

    def on_mount(self) -> None:
        app = cast("ParticipantApp", self.app)
        tabs = self.query_one("#tabs", TabbedContent)
        show_tab(tabs, tabs.active)
        self.watch(app, "exercise_status", self.show_banner)
        self.watch(app, "offline_since", self.show_banner)
        self._log(app.history, announce=False)

    def show_banner(self, _value: object = None) -> None:
        app = cast("ParticipantApp", self.app)
        status = app.exercise_status
        text = BANNERS.get(status, "")
        if app.offline_since:
            text = offline_text(app.scenario, app.offline_since, app.exercise_time)
        if status == "hot_wash":
            ending = app.link.view.ending_title or "ended by the facilitator"
            text = f"Play has ended: {ending}. Hot wash with the facilitator."
        banner = self.query_one("#banner", Static)
        banner.update(shown(text))
        banner.display = bool(text)

    def on_exercise_updated(self, message: ExerciseUpdated) -> None:
        self._log(message.events, announce=True)

    def _log(self, events: list[Event], announce: bool) -> None:
        app = cast("ParticipantApp", self.app)
        log = self.query_one("#shared-log", RichLog)
        for event in events:
            if event.seq <= self._logged:
                continue
            self._logged = event.seq
            line = shared_line(app.scenario, event)
            if line is not None:
                self.shared_log.append(line)
                log.write(printable(line))
            if announce:
                self._announce(event)

    def _announce(self, event: Event) -> None:
        """A notification for what this role must see: a new message, a decision, a request."""
        app = cast("ParticipantApp", self.app)
        p = event.payload
        if event.kind == "inject_delivered" and app.role in p.get("roles", []):
            inject = app.scenario.injects.get(str(p.get("inject")))
            copy = app.scenario.copy_for(inject, app.role) if inject else None
            if copy is not None:
                self.notify(copy.title, title="New message")
            if inject is not None:
                for spec in inject.decisions:
                    if spec.role == app.role:
                        self.notify(spec.prompt, title="Decision needed", severity="warning")
                    elif app.role in spec.consult:
                        self.notify(spec.prompt, title="Your advice is asked")
        elif event.kind == "inject_injected_manually" and app.role in p.get("to", []):
            self.notify(str(p.get("title", "")), title="New message")
        elif event.kind == "recovered":
            self.notify(recovered_text(app.scenario, p), title="Exercise control is back")

    async def on_inbox_opened(self, message: Inbox.Opened) -> None:
        """A message shown in full for the first time: the read receipt the facilitator sees."""
        app = cast("ParticipantApp", self.app)
        if app.role in app.link.view.opened.get(message.key, {}):
            return
        await app.command(lambda exercise: exercise.mark_opened(app.role, message.key))

    def on_inbox_unread_changed(self, message: Inbox.UnreadChanged) -> None:
        label = f"1 Inbox ({message.unread} new)" if message.unread else "1 Inbox"
        self.query_one("#tabs", TabbedContent).get_tab("inbox").label = label

    def on_points_pane_count_changed(self, message: PointsPane.CountChanged) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        pane_tab = message.pane.parent
        tab_id = pane_tab.id if pane_tab is not None else None
        if tab_id == "decisions":
            n = message.open_count
            tabs.get_tab("decisions").label = f"2 Decisions ({n} open)" if n else "2 Decisions"
        elif tab_id == "advice":
            n = message.open_count
            tabs.get_tab("advice").label = f"3 Advice ({n} asked)" if n else "3 Advice"

    # --- acting ---------------------------------------------------------------------------------

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Each tab by name in the command palette."""
        for tab, title, help_text in [
            ("inbox", "Inbox", "Messages addressed to you"),
            ("decisions", "Decisions", "The decisions asked of you"),
            ("advice", "Advice", "Decisions on which your advice is asked"),
            ("log", "Shared log", "What the MLT decided, and the phases"),
            ("briefing", "Briefing", "Your seat and the scenario's briefing"),
        ]:
            yield SystemCommand(f"Show {title}", help_text, partial(self.action_tab, tab))

    def action_tab(self, tab: str) -> None:
        show_tab(self.query_one("#tabs", TabbedContent), tab)

    def on_decision_form_submitted(self, message: DecisionForm.Submitted) -> None:
        app = cast("ParticipantApp", self.app)
        point = app.link.view.points.get(message.key)
        if point is None or point.role != app.role:
            message.form.show_result("This decision is not yours to record.", "error")
            return
        choice = (
            option_label(app.scenario, message.key, message.option)
            if message.option
            else "a written decision"
        )
        detail = f"{choice}\n\n{message.rationale.strip()}".strip()

        async def answer(yes: bool | None) -> None:
            if yes:
                await self._decide(message)

        self.app.push_screen(ConfirmScreen("Submit this decision?", detail, "Submit"), answer)

    async def _decide(self, message: DecisionForm.Submitted) -> None:
        app = cast("ParticipantApp", self.app)
        outcome = await app.command(
            lambda exercise: exercise.decide(
                role=app.role,
                inject=message.key[0],
                decision=message.key[1],
                option=message.option,
                rationale=message.rationale,
            )
        )
        if outcome is None:
            return
        if outcome.accepted:
            message.form.redraw()
            self.notify("Decision recorded: the MLT's shared log shows it")
            pane = next((a for a in message.form.ancestors if isinstance(a, PointsPane)), None)
            if pane is not None:
                # after the confirmation has handed the focus back to the form
                self.call_after_refresh(pane.leave_form, message.key)
        else:
            message.form.show_result(f"Refused: {outcome.reason}", "error")

    async def on_advice_form_submitted(self, message: AdviceForm.Submitted) -> None:
        app = cast("ParticipantApp", self.app)
        outcome = await app.command(
            lambda exercise: exercise.advise(
                role=app.role,
                inject=message.key[0],
                decision=message.key[1],
                text=message.text,
                recommend=message.recommend,
            )
        )
        if outcome is None:
            return
        if outcome.accepted:
            given = [a for a in app.link.view.advice if (a.inject, a.decision) == message.key]
            message.form.sent(sum(1 for a in given if a.role == app.role))
        else:
            message.form.show_result(f"Refused: {outcome.reason}", "error")
