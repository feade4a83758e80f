"""Text someone else wrote, shown on a console without being obeyed: the Textual side.

Who calls it: every console app (:class:`exercise_engine.ui.base.ConsoleApp`, the review app)
and the screens that show a rationale, advice, a note, an inject, a title or a name. Two layers:

- :func:`shown` and :func:`plain` at each place such text is put on screen: control characters
  are spelled out visibly (:func:`exercise_engine.safe_text.printable`) and Textual markup is
  escaped (``[bold]``, ``[link=...]``, ``[@click=...]`` stay text), or not parsed at all;
- :class:`ControlFilter` under everything: the last step before a line leaves for the terminal
  drops any control character that got past the first layer, so no escape sequence (OSC 52
  clipboard writes, CSI 2J...) can reach the terminal or the browser page, whichever widget drew it.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter

from exercise_engine.safe_text import printable

_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""What never leaves for the terminal inside a line (a rendered line has no newline either)."""


def shown(text: object) -> str:
    """``text`` for a place that reads Textual markup: controls spelled out, markup escaped.

    Every ``[`` is escaped, not only those Textual's ``escape`` recognises as a tag: a spelled
    out ``\\x1b[2J`` next to ``[bold]`` would otherwise swallow the escape of what follows."""
    return printable(str(text)).replace("[", "\\[")


def plain(text: object) -> Text:
    """``text`` as a Rich Text (never parsed as markup), controls spelled out: for table cells
    and option prompts, which would otherwise read a plain string as markup."""
    return Text(printable(str(text)))


class ControlFilter(LineFilter):
    """Drops control characters from every rendered line (they are zero-width, so the layout
    is unchanged); the console apps install it for all their screens."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_CONTROLS.search(segment.text) for segment in segments):
            return segments
        return [
            Segment(_CONTROLS.sub("", text), style, control) if _CONTROLS.search(text) else seg
            for seg in segments
            for text, style, control in [seg]
        ]


CONTROL_FILTER = ControlFilter()
