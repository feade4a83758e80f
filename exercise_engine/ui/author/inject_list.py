"""The editor's main screen: every inject of the scenario, in load order, and what to do with it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from exercise_engine.authoring.fields import next_id
from exercise_engine.authoring.graph import trigger_text
from exercise_engine.model import ALL
from exercise_engine.ui.author.inject_form import InjectFormScreen
from exercise_engine.ui.confirm import ConfirmScreen

if TYPE_CHECKING:
    from exercise_engine.ui.author.app import AuthorApp


class InjectListScreen(Screen[None]):
    """The MSEL as a table; n new, enter edits, d deletes, s saves, q quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New inject"),
        Binding("e", "edit", "Edit"),
        Binding("d,delete", "delete", "Delete"),
        Binding("s,ctrl+s", "save", "Save"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="injects", cursor_type="row", zebra_stripes=True)
        yield Static("", id="status", markup=False)
        yield Footer()

    @property
    def author(self) -> AuthorApp:
        return cast("AuthorApp", self.app)

    def on_mount(self) -> None:
        table = self.query_one("#injects", DataTable)
        table.add_columns(" ", "id", "trigger", "title", "to", "points", "file")
        self.refresh_table()
        self.status(
            f"{len(self.author.workspace.slots())} inject(s). n: new, enter: edit, d: delete, s: save."
        )
        table.focus()

    def refresh_table(self, select: str | None = None) -> None:
        workspace = self.author.workspace
        scenario = workspace.scenario
        table = self.query_one("#injects", DataTable)
        current = select or self.selected()
        table.clear()
        for slot in workspace.slots():
            inject = scenario.injects.get(slot.id)
            if inject is None:
                continue
            to = ALL if ALL in inject.to else ", ".join(inject.to)
            table.add_row(
                "*" if slot.file in workspace.dirty else "",
                slot.id,
                trigger_text(inject),
                inject.title,
                to,
                str(len(inject.decisions) or ""),
                Path(workspace.name(slot.file)).name,
                key=slot.id,
            )
        if current is not None and current in workspace.ids():
            table.move_cursor(row=table.get_row_index(current))

    def selected(self) -> str | None:
        table = self.query_one("#injects", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    # --- actions ------------------------------------------------------------------------------

    def on_data_table_row_selected(self) -> None:
        self.action_edit()

    def action_new(self) -> None:
        workspace = self.author.workspace
        current = self.selected()
        slot = workspace.slot(current) if current else None
        file = slot.file if slot else workspace.path
        draft: dict[str, Any] = {"id": next_id(workspace.ids()), "to": ALL}
        self._open(draft, None, file)

    def action_edit(self) -> None:
        current = self.selected()
        slot = self.author.workspace.slot(current) if current else None
        if slot is not None:
            self._open(slot.data, slot.id, slot.file)

    def _open(self, data: dict[str, Any], replacing: str | None, file: Path) -> None:
        workspace = self.author.workspace

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                self.status("Cancelled: nothing changed.")
                return
            checked = workspace.put(result, replacing=replacing, file=file)
            if not checked.ok:  # the form checks as you type; this is a last guard
                self.status(
                    "Not kept: "
                    + "; ".join(p.message for p in checked.own)
                    + "; ".join(checked.other)
                )
                return
            self.refresh_table(select=str(result.get("id")))
            self.status(f"Kept {result.get('id')!r} (not saved yet: s saves).")

        self.app.push_screen(InjectFormScreen(workspace, data, replacing, file), done)

    def action_delete(self) -> None:
        current = self.selected()
        if current is None:
            return
        workspace = self.author.workspace

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            checked = workspace.delete(current)
            if not checked.ok:
                self.status(f"Cannot delete {current!r}: " + "; ".join(checked.other))
                return
            self.refresh_table()
            self.status(f"Deleted {current!r} (not saved yet: s saves).")

        self.app.push_screen(ConfirmScreen(f"Delete inject {current!r}?", yes="Delete"), answered)

    def action_save(self) -> None:
        workspace = self.author.workspace
        files = [workspace.name(p) for p in workspace.written()]
        if not files:
            self.status("Nothing to save.")
            return
        ok, problems = workspace.save()
        self.refresh_table()
        if ok:
            extra = f" ({len(problems)} warning(s): {problems[0]})" if problems else ""
            self.status(f"Saved {', '.join(files)}: the scenario validates{extra}.")
        else:
            self.status("Not saved (files left as they were): " + "; ".join(problems))

    def action_quit(self) -> None:
        if not self.author.workspace.dirty:
            self.app.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.exit()

        self.app.push_screen(
            ConfirmScreen(
                "Quit without saving?", "Your changes are not saved (s saves).", yes="Quit"
            ),
            answered,
        )
