"""A row table that fits its columns to the width it has (the MSEL and the decision board).

Who calls it: the facilitator's console. Textual's ``DataTable`` sizes each column to its longest
cell, so one long prompt pushed State, Time, Advice and Answer off the right edge (issue 13).
Here the screen computes widths for the current width (``views/columns.py``) and refills the
table with cells already wrapped to them; a new width posts :class:`FittedTable.Refit` so the
screen refits.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable

from exercise_engine.ui.safe_output import plain

FALLBACK_WIDTH = 78
"""The width assumed before the first layout (an 80-column terminal); a Refit follows."""


class FittedTable(DataTable[Text]):
    """A zebra row table without cell padding (each width holds a one-cell gap)."""

    class Refit(Message):
        """The table's width changed: fit its columns again."""

        def __init__(self, table: FittedTable) -> None:
            super().__init__()
            self.table = table

    def __init__(self, table_id: str) -> None:
        super().__init__(id=table_id, cursor_type="row", zebra_stripes=True, cell_padding=0)
        self._fitted_to = 0

    @property
    def available(self) -> int:
        """The cells the table can fill without scrolling sideways."""
        width = self.scrollable_content_region.width
        return width if width > 0 else FALLBACK_WIDTH

    def on_resize(self, _event: Resize) -> None:
        if self.available != self._fitted_to:
            self._fitted_to = self.available
            self.post_message(self.Refit(self))

    def refill(
        self,
        labels: tuple[str, ...],
        widths: list[int],
        rows: Iterable[tuple[str, list[list[str]]]],
    ) -> None:
        """Replace the rows by ``rows`` (key, cells as lines); the columns are rebuilt only when
        their widths changed. A row is as tall as its tallest cell; no cell is read as markup."""
        wanted = [w + 1 for w in widths]
        if [c.width for c in self.columns.values()] == wanted:
            self.clear()
        else:
            self.clear(columns=True)
            for label, width in zip(labels, wanted, strict=True):
                self.add_column(label, width=width)
        for key, cells in rows:
            self.add_row(
                *(Text("\n").join(plain(line) for line in lines) for lines in cells),
                key=key,
                height=max(len(lines) for lines in cells),
            )
