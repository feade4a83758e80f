"""Inter-rater agreement between evaluators: Cohen's kappa (two), its linearly weighted form
for the ordered P/S/M/U scale, and Fleiss' kappa (three or more).

Several evaluators may rate the same exercise; the report says how far they agree, because a
course director should know whether a rating is one person's view or a shared judgement. P, S, M
and U are ordered: an S against an M is a smaller disagreement than a P against a U, which the
unweighted kappa cannot see — hence the linearly weighted kappa beside it. Kappa on a handful of
items says little, so the report warns under :data:`MIN_ITEMS`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

ORDINAL = ("P", "S", "M", "U")
"""The rating scale, best to worst (the order weighted kappa uses)."""

MIN_ITEMS = 10
"""Below this many commonly rated items, kappa is reported with a warning."""


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


def weighted_kappa(
    first: Sequence[str], second: Sequence[str], scale: Sequence[str] = ORDINAL
) -> float | None:
    """Cohen's kappa with linear disagreement weights |i − j| / (k − 1) on an ordered ``scale``:
    1 − (observed weighted disagreement) / (disagreement expected by chance)."""
    if len(first) != len(second):
        raise ValueError("both raters must rate the same items")
    n = len(first)
    if n == 0:
        return None
    rank = {c: i for i, c in enumerate(scale)}
    unknown = (set(first) | set(second)) - set(rank)
    if unknown:
        raise ValueError(f"ratings off the scale: {sorted(unknown)}")
    span = len(scale) - 1

    def weight(a: str, b: str) -> float:
        return abs(rank[a] - rank[b]) / span

    observed = sum(weight(a, b) for a, b in zip(first, second, strict=True)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[a] * count_b[b] * weight(a, b) for a in count_a for b in count_b) / (
        n * n
    )
    if expected == 0:
        return 1.0 if observed == 0 else None
    return 1 - observed / expected


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


LANDIS_KOCH: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
    (1.00, "almost perfect"),
)
"""Landis and Koch (1977): below 0 poor, 0.00–0.20 slight, 0.21–0.40 fair, 0.41–0.60
moderate, 0.61–0.80 substantial, 0.81–1.00 almost perfect (upper limits, to two decimals)."""


def describe_kappa(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa value (judged at the two decimals the report shows)."""
    if kappa is None:
        return "undefined"
    shown = round(kappa, 2)
    if shown < 0:
        return "poor"
    return next((words for limit, words in LANDIS_KOCH if shown <= limit), "almost perfect")


def few_items_warning(items: int) -> str:
    """The caution a kappa over too few items needs ("" when there are enough)."""
    if items >= MIN_ITEMS:
        return ""
    return f"only {items} item{'s' if items != 1 else ''} rated in common (under {MIN_ITEMS}): treat this kappa as indicative"
