"""What the editor's three forms share: labelled fields, checking as you type, apply and cancel.

Who uses it: :mod:`.inject_form`, :mod:`.decision_form` and :mod:`.option_form` subclass
:class:`FormScreen`. Each field is named after its TOML key (the words of ``docs/format.md``);
every change re-runs the loader on the edited table (through the workspace) and marks the fields
it names. ``ctrl+s`` keeps the table (refused while an error stands), ``escape`` drops it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Footer, Input, Label, OptionList, Static, TextArea

from exercise_engine.authoring.workspace import FieldProblem

TableResult = dict[str, Any] | None
Checker = Callable[[dict[str, Any]], tuple[list[FieldProblem], list[str]]]
"""Checks a table in place: (its own keys' problems, problems it causes elsewhere)."""


def scoped(problems: list[FieldProblem], prefix: str) -> list[FieldProblem]:
    """The problems under ``prefix`` (``decisions[1]``), with the prefix taken off their keys."""
    out = []
    for p in problems:
        if p.key == prefix or p.key.startswith((f"{prefix}.", f"{prefix}[")):
            out.append(FieldProblem(p.key[len(prefix) :].lstrip("."), p.message, p.severity))
    return out


class RowList(OptionList):
    """A list of tables inside a form (decision points, options): a adds, enter edits, x removes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "screen.add_row", "Add"),
        Binding("x,delete", "screen.remove_row", "Remove"),
    ]


class FormScreen(Screen[TableResult]):
    """A form for one TOML table; dismisses with the table, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    heading = "Edit"
    KEY_FIELDS: ClassVar[dict[str, str]] = {}
    """Problem keys (first part) that belong to a field of another name."""

    def __init__(self) -> None:
        super().__init__()
        self.blocking: list[str] = []
        self._ready = False

    # --- building -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.heading, id="form-heading")
        with VerticalScroll(id="form"):
            yield from self.fields()
            with Horizontal(classes="buttons"):
                yield Button("Apply (ctrl+s)", variant="primary", id="apply")
                yield Button("Cancel (esc)", id="cancel")
        yield Static("", id="problems")
        yield Footer()

    def fields(self) -> ComposeResult:
        """The form's widgets (override)."""
        yield from ()

    def text_field(
        self,
        key: str,
        value: str,
        hint: str = "",
        placeholder: str = "",
        suggestions: list[str] | None = None,
    ) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(key, classes="key")
            yield Input(
                value,
                placeholder=placeholder,
                id=f"f-{key}",
                compact=True,
                suggester=SuggestFromList(suggestions, case_sensitive=True)
                if suggestions
                else None,
            )
        if hint:
            yield Static(hint, classes="hint", markup=False)

    def check_field(self, key: str, value: bool, label: str) -> ComposeResult:
        with Horizontal(classes="field"):
            yield Label(key, classes="key")
            yield Checkbox(label, value, id=f"f-{key}", compact=True)

    def area_field(self, key: str, value: str, hint: str = "") -> ComposeResult:
        yield Label(key, classes="key")
        if hint:
            yield Static(hint, classes="hint", markup=False)
        yield TextArea(value, id=f"f-{key}", soft_wrap=True, tab_behavior="focus", compact=True)

    def on_mount(self) -> None:
        first = self.query(Input).first()
        first.focus()
        self._ready = True
        self.revalidate()

    # --- values -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Every field's current value by key: text, or bool for a checkbox."""
        out: dict[str, Any] = {}
        for widget in self.query("#form *"):
            wid = widget.id or ""
            if not wid.startswith("f-"):
                continue
            if isinstance(widget, Input):
                out[wid[2:]] = widget.value
            elif isinstance(widget, TextArea):
                out[wid[2:]] = widget.text
            elif isinstance(widget, Checkbox):
                out[wid[2:]] = widget.value
        return out

    def table(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The TOML table of the form's values, and the fields that could not be read (override)."""
        return {}, {}

    def check(self, table: dict[str, Any]) -> tuple[list[FieldProblem], list[str]]:
        """The loader's problems with ``table`` (override): own keys, and elsewhere."""
        return [], []

    # --- checking as you type -------------------------------------------------------------------

    def on_input_changed(self) -> None:
        self.revalidate()

    def on_text_area_changed(self) -> None:
        self.revalidate()

    def on_checkbox_changed(self) -> None:
        self.revalidate()

    def field_of(self, key: str) -> str:
        """The field a problem key belongs to: ``after.delay`` -> ``after_delay``, ``at`` -> ``at``."""
        for prefix in sorted(self.KEY_FIELDS, key=len, reverse=True):
            if key == prefix or key.startswith((f"{prefix}.", f"{prefix}[")):
                return self.KEY_FIELDS[prefix]
        return re.split(r"[.\[]", key, maxsplit=1)[0]

    def revalidate(self) -> None:
        """Check the table now; mark fields in error; list every problem under the form."""
        if not self._ready:
            return
        table, unreadable = self.table()
        own, other = self.check(table)
        own = [FieldProblem(k, m) for k, m in unreadable.items()] + own
        marked = {self.field_of(p.key) for p in own if p.severity == "error"}
        for widget in self.query("#form *"):
            wid = widget.id or ""
            if wid.startswith("f-") or wid in ("points", "options"):
                widget.set_class(wid.removeprefix("f-") in marked, "-invalid")
        lines = [
            f"{p.key or 'this table'}: {'warning: ' if p.severity != 'error' else ''}{p.message}"
            for p in own
        ]
        lines += [f"elsewhere: {line}" for line in other]
        self.blocking = [p.message for p in own if p.severity == "error"] + other
        problems = self.query_one("#problems", Static)
        problems.update("\n".join(lines) or "ok: no problem found")
        problems.set_class(bool(self.blocking), "-errors")

    # --- apply and cancel ---------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            event.stop()
            self.action_apply()
        elif event.button.id == "cancel":
            event.stop()
            self.action_cancel()

    def action_apply(self) -> None:
        self.revalidate()
        if self.blocking:
            self.notify(
                "Fix the problems listed under the form first (or escape to cancel).",
                severity="error",
            )
            return
        self.dismiss(self.table()[0])

    def action_cancel(self) -> None:
        self.dismiss(None)

    def focus_field(self, key: str) -> Widget:
        widget = self.query_one(f"#f-{key}")
        widget.focus()
        return widget
