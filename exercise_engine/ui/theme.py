"""The consoles' two looks: the everyday dark theme and a high-contrast one for projectors.

A projector washes out dark backgrounds and thin colours, so the projector theme is black on
white with one strong accent; the facilitator toggles it with F2 when the screen goes up on the
wall. Both are fixed (not taken from the user's terminal), so snapshots are the same everywhere.
"""

from __future__ import annotations

from textual.theme import Theme

EVERYDAY = "textual-dark"

PROJECTOR = Theme(
    name="projector",
    primary="#003a8c",
    secondary="#000000",
    accent="#b30000",
    warning="#8a4b00",
    error="#b30000",
    success="#00601a",
    foreground="#000000",
    background="#ffffff",
    surface="#ffffff",
    panel="#e8e8e8",
    boost="#d0d0d0",
    dark=False,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#003a8c",
        "block-cursor-background": "#003a8c",
        "block-cursor-foreground": "#ffffff",
        "input-selection-background": "#003a8c 40%",
    },
)
"""Black on white, dark blue and dark red accents: readable at the back of a classroom."""
