"""Times as the consoles print them: the scenario clock, countdowns, elapsed exercise time.

Who calls it: every console view. The rule (issue 13): a time a seat or the facilitator reads is a
time of the *story* (the scenario clock: ``Mon 07:15``); how long is left is counted in *real*
seconds at the current speed (what a participant can plan with); elapsed exercise time appears
only where it is labelled so (``elapsed 00:40:00``). Exercise-time helpers (``clock_text``,
``short_time``) stay for the places that label them and for durations.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from exercise_engine.loading import LoadedScenario


def clock_text(seconds: int) -> str:
    """Exercise time with seconds, ``HH:MM:SS`` (hours may pass 24 in a two-day exercise)."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def short_time(seconds: int) -> str:
    """Exercise time (or a duration) as ``HH:MM``."""
    minutes = max(0, int(seconds)) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def scenario_datetime(scenario: LoadedScenario, seconds: int) -> datetime:
    """The scenario's calendar at an exercise time: ``clock.start`` plus the exercise time."""
    return scenario.file.clock.start + timedelta(seconds=max(0, int(seconds)))


def scenario_time_text(scenario: LoadedScenario, seconds: int) -> str:
    """E.g. ``Tue 12 Mar 2024 06:12``: what the room reads as "now" in the story."""
    return f"{scenario_datetime(scenario, seconds):%a %d %b %Y %H:%M}"


def scenario_clock_text(scenario: LoadedScenario, seconds: int) -> str:
    """E.g. ``Tue 06:12``: the scenario's day and time of day (lists, deadlines, logs)."""
    return f"{scenario_datetime(scenario, seconds):%a %H:%M}"


def speed_text(speed: float) -> str:
    return f"x{speed:g}"


def real_seconds(left: int, speed: float) -> int:
    """Exercise seconds ``left`` as real seconds at ``speed``, rounded up (never shows 0 s while
    time remains)."""
    if left <= 0:
        return 0
    return math.ceil(left / speed) if speed > 0 else left


def duration_text(seconds: int) -> str:
    """A real duration in words a room reads aloud: ``45 s``, ``4 min 30 s``, ``1 h 05 min``."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def short_duration(seconds: int) -> str:
    """The same for a narrow table column: ``45s``, ``4m30s``, ``1h05m``."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def countdown_text(
    scenario: LoadedScenario, deadline: int | None, now: int, speed: float, running: bool
) -> str:
    """The deadline on the scenario clock and how long is left in real time at this speed.

    E.g. ``due Mon 07:15, 4 min 30 s left``. A window is counted in exercise time (it stops
    when the clock pauses); at speed 10 a quarter of an hour is ninety real seconds, which is what
    a participant needs to know.
    """
    if deadline is None:
        return "no deadline"
    due = f"due {scenario_clock_text(scenario, deadline)}"
    left = deadline - now
    if left <= 0:
        return f"{due}, time is up"
    text = f"{due}, {duration_text(real_seconds(left, speed))} left"
    return text if running else f"{text} (clock paused)"
