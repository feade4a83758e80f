"""The inject form: every key of an ``[[inject]]`` table, and its decision points.

Variants are kept as they are written (edit them in the TOML file or the MSEL spreadsheet); the
form says how many there are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Label, OptionList, Static

from exercise_engine.authoring.fields import inject_fields, inject_table
from exercise_engine.authoring.workspace import FieldProblem, Workspace
from exercise_engine.ui.author.decision_form import DecisionFormScreen
from exercise_engine.ui.author.form import Checker, FormScreen, RowList, TableResult, scoped


class InjectFormScreen(FormScreen):
    """Edit one inject (or write a new one); dismisses with its table, or None."""

    KEY_FIELDS: ClassVar[dict[str, str]] = {
        "after.inject": "after",
        "after.delay": "after_delay",
        "decisions": "points",
        "variants": "to",
    }

    def __init__(
        self, workspace: Workspace, inject: dict[str, Any], replacing: str | None, file: Path
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.original = inject
        self.initial = inject_fields(inject)
        self.decisions: list[dict[str, Any]] = list(inject.get("decisions", []))
        self.replacing = replacing
        self.file = file
        where = workspace.name(file)
        self.heading = (
            f"Inject {replacing}  ({where})"
            if replacing
            else f"New inject  (to be written in {where})"
        )

    def fields(self) -> ComposeResult:
        scenario = self.workspace.scenario
        v = self.initial
        roles = list(scenario.roles)
        phases = list(scenario.phases)
        channels = list(scenario.channels)
        ids = self.workspace.ids()
        yield from self.text_field("id", v["id"], "unique in the scenario, e.g. bmb-03")
        yield from self.text_field(
            "title", v["title"], "one line, shown in inboxes and on the MSEL"
        )
        yield Static(
            "Triggers: give at least one of at, after, when, phase (or tick manual).",
            classes="hint",
        )
        yield from self.text_field("at", v["at"], placeholder="HH:MM from the start")
        yield from self.text_field(
            "after", v["after"], "the inject this one follows", suggestions=ids
        )
        yield from self.text_field(
            "after_delay", v["after_delay"], placeholder="HH:MM after it (default 00:00)"
        )
        yield from self.text_field(
            "when", v["when"], "a condition, e.g. red_line_declared and civilian_risk >= 60"
        )
        yield from self.text_field(
            "phase", v["phase"], f"only in this phase: {', '.join(phases)}", suggestions=phases
        )
        yield from self.check_field("manual", v["manual"], "delivered by hand only (contingency)")
        yield from self.text_field(
            "channel", v["channel"], ", ".join(channels), suggestions=channels
        )
        yield from self.text_field("sender", v["sender"], "e.g. Joint Operations Centre")
        yield from self.text_field(
            "to",
            v["to"],
            f"all, or role ids separated by commas: {', '.join(roles)}",
            suggestions=["all", *roles],
        )
        variants = len(self.original.get("variants", []))
        if variants:
            yield Static(
                f"variants: {variants}, kept as written (edit them in the TOML file)",
                classes="hint",
            )
        yield from self.text_field("synopsis", v["synopsis"], "one line for the facilitator's MSEL")
        yield from self.text_field(
            "expected_action", v["expected_action"], "what a good response looks like"
        )
        yield from self.area_field("body", v["body"], "the message (Markdown)")
        yield Label("decisions", classes="key")
        yield Static("a adds a decision point, enter edits it, x removes it", classes="hint")
        yield RowList(id="points")

    def on_mount(self) -> None:
        # runs before FormScreen.on_mount (Textual calls each class's handler, subclass first)
        self._show_points()

    def _show_points(self, highlight: int | None = None) -> None:
        rows = self.query_one("#points", RowList)
        rows.clear_options()
        rows.add_options(
            [
                f"{d.get('id', '?')} ({d.get('role', '?')}): {d.get('prompt', '')}"
                for d in self.decisions
            ]
        )
        if self.decisions:
            rows.highlighted = min(highlight or 0, len(self.decisions) - 1)

    def table(self) -> tuple[dict[str, Any], dict[str, str]]:
        keep = {**self.original, "decisions": self.decisions}
        return inject_table(self.values(), keep), {}

    def check(self, table: dict[str, Any]) -> tuple[list[FieldProblem], list[str]]:
        checked = self.workspace.check(table, replacing=self.replacing, file=self.file)
        return checked.own, checked.other

    # --- decision points ------------------------------------------------------------------------

    def _decision_checker(self, index: int) -> Checker:
        def check(decision: dict[str, Any]) -> tuple[list[FieldProblem], list[str]]:
            decisions = list(self.decisions)
            if index < len(decisions):
                decisions[index] = decision
            else:
                decisions.append(decision)
            table = inject_table(self.values(), {**self.original, "decisions": decisions})
            own, other = self.check(table)
            return scoped(own, f"decisions[{index}]"), other

        return check

    def _edit_point(self, index: int) -> None:
        decision = self.decisions[index] if index < len(self.decisions) else {}
        inject = self.values().get("id") or "the new inject"
        heading = f"Decision point {index + 1} of {inject}"
        roles = list(self.workspace.scenario.roles)

        def done(result: TableResult) -> None:
            if result is None:
                return
            if index < len(self.decisions):
                self.decisions[index] = result
            else:
                self.decisions.append(result)
            self._show_points(index)
            self.revalidate()

        screen = DecisionFormScreen(decision, self._decision_checker(index), heading, roles)
        self.app.push_screen(screen, done)

    def action_add_row(self) -> None:
        self._edit_point(len(self.decisions))

    def action_remove_row(self) -> None:
        rows = self.query_one("#points", RowList)
        if rows.highlighted is not None and self.decisions:
            del self.decisions[rows.highlighted]
            self._show_points(rows.highlighted)
            self.revalidate()

    @on(OptionList.OptionSelected, "#points")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._edit_point(event.option_index)
