"""Text from a file or another user, made safe to show on a terminal.

Who calls it: the consoles (``exercise_engine.ui``) and the command line, wherever they show text
that someone else wrote: a rationale, advice, a note, a manual inject, a scenario or inject title,
a role or evaluator name. Such text can carry terminal escape sequences (OSC 0 retitles the
window, OSC 52 writes the clipboard, CSI 2J clears the screen) or other control characters that
a terminal obeys instead of showing. :func:`printable` turns every such character into a visible
``\\xNN`` (or ``\\uNNNN``) spelling, so the text is shown and never executed.

Headless on purpose (standard library only): the engine core and the CLI may import it without
pulling in Textual or Rich.
"""

from __future__ import annotations

import re

KEPT = "\n\t"
"""The only control characters left as they are: line breaks and tabs are ordinary text."""

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Bidirectional embeddings, overrides and isolates: invisible, and they reorder what follows
(a rationale could show one thing and say another). The marks LRM/RLM stay: they only nudge."""

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\u2028\u2029]",
)
"""C0 controls except tab and newline, DEL, C1 controls, bidi overrides, Unicode line breaks."""


def _spell(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` with every control character (other than newline and tab) spelled out visibly.

    ESC becomes the four characters ``\\x1b``, so no escape sequence survives; a carriage return
    becomes ``\\x0d`` (``\\r\\n`` line ends lose their ``\\r`` first, as they carry no meaning).
    Ordinary text, including any script and emoji, is returned unchanged.
    """
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_spell, text.replace("\r\n", "\n"))


def is_printable(text: str) -> bool:
    """Whether ``text`` holds no character :func:`printable` would spell out (for validating ids
    and names, which are refused rather than rewritten)."""
    return _UNSAFE.search(text) is None
