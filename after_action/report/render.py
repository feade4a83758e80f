"""Render the report: JSON is the model itself; Markdown and HTML print its layout.

Who calls it: ``exercise-engine report`` (and ``review``'s export). Both text formats walk the same
blocks (:mod:`after_action.report.layout`) and escape every piece of text through
:mod:`after_action.report.escape`; the PDF is the HTML printed by Chromium.
"""

from __future__ import annotations

import json

from after_action.assessment import Assessment
from after_action.report.escape import htm, md
from after_action.report.layout import (
    Block,
    Bullets,
    Chart,
    Fields,
    Heading,
    Para,
    Quote,
    Table,
    layout,
)
from after_action.report.model import Report, build_report, report_dict
from after_action.report.svg import RATING_COLOURS, bar_chart, timeline_chart
from exercise_engine.loading import LoadedScenario

FORMATS = ("md", "html", "json")


def render_report(
    assessment: Assessment, scenario: LoadedScenario, fmt: str, *, anonymize: bool = False
) -> str:
    report = build_report(assessment, scenario, anonymize=anonymize)
    blocks = layout(report)
    if fmt == "json":
        data = report_dict(report)
        if not report.pre_play:  # only a --start-at exercise has pre-played moves
            del data["pre_play"], data["pre_played"]
        # tools get the whole exercise record too: every journalled event
        data["events"] = [] if anonymize else assessment.record["events"]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return markdown(blocks)
    if fmt == "html":
        return html(report, blocks, assessment)
    raise ValueError(f"unknown format {fmt!r}")


# --- Markdown ----------------------------------------------------------------------------------


def markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            lines += ["#" * b.level + " " + md(b.text), ""]
        elif isinstance(b, Para):
            lines += [f"*{md(b.text)}*" if b.emphasis else md(b.text), ""]
        elif isinstance(b, Quote):
            strong = f"**{md(b.strong)}** " if b.strong else ""
            lines += ["> " + strong + md(b.text), ""]
        elif isinstance(b, Fields):
            for i, (label, value) in enumerate(b.items):
                lines.append(f"- **{md(label)}:** {md(value)}")
                lines += [f"  - {md(s)}" for s in b.sub.get(i, ())]
            lines.append("")
        elif isinstance(b, Bullets):
            lines += [f"- {md(item)}" for item in b.items] + [""]
        elif isinstance(b, Table):
            lines.append("| " + " | ".join(md(h) for h in b.headers) + " |")
            lines.append(
                "|"
                + "|".join("---:" if i in b.numeric else "---" for i in range(len(b.headers)))
                + "|"
            )
            lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in b.rows]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML --------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}h4{margin-bottom:.2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
th{background:#f3f3f3;text-align:left}td.num{text-align:right}.rating{display:inline-block;padding:0 .45em;border-radius:3px;color:#fff;font-weight:bold}
.muted{color:#666}.chart{margin:1em 0}blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1em;color:#444}
@media print{h3,h4{break-after:avoid}tr{break-inside:avoid}}
"""


def _cell(text: str, rating: bool) -> str:
    if rating and text in RATING_COLOURS:
        return f'<span class="rating" style="background:{RATING_COLOURS[text]}">{htm(text)}</span>'
    return htm(text)


def html(report: Report, blocks: list[Block], assessment: Assessment) -> str:
    charts = {
        "timeline": lambda: timeline_chart(
            assessment.timeline, assessment.role_titles, assessment.decisions
        ),
        "areas": lambda: bar_chart(
            "Indicator by area (share of evidence that was positive)",
            [(a, v, "#3949ab") for a, v in report.areas.items()],
            unit="%",
        ),
        "latency": lambda: _latency_chart(report),
    }
    body: list[str] = []
    for b in blocks:
        if isinstance(b, Heading):
            body.append(f"<h{b.level}>{htm(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            body.append(
                f'<p class="muted"><i>{htm(b.text)}</i></p>'
                if b.emphasis
                else f"<p>{htm(b.text)}</p>"
            )
        elif isinstance(b, Quote):
            strong = f"<b>{htm(b.strong)}</b> " if b.strong else ""
            body.append(f"<blockquote>{strong}{htm(b.text)}</blockquote>")
        elif isinstance(b, Fields):
            items = []
            for i, (label, value) in enumerate(b.items):
                sub = b.sub.get(i, ())
                inner = "<ul>" + "".join(f"<li>{htm(s)}</li>" for s in sub) + "</ul>" if sub else ""
                items.append(f"<li><b>{htm(label)}:</b> {htm(value)}{inner}</li>")
            body.append("<ul>" + "".join(items) + "</ul>")
        elif isinstance(b, Bullets):
            body.append("<ul>" + "".join(f"<li>{htm(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Table):
            head = "".join(f"<th>{htm(h)}</th>" for h in b.headers)
            rows = "".join(
                "<tr>"
                + "".join(
                    f"<td{' class=num' if i in b.numeric else ''}>{_cell(c, i in b.ratings)}</td>"
                    for i, c in enumerate(row)
                )
                + "</tr>"
                for row in b.rows
            )
            body.append(f"<table><tr>{head}</tr>{rows}</table>")
        elif isinstance(b, Chart):
            svg = charts[b.name]()
            if svg:
                body.append(f'<div class="chart">{svg}</div>')
    title = htm(report.title)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{CSS}</style></head><body>\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _latency_chart(report: Report) -> str:
    rows = [
        (
            role,
            None if v["median_latency"] is None else round(v["median_latency"] / 60, 1),
            "#00897b",
        )
        for role, v in report.roles.items()
    ]
    longest = max([r[1] for r in rows if r[1] is not None] or [1])
    return bar_chart(
        "Decision latency by role (median minutes from delivery)",
        rows,
        maximum=float(longest),
        unit=" min",
    )
