"""Switching tabs from the keyboard without losing the focus.

A ``TabbedContent`` shows the pane that holds the focused widget; so switching panes while the
focus stays in the old one snaps straight back. Moving the focus into the new pane's first
focusable widget keeps the switch, and leaves the user where the keys work.
"""

from __future__ import annotations

from textual.widgets import TabbedContent


def show_tab(tabs: TabbedContent, tab: str) -> None:
    """Show pane ``tab`` and focus the first widget in it that takes the focus."""
    tabs.active = tab
    pane = tabs.get_pane(tab)
    target = next((w for w in pane.query("*") if w.can_focus and not w.disabled), None)
    if target is not None:
        target.focus(scroll_visible=False)
