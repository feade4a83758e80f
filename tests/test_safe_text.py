"""``printable``: text someone else wrote is shown on a terminal, never obeyed by it."""

from __future__ import annotations

import pytest

from exercise_engine.safe_text import is_printable, printable


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        # Ordinary text, any script, is untouched.
        ("Deploy the QRF to Bambari.", "Deploy the QRF to Bambari."),
        ("Café — ሰላም — سلام — 部隊 🚁", "Café — ሰላም — سلام — 部隊 🚁"),
        # Newlines and tabs are text.
        ("line one\n\tline two", "line one\n\tline two"),
        # OSC 0 (retitle the terminal window), ended by BEL.
        ("\x1b]0;pwned\x07ok", "\\x1b]0;pwned\\x07ok"),
        # OSC 52 (write the clipboard), ended by ST.
        ("\x1b]52;c;ZWNobyBoaQ==\x1b\\", "\\x1b]52;c;ZWNobyBoaQ==\\x1b\\"),
        # CSI 2J (clear the screen) and a cursor move.
        ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),
        # A C1 CSI (one byte) and C1 OSC.
        ("\x9b2J\x9d0;x\x9c", "\\x9b2J\\x9d0;x\\x9c"),
        # A lone carriage return would overwrite the line; CRLF is just a line end.
        ("safe\rEVIL", "safe\\x0dEVIL"),
        ("one\r\ntwo", "one\ntwo"),
        # NUL, backspace, DEL.
        ("a\x00b\x08c\x7f", "a\\x00b\\x08c\\x7f"),
        # A right-to-left override reorders what follows on screen.
        ("approve \u202eesuler", "approve \\u202eesuler"),
        # Unicode line and paragraph separators break lines where none was written.
        ("a\u2028b", "a\\u2028b"),
    ],
)
def test_printable_spells_out_control_characters(raw: str, shown: str) -> None:
    assert printable(raw) == shown
    assert "\x1b" not in printable(raw) and "\x9b" not in printable(raw)
    assert is_printable(printable(raw))


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Force Commander", True),  # a name
        ("multi\nline", True),  # newlines are text
        ("\x1b[31mred", False),  # an escape sequence
        ("bell\x07", False),  # a control character
    ],
)
def test_is_printable(text: str, ok: bool) -> None:
    assert is_printable(text) is ok
