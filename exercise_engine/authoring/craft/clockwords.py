"""Clock words that contradict the clock (lint check 3).

An inject's text often says what time it is: a title "Midday: ...", a lede "FLASH 0805", "the
07:45 bulletin", "at first light". When the scenario clock delivers it hours away from that time
the room notices, and trust in the whole MSEL goes. This module finds the times of day an inject
states and compares them with when it is delivered: ``clock.start`` plus the delivery's exercise
time, taken from the bot's runs (so ``after``, ``when`` and ``phase`` injects, and the jumps of
``advance``, count as played).

Two findings, both warnings:

- the **title** or **opening sentence** (of the main text or of a variant) states a time of day
  more than :data:`TOLERANCE` minutes away from the delivery (in any run that delivers it);
- the **body** reports as past ("the column crossed at 09:10") a time later than its delivery;
- **across injects**: a body reports as past an exact time ("the strike at 04:30") that another
  inject's title or opening stamps as its own ("FLASH 0430: strike report"), while that other inject
  arrives later in the same run: the room hears of the event before the report of it comes.

Times said as future ("will broadcast at noon", "by dusk", "until 18:00") or of another day
("yesterday evening", "tomorrow at dawn") are left alone. Words for parts of the day stand for a
span (dawn 05:00–06:30, dusk 18:00–19:30, ...): the distance is measured from the span.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from exercise_engine.authoring.explore import Run
from exercise_engine.authoring.finding import Finding
from exercise_engine.authoring.locate import Locator
from exercise_engine.loading.loaded import LoadedScenario

TOLERANCE = 60
"""Minutes a stated time of day may differ from the delivery before lint warns."""
DAY = 24 * 60

Tense = Literal["stamp", "past", "future"]

WORD_SPANS: dict[str, tuple[int, int]] = {
    "noon": (720, 720),
    "midday": (720, 720),
    "mid-day": (720, 720),
    "midnight": (0, 0),
    "dawn": (300, 390),
    "daybreak": (300, 390),
    "first light": (300, 390),
    "sunrise": (330, 390),
    "dusk": (1080, 1170),
    "nightfall": (1080, 1170),
    "last light": (1080, 1170),
    "sunset": (1050, 1140),
    "morning": (300, 720),
    "afternoon": (720, 1080),
    "evening": (1020, 1320),
}
"""Words for a time of day, as a span in minutes after midnight."""

_WORDS = re.compile(
    r"\b(" + "|".join(sorted((re.escape(w) for w in WORD_SPANS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_AMPM = re.compile(r"\b(1[0-2]|0?[1-9])(?::([0-5]\d))?\s*(a\.m\.|p\.m\.|am\b|pm\b)", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d:.,])([01]?\d|2[0-3])[:h]([0-5]\d)(?![\d:]|[.,]\d)")
_MILITARY = re.compile(
    r"(?<![\d:.,])([01]\d|2[0-3])([0-5]\d)(\s*(?:hrs|hours|h|z|l)\b)?(?![\d:]|[.,]\d)",
    re.IGNORECASE,
)
_STAMP_WORDS = {"flash", "sitrep", "dtg", "bulletin", "report", "update", "spotrep", "as"}
"""Words that make a time a report's stamp ("FLASH 0805", "the 07:45 bulletin", "as of")."""
_MILITARY_BEFORE = _STAMP_WORDS | {"at", "since", "until", "by", "from", "of", "till", "before"}
_STRONG_FUTURE = {
    "will", "shall", "until", "till", "tomorrow", "tonight", "deadline", "expires", "expire",
    "ultimatum", "scheduled", "planned", "due", "wants", "want", "asks", "ask", "propose",
    "proposes", "intends", "next",
}  # fmt: skip
_WEAK_FUTURE = {"by", "before"}
_FUTURE_SENTENCE = {"will", "shall", "plans", "expects", "expected", "intends", "going", "would"}
_OTHER_DAY = {"yesterday", "last", "previous", "overnight", "tomorrow", "every", "each", "daily"}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_DURATION = {"within", "for", "lasting", "every", "in"}
_PAST = {
    "was", "were", "had", "did", "ago", "since", "earlier", "already", "reported", "crossed",
    "arrived", "began", "started", "left", "came", "fired", "attacked", "moved", "entered",
    "took", "opened", "closed", "withdrew", "found", "heard", "saw", "received", "sent", "issued",
    "said", "told", "killed", "burned", "fled", "struck", "hit", "reached", "stopped", "ended",
}  # fmt: skip
_CLAUSE_MARKS = re.compile(r"(?<!\d):(?!\d)|;|—| - ")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"'(\[])|\n\s*\n")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True)
class Said:
    """A time of day stated in a text."""

    words: str
    start: int
    """Minutes after midnight (the span's start)."""
    end: int
    """The span's end (equal to ``start`` for a clock time)."""
    tense: Tense
    stamp: bool
    """Written as a report's stamp ("FLASH 0805", "the 07:45 bulletin")."""

    @property
    def exact(self) -> bool:
        return self.start == self.end


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _tense(before: list[str], sentence: set[str]) -> Tense | None:
    """The tense of a time from the words before it and the sentence around it; None for a
    time of another day or a length of time."""
    near = set(before[-4:])
    if near & _OTHER_DAY or sentence & {"tomorrow", "tonight", "yesterday"}:
        return None
    if before and before[-1] in _DURATION:
        return None
    if len(before) >= 2 and before[-1] in _WEEKDAYS and before[-2] in {"on", "last", "since"}:
        return None  # "on Monday afternoon": another day
    if set(before) & _STRONG_FUTURE or near & {"for"}:
        return "future"  # "will go on air at noon", "filing for the 06:30 bulletin"
    if sentence & _PAST:
        return "past"
    if near & _WEAK_FUTURE or sentence & _FUTURE_SENTENCE:
        return "future"
    return "stamp"


def _matches(sentence: str) -> list[tuple[int, int, int, int, str]]:
    """(position, end position, span start, span end, form) of each time, without overlaps;
    the form is ``word``, ``clock``, ``military`` (four bare digits) or ``suffixed``
    (``0805 hrs``)."""
    found: list[tuple[int, int, int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _AMPM.finditer(sentence):
        hour = int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)
        minute = hour * 60 + int(m.group(2) or 0)
        found.append((m.start(), m.end(), minute, minute, "clock"))
        taken.append(m.span())
    for m in _CLOCK.finditer(sentence):
        if free(*m.span()):
            minute = int(m.group(1)) * 60 + int(m.group(2))
            found.append((m.start(), m.end(), minute, minute, "clock"))
            taken.append(m.span())
    for m in _MILITARY.finditer(sentence):
        if free(*m.span()):
            minute = int(m.group(1)) * 60 + int(m.group(2))
            form = "suffixed" if m.group(3) else "military"
            found.append((m.start(), m.end(), minute, minute, form))
            taken.append(m.span())
    for m in _WORDS.finditer(sentence):
        if free(*m.span()):
            start, end = WORD_SPANS[m.group(1).lower()]
            found.append((m.start(), m.end(), start, end, "word"))
            taken.append(m.span())
    return sorted(found)


def times_in(text: str) -> list[tuple[int, Said]]:
    """Each time of day stated in ``text``, with the index of its sentence."""
    out: list[tuple[int, Said]] = []
    for index, sentence in enumerate(s for s in _SENTENCES.split(text) if s.strip()):
        for pos, end, start, stop, form in _matches(sentence):
            # the tense is read from the clause around the time ("The order came: the company
            # returns at first light" reports a future move, not a past one)
            marks = [m.start() for m in _CLAUSE_MARKS.finditer(sentence)]
            left = max((i + 1 for i in marks if i < pos), default=0)
            right = min((i for i in marks if i >= end), default=len(sentence))
            clause = sentence[left:right]
            sentence_words = set(_words(clause))
            before = _words(sentence[left:pos])
            after = _words(sentence[end:])[:1]
            stamp = bool(set(before[-2:]) & _STAMP_WORDS or set(after) & _STAMP_WORDS)
            if form == "military":
                # four bare digits: a time only after "FLASH", "at", "since", ..., never a year
                if not (before and before[-1] in _MILITARY_BEFORE):
                    continue
                if 1900 <= start // 60 * 100 + start % 60 <= 2099 and not stamp:
                    continue
            tense = _tense(before, sentence_words)
            if tense is None:
                continue
            out.append((index, Said(sentence[pos:end], start, stop, tense, stamp)))
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def _away(said: Said, at: int) -> int:
    """Minutes between the time of day ``at`` and the span said (0 inside it), around the clock."""
    if said.start <= at <= said.end:
        return 0
    return min(min((at - t) % DAY, (t - at) % DAY) for t in (said.start, said.end))


LATER_SPAN = 6 * 60
"""A time reported as past counts as later than the delivery when it falls in the next six hours
(further ahead it is more likely the day before: "fighting since 04:00", delivered at 17:15)."""


def _later(said: Said, at: int) -> int:
    """How many minutes after ``at`` the said time begins (0 unless within :data:`LATER_SPAN`)."""
    ahead = (said.start - at) % DAY
    return ahead if 0 < ahead <= LATER_SPAN else 0


@dataclass(frozen=True)
class _Text:
    """A title or body of an inject or one of its variants, with its key path."""

    keys: tuple[str | int, ...]
    text: str
    title: bool


def _texts(scenario: LoadedScenario, iid: str) -> list[_Text]:
    inject = scenario.injects[iid]
    out = [_Text(("title",), inject.title, True), _Text(("body",), inject.body, False)]
    for n, variant in enumerate(inject.variants):
        if variant.title:
            out.append(_Text(("variants", n, "title"), variant.title, True))
        if variant.body:
            out.append(_Text(("variants", n, "body"), variant.body, False))
    return out


def check_clock_words(scenario: LoadedScenario, runs: list[Run], locate: Locator) -> list[Finding]:
    """Times of day in titles, ledes and past-tense reports against the delivery clock."""
    start = scenario.file.clock.start
    origin = start.hour * 60 + start.minute
    delivered: dict[str, list[int]] = defaultdict(list)
    for run in runs:
        for iid, delivery in run.deliveries.items():
            delivered[iid].append((origin + delivery.at // 60) % DAY)
    findings: list[Finding] = []
    for iid in scenario.injects:
        times = delivered.get(iid)
        if not times:
            continue
        seen = sorted(set(times))
        for text in _texts(scenario, iid):
            where = locate.inject_key(iid, *text.keys)
            part = ".".join(str(k) for k in text.keys)
            for sentence, said in times_in(text.text):
                lede = text.title or sentence == 0
                states_now = lede and (said.tense == "stamp" or said.stamp or text.title)
                if states_now and said.tense != "future":
                    off = [t for t in times if _away(said, t) > TOLERANCE]
                    if off:
                        findings.append(
                            _finding(
                                iid,
                                where,
                                f"{'its' if text.title else 'the opening of its'} "
                                f"{part} states {said.words!r} ({_span(said)}) but it is delivered "
                                f"at {_when(off, seen)}, more than {TOLERANCE} minutes away",
                                len(off),
                                len(times),
                            )
                        )
                        continue
                if said.tense == "past":
                    tolerance = 0 if said.exact else TOLERANCE
                    late = [t for t in times if _later(said, t) > tolerance]
                    if late:
                        findings.append(
                            _finding(
                                iid,
                                where,
                                f"its {part} reports {said.words!r} "
                                f"({_span(said)}) as past, but it is delivered at "
                                f"{_when(late, seen)}, before that time",
                                len(late),
                                len(times),
                            )
                        )
    findings += _cross_inject(scenario, runs, locate, origin)
    return findings


CROSS_MATCH = 1
"""Minutes within which a time reported as past and another inject's stamp name the same moment."""


def _cross_inject(
    scenario: LoadedScenario, runs: list[Run], locate: Locator, origin: int
) -> list[Finding]:
    """A body reporting as past the exact time another inject stamps as its own, delivered
    before that inject in some run. Cheap: only exact times are paired, and only those that
    match a stamp."""
    stamps: dict[str, list[int]] = defaultdict(list)
    past: list[tuple[str, _Text, Said]] = []
    for iid in scenario.injects:
        for text in _texts(scenario, iid):
            for sentence, said in times_in(text.text):
                if not said.exact:
                    continue
                lede = text.title or sentence == 0
                if lede and (said.stamp or text.title) and said.tense != "future":
                    stamps[iid].append(said.start)
                elif not lede and said.tense == "past":  # a lede states its own moment
                    past.append((iid, text, said))
    findings: list[Finding] = []
    reported: set[tuple[str, str, str]] = set()
    for iid, text, said in past:
        for other, times in stamps.items():
            if other == iid or not any(_away(said, t) <= CROSS_MATCH for t in times):
                continue
            early = [
                r
                for r in runs
                if iid in r.deliveries
                and other in r.deliveries
                and r.deliveries[iid].at < r.deliveries[other].at
            ]
            key = (iid, other, said.words)
            if not early or key in reported:
                continue
            reported.add(key)
            first = early[0]
            a = (origin + first.deliveries[iid].at // 60) % DAY
            b = (origin + first.deliveries[other].at // 60) % DAY
            part = ".".join(str(k) for k in text.keys)
            findings.append(
                _finding(
                    iid,
                    locate.inject_key(iid, *text.keys),
                    f"its {part} reports {said.words!r} as past, the moment {other!r} reports, "
                    f"but it arrives first ({_clock(a)}, {other!r} at {_clock(b)})",
                    len(early),
                    sum(iid in r.deliveries and other in r.deliveries for r in runs),
                )
            )
    return findings


def _span(said: Said) -> str:
    return _clock(said.start) if said.exact else f"{_clock(said.start)}–{_clock(said.end)}"


def _when(times: list[int], seen: list[int]) -> str:
    distinct = sorted(set(times))
    if len(distinct) == 1:
        return _clock(distinct[0])
    return f"{_clock(distinct[0])}–{_clock(distinct[-1])} (clock time)"


def _finding(iid: str, where: str, what: str, count: int, total: int) -> Finding:
    runs = "" if count == total else f" (in {count} of {total} run(s) that deliver it)"
    return Finding("clock", f"clock words: {iid!r}: {what}{runs}", where, "warning", iid)
