"""Widgets shared by the consoles: the clock bar, the world gauges, the decision and advice forms."""
