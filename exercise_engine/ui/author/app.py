"""``exercise-engine author SCENARIO``: the inject editor.

A keyboard-first editor for a scenario's injects: list, create, edit, delete; decision points and
their options; every field checked as you type by the same loader ``validate`` uses; saved with
``tomli-w`` into the files that hold the changed injects only. The work is done by
:class:`~exercise_engine.authoring.workspace.Workspace`; these screens only show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.app import App
from textual.filter import LineFilter

from exercise_engine.authoring.workspace import Workspace
from exercise_engine.ui.author.inject_list import InjectListScreen
from exercise_engine.ui.safe_output import CONTROL_FILTER


class AuthorApp(App[None]):
    """The editor on one scenario's workspace."""

    CSS_PATH = "author.tcss"
    TITLE = "exercise-engine author"

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.sub_title = f"{workspace.scenario.id}: {workspace.scenario.title}  ({Path(workspace.name(workspace.path))})"

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then ours: no control character leaves for the terminal."""
        return [*super().get_line_filters(), CONTROL_FILTER]

    def on_mount(self) -> None:
        self.push_screen(InjectListScreen())
