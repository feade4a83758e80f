"""The decision-point form: a question for one role, its window, its options, its expiry."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label, OptionList, Static

from exercise_engine.authoring.fields import decision_fields, decision_table
from exercise_engine.authoring.workspace import FieldProblem
from exercise_engine.ui.author.form import Checker, FormScreen, RowList, TableResult, scoped
from exercise_engine.ui.author.option_form import OptionFormScreen


class DecisionFormScreen(FormScreen):
    """Edit one decision point; its options open in their own form (a adds, enter edits)."""

    KEY_FIELDS: ClassVar[dict[str, str]] = {
        "options": "options",
        "on_expire.effects": "expire_effects",
        "on_expire.set": "expire_set",
        "on_expire.evidence": "expire_evidence",
        "on_expire.outcome": "expire_outcome",
        "on_expire": "expire_effects",
    }

    def __init__(
        self, decision: dict[str, Any], check: Checker, heading: str, roles: list[str]
    ) -> None:
        super().__init__()
        self.initial = decision_fields(decision)
        self.options: list[dict[str, Any]] = list(decision.get("options", []))
        self._check = check
        self.heading = heading
        self.roles = roles

    def fields(self) -> ComposeResult:
        v = self.initial
        yield from self.text_field("id", v["id"], "unique within the inject")
        yield from self.text_field(
            "role", v["role"], f"the deciding role: {', '.join(self.roles)}", suggestions=self.roles
        )
        yield from self.text_field("prompt", v["prompt"], "the question, as the role reads it")
        yield from self.text_field(
            "respond_within", v["respond_within"], "the window, HH:MM; empty: no window"
        )
        yield from self.text_field(
            "consult", v["consult"], "roles to consult first, separated by commas"
        )
        yield from self.check_field("free_text", v["free_text"], "the role writes a rationale")
        yield Label("options", classes="key")
        yield Static("a adds an option, enter edits it, x removes it", classes="hint")
        yield RowList(id="options")
        yield Static("on_expire: what happens if the window closes undecided", classes="hint")
        yield from self.text_field("expire_effects", v["expire_effects"], "e.g. civilian_risk = 20")
        yield from self.text_field("expire_set", v["expire_set"])
        yield from self.text_field(
            "expire_evidence", v["expire_evidence"], "e.g. crisis.timely-decision = -2"
        )
        yield from self.text_field("expire_outcome", v["expire_outcome"])

    def on_mount(self) -> None:
        # runs before FormScreen.on_mount (Textual calls each class's handler, subclass first)
        self._show_options()

    def _show_options(self, highlight: int | None = None) -> None:
        rows = self.query_one("#options", RowList)
        rows.clear_options()
        rows.add_options([f"{o.get('id', '?')}: {o.get('label', '')}" for o in self.options])
        if self.options:
            rows.highlighted = min(highlight or 0, len(self.options) - 1)

    def table(self) -> tuple[dict[str, Any], dict[str, str]]:
        return decision_table(self.values(), self.options)

    def check(self, table: dict[str, Any]) -> tuple[list[FieldProblem], list[str]]:
        return self._check(table)

    # --- options --------------------------------------------------------------------------------

    def _option_checker(self, index: int) -> Checker:
        def check(option: dict[str, Any]) -> tuple[list[FieldProblem], list[str]]:
            options = list(self.options)
            if index < len(options):
                options[index] = option
            else:
                options.append(option)
            table, _unreadable = decision_table(self.values(), options)
            own, other = self._check(table)
            return scoped(own, f"options[{index}]"), other

        return check

    def _edit_option(self, index: int) -> None:
        option = self.options[index] if index < len(self.options) else {}
        point = self.values().get("id") or "this point"
        heading = f"Option {index + 1} of {point}"

        def done(result: TableResult) -> None:
            if result is None:
                return
            if index < len(self.options):
                self.options[index] = result
            else:
                self.options.append(result)
            self._show_options(index)
            self.revalidate()

        self.app.push_screen(OptionFormScreen(option, self._option_checker(index), heading), done)

    def action_add_row(self) -> None:
        self._edit_option(len(self.options))

    def action_remove_row(self) -> None:
        rows = self.query_one("#options", RowList)
        if rows.highlighted is not None and self.options:
            del self.options[rows.highlighted]
            self._show_options(rows.highlighted)
            self.revalidate()

    @on(OptionList.OptionSelected, "#options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._edit_option(event.option_index)
