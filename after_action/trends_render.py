"""Trends across cohorts as Markdown or as one self-contained HTML page with inline SVG charts.

Who calls it: ``exercise-engine trends``, with the :class:`~after_action.trends.Trends` built by
:mod:`after_action.trends`. Both formats are laid out from the same typed data and share the
words of every cell (:func:`cell`), so they cannot disagree. Every piece of text that came from
a journal (a scenario's title, an objective, a consideration, an ending) goes through the
report's escaping (:mod:`after_action.report.escape`).

Why the charts are hand-written SVG and not a plotting library (pygal, matplotlib): the page
must be one file a course director can e-mail, print or open offline, with no script and no
external file; two chart kinds (a line per objective over the cohorts, a sparkline per row) are
a few dozen lines, and the report's own charts (:mod:`after_action.report.svg`) are written the
same way. Colour never carries meaning alone: every point has its rating letter and a tooltip,
and the table beside the chart holds every figure.
"""

from __future__ import annotations

from after_action.report.escape import htm, md
from after_action.report.svg import FONT, RATING_COLOURS
from after_action.trends import Mark, Row, ScenarioTrend, Trends

EVALUATORS_MARK = "†"
"""Follows a rating the evaluators gave themselves (not derived from the decisions)."""

LINE_COLOURS = (
    "#1565c0",
    "#c62828",
    "#2e7d32",
    "#6a1b9a",
    "#ef6c00",
    "#00838f",
    "#5d4037",
    "#ad1457",
)
"""One colour per objective line (cycled); each line is also named in the legend."""

INTRO = (
    "Anonymised: a cohort is the day its exercise started and a short hash of its journal; "
    "no syndicate, participant or evaluator name is read. Every figure is the after-action "
    "assessment's (docs/scoring.md): the rating the report gives — the evaluators lead, and "
    f"{EVALUATORS_MARK} marks a rating the evaluators gave — and the assessed value (0–100) "
    "inside that rating's band. A consideration's figure rests on the decisions whose option "
    "or expiry evidence bears on it; net is its net evidence. Change: the last cohort's figure "
    "minus the first's."
)


def cell(mark: Mark | None, *, net: bool = False) -> str:
    """One cohort's mark as text: ``S† 72.0`` (``· net −2`` for a consideration); ``—`` none."""
    if mark is None or mark.rating is None or mark.value is None:
        return "—"
    text = f"{mark.rating}{EVALUATORS_MARK if mark.evaluators else ''} {mark.value:.1f}"
    if net and mark.net is not None:
        text += f" · net {mark.net:+d}".replace("-", "−")
    return text


def change(row: Row) -> str:
    delta = row.change
    return "—" if delta is None else f"{delta:+.1f}".replace("-", "−")


def _span(trend: ScenarioTrend) -> str:
    if not trend.cohorts:
        return "no cohort counted"
    days = [c.label.split(" ")[0] for c in trend.cohorts]
    when = days[0] if days[0] == days[-1] else f"{days[0]} to {days[-1]}"
    count = len(trend.cohorts)
    return f"{count} cohort{'s' if count != 1 else ''}, {when}"


def _notes(trend: ScenarioTrend) -> list[str]:
    notes = []
    if trend.versions > 1:
        notes.append(
            f"The cohorts played {trend.versions} versions of this scenario: a row a version "
            "lacks shows —."
        )
    return notes


def _excluded(trend: ScenarioTrend) -> list[str]:
    return [
        f"{c.label}: its journal fails verification (not counted; --allow-unverified counts it)"
        for c in trend.excluded
    ]


def _cohort_rows(trend: ScenarioTrend) -> list[tuple[str, ...]]:
    return [
        (
            str(i),
            c.label + ("" if c.verified else " (fails verification)"),
            c.ending or "not ended",
            c.mlt_rating + (EVALUATORS_MARK if c.mlt_evaluators else ""),
            f"{c.mlt_score:.1f}",
            f"{c.mlt_indicator:.1f}",
        )
        for i, c in enumerate(trend.cohorts, start=1)
    ]


COHORT_HEADER = ("No.", "Cohort", "Ending", "MLT rating", "MLT score", "Indicator")


# --- Markdown -------------------------------------------------------------------------------------


def _md_table(header: tuple[str, ...], rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    align = "|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|"
    lines = ["| " + " | ".join(md(h) for h in header) + " |", align]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return lines


def trends_markdown(trends: Trends) -> str:
    lines = ["# Trends across cohorts", "", md(INTRO)]
    if trends.unverified_included:
        lines += ["", md("Journals that fail verification are counted (--allow-unverified).")]
    if not trends.scenarios:
        lines += ["", "No exercise to show."]
    for trend in trends.scenarios:
        numbers = tuple(str(i) for i in range(1, len(trend.cohorts) + 1))
        lines += ["", f"## {md(trend.title)} ({md(trend.scenario_id)})", "", md(_span(trend))]
        lines += [md(n) for n in _notes(trend)]
        if trend.cohorts:
            lines += ["", "### Cohorts", ""]
            lines += _md_table(COHORT_HEADER, _cohort_rows(trend), {0, 4, 5})
            lines += ["", "### By objective", ""]
            lines += _md_table(
                ("Objective", *numbers, "Change"),
                [
                    (f"{r.heading.id}: {r.heading.text}", *(cell(m) for m in r.marks), change(r))
                    for r in trend.objectives
                ],
                {len(numbers) + 1},
            )
            lines += ["", "### By consideration", ""]
            lines += _md_table(
                ("Consideration", "Area", *numbers, "Change"),
                [
                    (
                        r.heading.id,
                        r.heading.area,
                        *(cell(m, net=True) for m in r.marks),
                        change(r),
                    )
                    for r in trend.considerations
                ],
                {len(numbers) + 2},
            )
        if trend.excluded:
            lines += ["", "### Not counted", ""]
            lines += [f"- {md(x)}" for x in _excluded(trend)]
    if trends.duplicates:
        lines += ["", md("Found more than once and counted once: " + ", ".join(trends.duplicates))]
    return "\n".join(lines) + "\n"


# --- HTML -----------------------------------------------------------------------------------------


def _html_table(
    header: tuple[str, ...],
    rows: list[tuple[str, ...]],
    right: set[int],
    extra: list[str] | None,
    wrap: frozenset[int] = frozenset({0}),
) -> str:
    """A table of escaped cells (only the ``wrap`` columns break lines; ``right``: figures);
    ``extra`` adds one already-made cell (a sparkline) per row."""
    head = "".join(f"<th>{htm(h)}</th>" for h in header) + ("<th>Trend</th>" if extra else "")
    body = []
    for i, row in enumerate(rows):
        cells = "".join(
            f"<td>{htm(c)}</td>"
            if j in wrap
            else f'<td class="{"num" if j in right else "mark"}">{htm(c)}</td>'
            for j, c in enumerate(row)
        )
        body.append(f"<tr>{cells}{f'<td>{extra[i]}</td>' if extra else ''}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def sparkline(row: Row, width: int = 120, height: int = 26) -> str:
    """The row's figures across the cohorts as a small line (gaps where a cohort has none)."""
    n = len(row.marks)
    if n == 0:
        return ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'aria-label="{htm(row.heading.id)}: {htm(", ".join(cell(m) for m in row.marks))}">'
    ]
    for threshold in (40, 60, 80):
        y = _y(threshold, height, 3)
        parts.append(f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="#eeeeee"/>')
    points = [
        (4 + (width - 8) * (i / (n - 1) if n > 1 else 0.5), _y(value, height, 3), rating, m)
        for i, value, rating, m in _plotted(row)
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#607d8b"/>')
    for x, y, rating, m in points:
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{RATING_COLOURS[rating]}">'
            f"<title>{htm(cell(m))}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _plotted(row: Row) -> list[tuple[int, float, str, Mark]]:
    """(cohort index, figure, rating, mark) of every cohort with a figure on this row."""
    return [
        (i, m.value, m.rating, m)
        for i, m in enumerate(row.marks)
        if m is not None and m.value is not None and m.rating is not None
    ]


def _y(value: float, height: float, pad: float) -> float:
    """The vertical position of a 0–100 figure in a chart ``height`` high (100 at the top)."""
    return pad + (height - 2 * pad) * (1 - max(0.0, min(100.0, value)) / 100)


def objectives_chart(trend: ScenarioTrend) -> str:
    """One line per objective across the cohorts (numbered as in the cohort table, oldest
    left), over the four rating bands."""
    rows = [r for r in trend.objectives if _plotted(r)]
    n = len(trend.cohorts)
    if not rows or not n:
        return ""
    left, plot_w, top, plot_h = 34, max(480, min(900, 80 * n)), 26, 220
    legend_top = top + plot_h + 38
    height = legend_top + 18 * len(rows)
    width = left + plot_w + 30

    def x(i: int) -> float:
        return left + 24 + (plot_w - 48) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return top + _y(v, plot_h, 0)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'aria-label="Objectives across the cohorts" {FONT}>',
        '<text x="0" y="14" font-weight="bold">Objectives across the cohorts, oldest first '
        "(assessed value; the letter beside each point is its rating)</text>",
    ]
    for low, high, rating in ((80, 100, "P"), (60, 80, "S"), (40, 60, "M"), (0, 40, "U")):
        parts.append(
            f'<rect x="{left}" y="{y(high):.1f}" width="{plot_w}" height="{y(low) - y(high):.1f}" '
            f'fill="{RATING_COLOURS[rating]}" fill-opacity="0.08"/>'
        )
        parts.append(
            f'<text x="{left + plot_w + 6}" y="{(y(low) + y(high)) / 2 + 4:.1f}" '
            f'fill="{RATING_COLOURS[rating]}" font-weight="bold">{rating}</text>'
        )
    for tick in (0, 40, 60, 80, 100):
        parts.append(
            f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#666">{tick}</text>'
        )
    for i, c in enumerate(trend.cohorts):
        px = x(i)
        parts.append(
            f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{top + plot_h}" stroke="#e0e0e0"/>'
            f'<text x="{px:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{i + 1}'
            f"<title>{htm(c.label)}</title></text>"
        )
    for k, row in enumerate(rows):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        points = [(x(i), y(value), rating, m) for i, value, rating, m in _plotted(row)]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for px, py, rating, m in points:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}">'
                f"<title>{htm(row.heading.id)}: {htm(cell(m))}</title></circle>"
                f'<text x="{px + 6:.1f}" y="{py - 5:.1f}" fill="{colour}">{rating}</text>'
            )
        ly = legend_top + 18 * k
        parts.append(
            f'<rect x="{left}" y="{ly - 6}" width="16" height="4" fill="{colour}"/>'
            f'<text x="{left + 22}" y="{ly}">{htm(row.heading.id)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:middle}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "td.num,td.mark{white-space:nowrap}"
    "p.note{color:#555}"
)


def trends_html(trends: Trends) -> str:
    body = ["<h1>Trends across cohorts</h1>", f'<p class="note">{htm(INTRO)}</p>']
    if trends.unverified_included:
        body.append("<p>Journals that fail verification are counted (--allow-unverified).</p>")
    if not trends.scenarios:
        body.append("<p>No exercise to show.</p>")
    for trend in trends.scenarios:
        numbers = tuple(str(i) for i in range(1, len(trend.cohorts) + 1))
        body.append(f"<h2>{htm(trend.title)} ({htm(trend.scenario_id)})</h2>")
        body.append(f"<p>{htm(_span(trend))}</p>")
        body += [f'<p class="note">{htm(n)}</p>' for n in _notes(trend)]
        if trend.cohorts:
            body.append("<h3>Cohorts</h3>")
            body.append(_html_table(COHORT_HEADER, _cohort_rows(trend), {0, 4, 5}, None))
            body.append("<h3>By objective</h3>")
            body.append(objectives_chart(trend))
            body.append(
                _html_table(
                    ("Objective", *numbers, "Change"),
                    [
                        (
                            f"{r.heading.id}: {r.heading.text}",
                            *(cell(m) for m in r.marks),
                            change(r),
                        )
                        for r in trend.objectives
                    ],
                    {len(numbers) + 1},
                    [sparkline(r) for r in trend.objectives],
                )
            )
            body.append("<h3>By consideration</h3>")
            body.append(
                _html_table(
                    ("Consideration", "Area", *numbers, "Change"),
                    [
                        (
                            r.heading.id,
                            r.heading.area,
                            *(cell(m, net=True) for m in r.marks),
                            change(r),
                        )
                        for r in trend.considerations
                    ],
                    {len(numbers) + 2},
                    [sparkline(r) for r in trend.considerations],
                    wrap=frozenset({1}),
                )
            )
        if trend.excluded:
            body.append("<h3>Not counted</h3>")
            body.append("<ul>" + "".join(f"<li>{htm(x)}</li>" for x in _excluded(trend)) + "</ul>")
    if trends.duplicates:
        body.append(
            "<p>Found more than once and counted once: "
            + htm(", ".join(trends.duplicates))
            + "</p>"
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Trends across cohorts</title><style>{STYLE}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def render_trends(trends: Trends, fmt: str) -> str:
    """``md`` or ``html``."""
    return trends_html(trends) if fmt == "html" else trends_markdown(trends)
