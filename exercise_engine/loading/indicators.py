"""Which indicator phrases are too generic to show that a consideration was weighed.

An indicator is a phrase a rationale that weighs the consideration would use. A word every
rationale in a crisis uses ("platoon", "ICRC", "cost") shows nothing about the consideration:
crediting it lets keywords buy score. One rule serves two callers, so they cannot disagree:
``validate`` warns about such indicators (catalogue files and a scenario's own considerations),
and the after-action scorer (``after_action.rationale``) never credits them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from exercise_engine.loading.keylines import KeyPath
from exercise_engine.loading.problems import Problems, SourceFile
from exercise_engine.model import Consideration

GENERIC_WORDS: frozenset[str] = frozenset(
    [
        "access",
        "adapt",
        "agencies",
        "aid",
        "army",
        "battalion",
        "brigade",
        "budget",
        "capitals",
        "civilians",
        "communities",
        "company",
        "consult",
        "consulted",
        "contingent",
        "cost",
        "costs",
        "crowd",
        "deadline",
        "document",
        "donors",
        "elders",
        "explain",
        "force",
        "forces",
        "fuel",
        "funding",
        "government",
        "headquarters",
        "icrc",
        "immediately",
        "impact",
        "internal",
        "joc",
        "journalists",
        "legal",
        "logistics",
        "mandate",
        "media",
        "mission",
        "money",
        "objective",
        "ocha",
        "partners",
        "patrols",
        "people",
        "plan",
        "planning",
        "platoon",
        "police",
        "population",
        "presence",
        "president",
        "press",
        "priority",
        "radio",
        "regional",
        "reserve",
        "risk",
        "risks",
        "safety",
        "security",
        "soldiers",
        "staff",
        "time",
        "training",
        "transition",
        "troops",
        "un",
        "undp",
        "unhcr",
        "unicef",
        "unit",
        "units",
        "water",
    ]
)
"""Single words too common in any crisis rationale to show a particular consideration was weighed:
the actors and units every scenario names, and the resources every decision spends."""

STOP_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "all",
        "an",
        "and",
        "any",
        "are",
        "be",
        "for",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "our",
        "the",
        "their",
        "this",
        "that",
        "to",
        "we",
        "with",
    ]
)
"""Words that add nothing to an indicator ("the platoon" is as generic as "platoon")."""

_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


def generic_reason(phrase: str) -> str | None:
    """Why ``phrase`` is too generic to credit a consideration, or None when it is specific.

    A phrase is generic when, leaving out stop words, what remains is one word from
    :data:`GENERIC_WORDS`, or nothing at all.
    """
    words = [w for w in _WORD.findall(phrase.lower()) if w not in STOP_WORDS]
    if not words:
        return "it has no word of its own"
    if len(words) == 1 and words[0] in GENERIC_WORDS:
        return f"{words[0]!r} appears in almost any crisis rationale"
    return None


def generic_indicators(consideration: Consideration) -> list[str]:
    """The indicators of ``consideration`` that the scorer will not credit (in file order)."""
    return [p for p in consideration.indicators if generic_reason(p) is not None]


def check_indicators(
    considerations: Iterable[tuple[Consideration, SourceFile, KeyPath]], problems: Problems
) -> None:
    """Warn, once per consideration, about indicators too generic to be credited."""
    for item, source, path in considerations:
        generic = generic_indicators(item)
        if generic:
            listed = ", ".join(repr(p) for p in generic)
            problems.add(
                source,
                (*path, "indicators"),
                f"too generic to show this consideration was weighed, so never credited: {listed}"
                " (use a phrase only a rationale weighing it would use)",
                "warning",
            )
