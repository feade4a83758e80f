"""Fitting a table to the width it has: fixed columns stay whole, the long text wraps.

Who calls it: the facilitator's decision board and MSEL (issue 13: at 120 columns the long
prompts pushed State, Time, Advice and Answer off the screen). The columns a facilitator scans
(seat, state, time, advice) get the width their longest value needs; the remaining width goes to
the prose columns (prompt, answer, title), which wrap onto a second line and end in "…" only when
even two lines cannot hold them. The detail pane under the table shows the whole text.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from rich.cells import cell_len

ELLIPSIS = "…"


@dataclass(frozen=True)
class Column:
    """One column of a fitted table."""

    label: str
    width: int | None = None
    """A fixed width, or None for a prose column that shares what is left."""
    share: int = 1
    """A prose column's share of the width left over (relative to the other prose columns)."""
    minimum: int = 8
    """A prose column never gets less than this."""


def fixed_width(label: str, values: list[str], cap: int) -> int:
    """The width a scanned column needs: its longest line (or its label), at most ``cap``."""
    longest = max((cell_len(line) for v in values for line in v.splitlines() or [""]), default=0)
    return min(cap, max(cell_len(label), longest))


def fit_widths(columns: list[Column], total: int, gap: int = 1) -> list[int]:
    """Widths for ``columns`` in ``total`` cells with ``gap`` cells after each column.

    Fixed columns keep their width; prose columns split the rest by their shares (never less
    than their minimum, so a very narrow screen scrolls sideways instead of losing a column).
    """
    fixed = sum(c.width or 0 for c in columns)
    prose = [c for c in columns if c.width is None]
    left = max(0, total - fixed - gap * len(columns))
    shares = sum(c.share for c in prose) or 1
    widths: list[int] = []
    given = 0
    for column in columns:
        if column.width is not None:
            widths.append(column.width)
            continue
        width = max(column.minimum, left * column.share // shares)
        widths.append(width)
        given += width
    # hand the cells lost to rounding to the first prose column
    spare = left - given
    if spare > 0 and prose:
        index = next(i for i, c in enumerate(columns) if c.width is None)
        widths[index] += spare
    return widths


def wrap_cell(text: str, width: int, lines: int = 2) -> list[str]:
    """``text`` wrapped to ``width`` cells on at most ``lines`` lines; "…" marks a cut."""
    text = " ".join(text.split())
    if width <= 0 or not text:
        return [""]
    wrapped = textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False)
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    words = kept[-1].split(" ")
    while len(words) > 1 and cell_len(" ".join(words)) + 1 > width:
        words.pop()
    last = " ".join(words)
    if cell_len(last) + 1 > width:
        last = last[: max(0, width - 1)]
    kept[-1] = last.rstrip(" ,;:") + ELLIPSIS
    return kept
