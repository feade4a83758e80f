"""The help screen: the keys of the screen underneath, read from its bindings (never stale)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL = [
    ("ctrl+p", "Command palette: every action by name"),
    ("tab / shift+tab", "Move between lists, fields and buttons"),
    ("↑ ↓ enter", "Move in a list or table, open or pick the highlighted line"),
    ("escape", "Close a dialog without saving"),
    ("ctrl+q", "Quit this console (the exercise goes on in the journal)"),
]


class HelpScreen(ModalScreen[None]):
    """The keys of one screen, with what each does."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q,question_mark", "dismiss", "Close", show=False),
    ]
    CSS_PATH = "help.tcss"

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-keys")

    def _table(self) -> Table:
        table = Table(
            title=f"Keys: {self.under.title or self.app.title}",
            expand=True,
            show_edge=False,
        )
        table.add_column("Key", no_wrap=True, style="bold")
        table.add_column("What it does")
        seen: set[tuple[str, str]] = set()
        listed: set[str] = set()
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            if active.node not in (self.under, self.app) or not binding.description:
                continue
            if not (binding.show or binding.tooltip):
                continue  # Textual's own plumbing (focus moves, copy): listed under GENERAL
            if (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            display = self.app.get_key_display(Binding(key, ""))
            listed.add(display)
            table.add_row(display, binding.tooltip or binding.description)
        for key, text in [*getattr(self.under, "HELP_KEYS", []), *GENERAL]:
            if self.app.get_key_display(Binding(key, "")) in listed:
                continue  # the screen's own binding already said it (ctrl+q on some consoles)
            table.add_row(key, text)
        return table
