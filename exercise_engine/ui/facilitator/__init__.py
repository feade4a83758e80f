"""The facilitator's console: briefing, the live console, the hot wash; and its dialogs."""
