"""Reading a written rationale: which considerations it names, which it denies, whom it says
it consulted — with the words quoted, so an evaluator can see why.

Called by :mod:`after_action.scoring` for every decided point. The reading is built so that the
rationale's credit cannot be bought with keywords (docs/scoring.md, "Rationale"):

- Only the considerations at stake at the point are candidates (the scorer passes them).
- A phrase in a clause that denies it ("no warning was given", "we did not weigh impartiality",
  "without consulting anyone") is not credited; it is returned as *denied*, quoted.
- One phrase credits one consideration, however many considerations list it, and a phrase
  that lies inside a longer matched phrase does not count again.
- Indicators too generic to show anything ("platoon", "ICRC", "cost") are never credited:
  :func:`exercise_engine.loading.indicators.generic_reason` is the one rule, shared with
  ``validate``.

Matching ignores case, works on whole words, and accepts the common endings of the last word
("warn" matches "warned", "warning"; "escalat" matches "escalation"), so an indicator written as
a stem can still be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from exercise_engine.loading.indicators import generic_reason
from exercise_engine.model import Consideration

CONTEXT = 40
"""Characters of the rationale quoted on each side of a match."""

ENDINGS = (
    "s|es|e|ed|d|ing|ion|ions|ation|ations|al|ally|ly|ity|ive|le|ility|ise|ize|ised|ized|"
    "ising|izing|isation|ization|ses|zes|sation|zation|ment|ments|ce|cy"
)
"""Endings the last word of an indicator may take in a rationale."""

CLAUSE_BREAK = re.compile(
    r"[.;:!?()\[\]\n]|—|–|\s-\s"
    r"|\b(?:but|yet|however|although|though|whereas|while|because|since|so|therefore|thus"
    r"|hence|unless|otherwise|then)\b",
    re.IGNORECASE,
)
"""Where one clause ends and the next begins: sentence punctuation and the conjunctions that
turn an argument. A negation reaches to the end of its clause and no further."""

NEGATOR = re.compile(
    r"\b(?:no|not|never|without|nobody|none|neither|nor|cannot|refuse[sd]?|refusing|lack(?:s|ed|ing)?"
    r"|ignor(?:e|es|ed|ing)|rather\s+than|instead\s+of|no\s+one|nothing)\b|n[’']t\b",
    re.IGNORECASE,
)
"""Words that deny what follows them in the same clause."""

NEGATED_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:is|are|was|were|does|do|did|will|would|can|could|has|have|had"
    r"|matters?|counts?)\s*(?:not\b|n[’']t\b|never\b)",
    re.IGNORECASE,
)
"""A denial right after the phrase: "impartiality does not matter", "the warning was not
given"."""

CLAIM = re.compile(
    r"\b(?:after\s+(?:hearing|consulting|speaking\s+(?:to|with)|talking\s+(?:to|with)|listening\s+to)"
    r"|having\s+(?:heard|consulted|spoken\s+(?:to|with)|talked\s+(?:to|with))"
    r"|(?:i|we)\s+(?:have\s+|had\s+)?(?:consulted|heard|spoke\s+(?:to|with)|talked\s+(?:to|with)"
    r"|asked|checked\s+with|met)"
    r"|on\s+the\s+advice\s+of|advised\s+by|in\s+consultation\s+with|with\s+the\s+agreement\s+of"
    r"|following\s+(?:the\s+)?advice\s+(?:of|from)|as\s+advised\s+by|consulted)\b",
    re.IGNORECASE,
)
"""Words with which a rationale says that someone was consulted."""

ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "hom": ("head of mission", "hom", "srsg", "special representative"),
    "dsrsg_pol": ("dsrsg-p", "dsrsg-pol", "dsrsg pol", "dsrsg (political)", "political dsrsg"),
    "dsrsg_rchc": ("dsrsg-rc/hc", "dsrsg rc/hc", "rc/hc", "humanitarian coordinator"),
    "force_commander": ("force commander", "fc"),
    "police_commissioner": ("police commissioner",),
    "dms": ("dms", "director of mission support", "chief of mission support", "mission support"),
    "chief_of_staff": ("chief of staff", "cos"),
    "legal_adviser": ("legal adviser", "legal advisor", "legal affairs"),
    "csa": ("csa", "chief security adviser", "security adviser"),
    "strat_comms": ("strategic communications", "strat comms", "spokesperson"),
    "head_of_field_office": ("head of office", "head of field office"),
    "human_rights": ("human rights chief", "director of human rights"),
}
"""Names by which a rationale refers to the usual seats, beside each role's title and
abbreviation."""


@dataclass(frozen=True)
class RationaleMatch:
    """A consideration named in a rationale: the phrase that matched and the quoted words."""

    consideration: str
    phrase: str
    quote: str


@dataclass(frozen=True)
class RationaleReading:
    """What a rationale names (credited), names only to deny (not credited), and claims."""

    matches: list[RationaleMatch] = field(default_factory=list)
    """Considerations credited, in the order of the candidates given."""
    denied: list[RationaleMatch] = field(default_factory=list)
    """Considerations named only under a denial ("no warning was given"): shown, not credited."""
    claimed_consultation: list[str] = field(default_factory=list)
    """Role ids the rationale says were consulted ("after hearing the Force Commander")."""

    @property
    def credited(self) -> set[str]:
        return {m.consideration for m in self.matches}


@lru_cache(maxsize=8192)
def _pattern(phrase: str) -> re.Pattern[str]:
    body = re.escape(phrase.lower()).replace(r"\ ", r"\s+")
    return re.compile(r"(?<![\w-])" + body + rf"(?:{ENDINGS})?(?![\w-])")


def _clauses(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each clause of ``text``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for brk in CLAUSE_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    return spans


def _clause_of(clauses: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in clauses:
        if start <= position < end or (start == end == position):
            return start, end
    return clauses[-1]


def is_denied(text: str, start: int, end: int, clauses: Sequence[tuple[int, int]]) -> bool:
    """Whether the words at ``start:end`` are denied in their clause (a negator before them in
    the clause, or a negated verb right after them)."""
    c_start, c_end = _clause_of(clauses, start)
    if NEGATOR.search(text, c_start, start):
        return True
    return bool(NEGATED_AFTER.match(text[end:c_end]))


def _quote(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < len(text) else ""
    return f"{prefix}{text[lo:hi].strip()}{suffix}"


@dataclass(frozen=True)
class _Hit:
    consideration: str
    phrase: str
    start: int
    end: int
    denied: bool


def read_rationale(
    text: str,
    candidates: Sequence[str],
    catalogue: Mapping[str, Consideration],
    role_names: Mapping[str, Iterable[str]] | None = None,
) -> RationaleReading:
    """Read ``text`` against the ``candidates`` (in order of preference: when one phrase is an
    indicator of several candidates, it credits the first).

    ``role_names`` maps role ids to the names a rationale may use for them (titles and
    abbreviations); :data:`ROLE_ALIASES` is added to it.
    """
    lowered = text.lower()
    clauses = _clauses(lowered)
    order = list(dict.fromkeys(c for c in candidates if c in catalogue))
    owners: dict[str, str] = {}
    """phrase (lowercase) -> the first candidate listing it: one phrase, one consideration"""
    for cid in order:
        for phrase in catalogue[cid].indicators:
            key = phrase.lower().strip()
            if key and generic_reason(key) is None:
                owners.setdefault(key, cid)
    hits: list[_Hit] = []
    for phrase, cid in owners.items():
        for hit in _pattern(phrase).finditer(lowered):
            negated = is_denied(lowered, hit.start(), hit.end(), clauses)
            hits.append(_Hit(cid, phrase, hit.start(), hit.end(), negated))
    # a phrase inside a longer matched phrase does not count again
    hits = [
        h
        for h in hits
        if not any(
            o is not h
            and o.start <= h.start
            and h.end <= o.end
            and (o.end - o.start) > (h.end - h.start)
            for o in hits
        )
    ]
    credited: dict[str, RationaleMatch] = {}
    denied: dict[str, RationaleMatch] = {}
    for h in sorted(hits, key=lambda h: h.start):
        match = RationaleMatch(h.consideration, h.phrase, _quote(text, h.start, h.end))
        if not h.denied:
            credited.setdefault(h.consideration, match)
        else:
            denied.setdefault(h.consideration, match)
    return RationaleReading(
        matches=[credited[c] for c in order if c in credited],
        denied=[denied[c] for c in order if c in denied and c not in credited],
        claimed_consultation=claimed_consultation(text, role_names or {}),
    )


def claimed_consultation(text: str, role_names: Mapping[str, Iterable[str]]) -> list[str]:
    """Role ids a rationale says were consulted, in role order: a claim word ("after hearing",
    "I consulted", "on the advice of") and a role's name in the same clause. A denied claim
    ("I did not consult the FC") claims nothing."""
    names: dict[str, set[str]] = {r: {n.lower() for n in ns if n} for r, ns in role_names.items()}
    for role, aliases in ROLE_ALIASES.items():
        if role_names and role not in names:
            continue  # a seat not in play was not consulted ("the Humanitarian Coordinator" in UNAMID)
        names.setdefault(role, set()).update(aliases)
    lowered = text.lower()
    clauses = _clauses(lowered)
    claimed: set[str] = set()
    for claim in CLAIM.finditer(lowered):
        if is_denied(lowered, claim.start(), claim.end(), clauses):
            continue
        start, end = _clause_of(clauses, claim.start())
        span = lowered[start:end]
        for role, known in names.items():
            if any(re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", span) for a in known):
                claimed.add(role)
    return [r for r in names if r in claimed]


def match_rationale(
    text: str, candidates: Iterable[str], catalogue: Mapping[str, Consideration]
) -> list[RationaleMatch]:
    """The candidates the rationale credits (first match of each), in sorted candidate order."""
    return read_rationale(text, sorted(set(candidates)), catalogue).matches
