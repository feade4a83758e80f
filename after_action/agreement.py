"""Inter-rater agreement between evaluators: Cohen's kappa (two) and Fleiss' kappa (several).

Several evaluators may rate the same exercise; the report says how far they agree, because a
course director should know whether a rating is one person's view or a shared judgement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters over the same items; None when it is undefined."""
    if len(first) != len(second):
        raise ValueError("both raters must rate the same items")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[c] * count_b[c] for c in set(count_a) | set(count_b)) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(table: Sequence[Mapping[Any, int]]) -> float | None:
    """Fleiss' kappa from per-item category counts (every item rated by the same number)."""
    if not table:
        return None
    raters = sum(table[0].values())
    if raters < 2 or any(sum(row.values()) != raters for row in table):
        raise ValueError("every item needs the same number of ratings, at least two")
    items = len(table)
    totals: Counter[Hashable] = Counter()
    agreement = 0.0
    for row in table:
        totals.update(row)
        agreement += (sum(v * v for v in row.values()) - raters) / (raters * (raters - 1))
    p_bar = agreement / items
    p_e = sum((t / (items * raters)) ** 2 for t in totals.values())
    if p_e == 1:
        return 1.0 if p_bar == 1 else None
    return (p_bar - p_e) / (1 - p_e)


def describe_kappa(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa value."""
    if kappa is None:
        return "undefined"
    for limit, words in (
        (0.0, "poor"),
        (0.2, "slight"),
        (0.4, "fair"),
        (0.6, "moderate"),
        (0.8, "substantial"),
    ):
        if kappa <= limit:
            return words
    return "almost perfect"
