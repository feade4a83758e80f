"""The option form: one answer to a decision point (``[[inject.decisions.options]]``)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult

from exercise_engine.authoring.fields import option_fields, option_table
from exercise_engine.authoring.workspace import FieldProblem
from exercise_engine.ui.author.form import Checker, FormScreen


class OptionFormScreen(FormScreen):
    """Edit one option: its id and label, its effects on the world and its evidence."""

    def __init__(self, option: dict[str, Any], check: Checker, heading: str) -> None:
        super().__init__()
        self.initial = option_fields(option)
        self._check = check
        self.heading = heading

    def fields(self) -> ComposeResult:
        v = self.initial
        yield from self.text_field("id", v["id"], "used by chose() and by decisions files")
        yield from self.text_field("label", v["label"], "what the deciding role reads and picks")
        yield from self.text_field(
            "effects", v["effects"], "changes to variables: civilian_risk = -15, tension = 5"
        )
        yield from self.text_field(
            "set", v["set"], "flags (or variables) set: red_line_declared = true"
        )
        yield from self.text_field(
            "evidence",
            v["evidence"],
            "consideration = weight from -3 to 3: uof.proportionate = 2, ppl.impartiality = -1",
        )
        yield from self.text_field("outcome", v["outcome"], "what the room is told happened")

    def table(self) -> tuple[dict[str, Any], dict[str, str]]:
        return option_table(self.values())

    def check(self, table: dict[str, Any]) -> tuple[list[FieldProblem], list[str]]:
        return self._check(table)
