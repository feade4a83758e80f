"""Times as the consoles print them: exercise time, scenario date-time, countdowns."""

from __future__ import annotations

from datetime import datetime, timedelta

from exercise_engine.loading import LoadedScenario


def clock_text(seconds: int) -> str:
    """Exercise time with seconds, ``HH:MM:SS`` (hours may pass 24 in a two-day exercise)."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def short_time(seconds: int) -> str:
    """Exercise time as ``HH:MM`` (lists and tables)."""
    minutes = max(0, int(seconds)) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def scenario_datetime(scenario: LoadedScenario, seconds: int) -> datetime:
    """The scenario's calendar at an exercise time: ``clock.start`` plus the exercise time."""
    return scenario.file.clock.start + timedelta(seconds=max(0, int(seconds)))


def scenario_time_text(scenario: LoadedScenario, seconds: int) -> str:
    """E.g. ``Tue 12 Mar 2024 06:12``: what the room reads as "now" in the story."""
    return f"{scenario_datetime(scenario, seconds):%a %d %b %Y %H:%M}"


def scenario_clock_text(scenario: LoadedScenario, seconds: int) -> str:
    """E.g. ``Tue 06:12``: the scenario's time of day, for inbox lines."""
    return f"{scenario_datetime(scenario, seconds):%a %H:%M}"


def speed_text(speed: float) -> str:
    return f"x{speed:g}"


def countdown_text(deadline: int | None, now: int, speed: float, running: bool) -> str:
    """How long is left to decide, in exercise time and (at this speed) in real time.

    A window is counted in exercise time (it stops when the clock pauses); at speed 10 a quarter
    of an hour is ninety real seconds, which is what a participant needs to know.
    """
    if deadline is None:
        return "no deadline"
    left = deadline - now
    if left <= 0:
        return "time is up"
    text = f"{clock_text(left)} left"
    if not running:
        return f"{text} (clock paused)"
    if speed != 1:
        real = int(left / speed)
        minutes, secs = divmod(real, 60)
        text += f" (about {minutes}m {secs:02d}s real)" if minutes else f" (about {secs}s real)"
    return text
