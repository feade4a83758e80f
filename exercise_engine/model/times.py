"""Exercise-time durations: ``"HH:MM"`` or ``"HH:MM:SS"`` in files, whole seconds in memory.

Facilitators write times the way an MSEL does; hours may exceed 24 (a two-day exercise). The engine
counts seconds so that timing is exact and survives a restart.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

DURATION_PATTERN = re.compile(r"^(\d{1,3}):(\d{2})(?::(\d{2}))?$")


def parse_duration(text: str) -> int:
    """Return the seconds in ``text`` (``HH:MM`` or ``HH:MM:SS``); raise ValueError if impossible."""
    match = DURATION_PATTERN.match(text.strip())
    if match is None:
        raise ValueError(f"expected a time as 'HH:MM' or 'HH:MM:SS', got {text!r}")
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if minutes > 59 or seconds > 59:
        raise ValueError(f"impossible time {text!r}: minutes and seconds run from 00 to 59")
    return hours * 3600 + minutes * 60 + seconds


def format_duration(seconds: int) -> str:
    """Format seconds as ``HH:MM`` (or ``HH:MM:SS`` when there are stray seconds)."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if secs:
        return f"{sign}{hours:02d}:{minutes:02d}:{secs:02d}"
    return f"{sign}{hours:02d}:{minutes:02d}"


def _coerce_duration(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError("expected a time as a string 'HH:MM' or 'HH:MM:SS'")
    return parse_duration(value)


Duration = Annotated[
    int,
    BeforeValidator(_coerce_duration),
    PlainSerializer(format_duration, return_type=str),
]
"""Whole seconds of exercise time, written in TOML as ``"HH:MM"`` or ``"HH:MM:SS"``."""
