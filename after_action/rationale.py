"""Finding the considerations a written rationale names, with the matching words as evidence.

An evaluator must be able to see *why* a rationale counted: every match is returned with the
phrase that matched and the words around it, quoted from what the role wrote. Matching is
case-insensitive on whole words (``deter`` does not match inside ``determine``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from exercise_engine.model import Consideration

CONTEXT = 40
"""Characters of the rationale quoted on each side of a match."""


@dataclass(frozen=True)
class RationaleMatch:
    """A consideration named in a rationale: the phrase that matched and the quoted words."""

    consideration: str
    phrase: str
    quote: str


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w-])" + re.escape(phrase.lower()).replace(r"\ ", r"\s+") + r"(?![\w-])"
    )


def match_rationale(
    text: str, candidates: Iterable[str], catalogue: Mapping[str, Consideration]
) -> list[RationaleMatch]:
    """The candidates whose indicator phrases appear in ``text`` (first match of each), sorted."""
    lowered = text.lower()
    found: list[RationaleMatch] = []
    for cid in sorted(set(candidates)):
        consideration = catalogue.get(cid)
        if consideration is None:
            continue
        for phrase in consideration.indicators:
            hit = _pattern(phrase).search(lowered)
            if hit is None:
                continue
            start, end = max(0, hit.start() - CONTEXT), min(len(text), hit.end() + CONTEXT)
            quote = text[start:end].strip()
            prefix = "…" if start > 0 else ""
            suffix = "…" if end < len(text) else ""
            found.append(RationaleMatch(cid, phrase, f"{prefix}{quote}{suffix}"))
            break
    return found
