"""The evaluator's dialogs: rate one consideration at a decision; write a note on it; rate the
exercise's objectives; edit the improvement plan."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from exercise_engine.engine.evaluation import CAPABILITY_ELEMENTS, PLAN_STATUSES
from exercise_engine.ui.review.messages import (
    NoteRequested,
    ObjectiveRated,
    PlanEditRequested,
    RateDecision,
)
from exercise_engine.ui.views.review import considerations_at, objective_line, plan_line


class ConsiderationRatingScreen(ModalScreen[None]):
    """Pick a consideration in play at the decision, then press p, s, m or u."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "rate('P')", "P"),
        Binding("s", "rate('S')", "S"),
        Binding("m", "rate('M')", "M"),
        Binding("u", "rate('U')", "U"),
        Binding("escape", "dismiss", "Close"),
    ]
    CSS_PATH = "review.tcss"

    def __init__(self, decision: dict[str, Any], statements: dict[str, str]) -> None:
        super().__init__()
        self.decision = decision
        self.statements = statements
        """Consideration id -> statement (the catalogue, as the scenario extends it)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"[b]{self.decision['key']}[/b]: pick a consideration, then p, s, m or u (escape closes)"
            )
            options = []
            for cid in considerations_at(self.decision):
                statement = self.statements.get(cid, "")
                options.append(Option(f"{cid} — {statement}", id=cid))
            yield OptionList(*options, id="considerations")

    def on_mount(self) -> None:
        option_list = self.query_one("#considerations", OptionList)
        option_list.focus()
        if option_list.option_count:
            option_list.highlighted = 0

    def action_rate(self, rating: str) -> None:
        option_list = self.query_one("#considerations", OptionList)
        if option_list.highlighted is None:
            self.notify("Pick a consideration first", severity="warning")
            return
        cid = option_list.get_option_at_index(option_list.highlighted).id
        self.post_message(
            RateDecision(self.decision["inject"], self.decision["decision"], rating, cid)
        )


class EvaluatorNoteScreen(ModalScreen[bool]):
    """A note on a decision; ctrl+s saves it to the journal, escape drops it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel"),
    ]
    CSS_PATH = "review.tcss"

    def __init__(self, decision: dict[str, Any]) -> None:
        super().__init__()
        self.decision = decision

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"[b]Note on {self.decision['key']}[/b]  (ctrl+s saves, escape cancels)")
            yield TextArea(id="note", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one("#note", TextArea).text
        if not text.strip():
            self.notify("The note is empty", severity="warning")  # keep the dialog open
            return
        self.post_message(NoteRequested(self.decision["inject"], self.decision["decision"], text))
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ObjectiveRatingScreen(ModalScreen[None]):
    """The exercise's objectives with their ratings; pick one, then press p, s, m or u.

    Gets its data through the constructor and posts :class:`ObjectiveRated` up: it knows
    nothing of the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "rate('P')", "P"),
        Binding("s", "rate('S')", "S"),
        Binding("m", "rate('M')", "M"),
        Binding("u", "rate('U')", "U"),
        Binding("escape", "dismiss", "Close"),
    ]
    CSS_PATH = "review.tcss"

    def __init__(self, objectives: list[dict[str, Any]], evaluator: str) -> None:
        super().__init__()
        self.objectives = objectives
        self.evaluator = evaluator

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("[b]Objectives[/b]: pick one, then p, s, m or u (escape closes)")
            yield OptionList(
                *[Option(objective_line(o, self.evaluator), id=o["id"]) for o in self.objectives],
                id="objectives",
            )

    def on_mount(self) -> None:
        option_list = self.query_one("#objectives", OptionList)
        option_list.focus()
        if option_list.option_count:
            option_list.highlighted = 0

    def show(self, objectives: list[dict[str, Any]]) -> None:
        """Fresh data after a rating (the app calls this after re-scoring)."""
        self.objectives = objectives
        option_list = self.query_one("#objectives", OptionList)
        keep = option_list.highlighted
        option_list.set_options(
            [Option(objective_line(o, self.evaluator), id=o["id"]) for o in objectives]
        )
        if keep is not None and option_list.option_count:
            option_list.highlighted = min(keep, option_list.option_count - 1)

    def action_rate(self, rating: str) -> None:
        option_list = self.query_one("#objectives", OptionList)
        if option_list.highlighted is None:
            self.notify("Pick an objective first", severity="warning")
            return
        objective = option_list.get_option_at_index(option_list.highlighted).id
        if objective is not None:
            self.post_message(ObjectiveRated(objective, rating))


class PlanEditScreen(ModalScreen[None]):
    """Edit the improvement plan: pick a row, change its fields, ctrl+s saves (a journal event:
    only the fields changed are written), escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save row"),
        Binding("escape", "dismiss", "Close"),
    ]
    CSS_PATH = "review.tcss"

    def __init__(self, rows: list[dict[str, Any]], roles: dict[str, str]) -> None:
        super().__init__()
        self.rows = rows
        self.roles = roles
        """Role id -> title (the responsible role is one seat)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="plan-dialog"):
            yield Static("[b]Improvement plan[/b]: pick a row, edit, ctrl+s saves (escape closes)")
            yield OptionList(*[Option(plan_line(r), id=r["id"]) for r in self.rows], id="plan-rows")
            yield Label("Corrective action")
            yield Input(id="corrective_action")
            with Horizontal(classes="plan-fields"):
                yield Select(
                    [(e, e) for e in CAPABILITY_ELEMENTS],
                    id="capability_element",
                    allow_blank=False,
                    prompt="Capability element",
                )
                yield Select(
                    [(s, s) for s in PLAN_STATUSES], id="status", allow_blank=False, prompt="Status"
                )
                yield Select(
                    [(title, role) for role, title in self.roles.items()],
                    id="responsible_role",
                    prompt="Responsible role",
                )
            with Horizontal(classes="plan-fields"):
                yield Input(id="point_of_contact", placeholder="Point of contact")
                yield Input(id="start", placeholder="Start YYYY-MM-DD")
                yield Input(id="completion", placeholder="Completion YYYY-MM-DD")

    def on_mount(self) -> None:
        option_list = self.query_one("#plan-rows", OptionList)
        option_list.focus()
        if option_list.option_count:
            option_list.highlighted = 0
            self._fill(0)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._fill(event.option_index)

    def _current(self) -> dict[str, Any] | None:
        index = self.query_one("#plan-rows", OptionList).highlighted
        return None if index is None or index >= len(self.rows) else self.rows[index]

    def _fill(self, index: int) -> None:
        if index >= len(self.rows):
            return
        row = self.rows[index]
        self.query_one("#corrective_action", Input).value = row["corrective_action"]
        for name in ("point_of_contact", "start", "completion"):
            self.query_one(f"#{name}", Input).value = row[name]
        self.query_one("#capability_element", Select).value = row["capability_element"]
        self.query_one("#status", Select).value = row["status"]
        role = next((r for r, t in self.roles.items() if t == row["responsible_role"]), None)
        select = self.query_one("#responsible_role", Select)
        if role is None:
            select.clear()
        else:
            select.value = role

    def edited(self) -> dict[str, str]:
        """The fields that differ from the row as shown (what a save journals)."""
        row = self._current()
        if row is None:
            return {}
        fields: dict[str, str] = {}
        for name in ("corrective_action", "point_of_contact", "start", "completion"):
            value = self.query_one(f"#{name}", Input).value.strip()
            if value != row[name]:
                fields[name] = value
        for name in ("capability_element", "status"):
            choice = self.query_one(f"#{name}", Select).value
            if isinstance(choice, str) and choice != row[name]:
                fields[name] = choice
        role = self.query_one("#responsible_role", Select).value
        if isinstance(role, str) and self.roles.get(role) != row["responsible_role"]:
            fields["responsible_role"] = role
        return fields

    def action_save(self) -> None:
        row = self._current()
        if row is None:
            self.notify("Pick a plan row first", severity="warning")
            return
        fields = self.edited()
        if not fields:
            self.notify("Nothing changed")
            return
        self.post_message(PlanEditRequested(row["id"], fields))

    def show(self, rows: list[dict[str, Any]]) -> None:
        """Fresh rows after a save."""
        self.rows = rows
        option_list = self.query_one("#plan-rows", OptionList)
        keep = option_list.highlighted
        option_list.set_options([Option(plan_line(r), id=r["id"]) for r in rows])
        if keep is not None and option_list.option_count:
            option_list.highlighted = min(keep, option_list.option_count - 1)
            self._fill(option_list.highlighted)
