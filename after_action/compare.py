"""Syndicates side by side: the evaluator-led rating beside the indicator, objectives, scores
by area and role, latency, and where their choices diverged.

Courses run several syndicates through the same scenario; the debrief compares them. Exercises
of different scenarios cannot be compared (the decision points differ) and are refused. Every
label (syndicate names are someone's typing) is escaped in Markdown and HTML.
"""

from __future__ import annotations

import re
import statistics
from typing import Any

from after_action.assessment import Assessment
from after_action.report.escape import htm, md

LABEL_WIDTH = 28


def compare_data(items: list[tuple[str, Assessment]]) -> dict[str, Any]:
    """``items`` are (syndicate label, assessment) pairs of the same scenario."""
    syndicates = [label for label, _ in items]
    areas = sorted({area for _, a in items for area in a.areas})
    roles = sorted(
        {role for _, a in items for role in a.roles},
        key=lambda r: next(a.role_titles.get(r, r) for _, a in items),
    )
    titles = {r: t for _, a in items for r, t in a.role_titles.items()}
    points: dict[str, dict[str, str]] = {}
    prompts: dict[str, str] = {}
    for label, a in items:
        for d in a.decisions:
            points.setdefault(d.key, {})[label] = d.option or d.status
            prompts[d.key] = d.prompt
    divergence = []
    for key, choices in points.items():
        values = [choices.get(s, "not reached") for s in syndicates]
        divergence.append(
            {
                "decision": key,
                "prompt": prompts[key],
                "choices": dict(zip(syndicates, values, strict=True)),
                "diverged": len(set(values)) > 1,
            }
        )
    summary = []
    for label, a in items:
        latencies = [d.latency / 60 for d in a.decisions if d.latency is not None]
        summary.append(
            {
                "syndicate": label,
                "ending": a.record["state"]["ending_title"]
                or a.record["state"]["ending"]
                or "none",
                "score": a.mlt_score,
                "rating": a.mlt_rating,
                "indicator": a.mlt_indicator,
                "plan_rows": len(a.plan),
                "decided": sum(d.status == "decided" for d in a.decisions),
                "expired": sum(d.status == "expired" for d in a.decisions),
                "median_latency_minutes": round(statistics.median(latencies), 1)
                if latencies
                else None,
            }
        )
    objectives = {
        o.ref.id: {
            label: next((x.rating for x in a.objectives if x.ref.id == o.ref.id), None)
            for label, a in items
        }
        for _, a in items
        for o in a.objectives
    }
    return {
        "syndicates": summary,
        "objectives": objectives,
        "areas": {area: {label: a.areas.get(area) for label, a in items} for area in areas},
        "roles": {
            titles.get(r, r): {
                label: (a.roles[r]["score"] if r in a.roles else None) for label, a in items
            }
            for r in roles
        },
        "divergence": divergence,
    }


def _cell(value: object) -> str:
    return "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def _table(title: str, label: str, rows: dict[str, dict[str, Any]], names: list[str]) -> list[str]:
    """A section: one row per key, one column per syndicate."""
    lines = [
        "",
        f"## {title}",
        "",
        f"| {md(label)} | " + " | ".join(md(n) for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    lines += [
        f"| {md(key)} | " + " | ".join(md(_cell(v.get(n))) for n in names) + " |"
        for key, v in rows.items()
    ]
    return lines


def compare_markdown(data: dict[str, Any]) -> str:
    names = [s["syndicate"] for s in data["syndicates"]]
    lines = [
        "# Syndicates compared",
        "",
        "| | " + " | ".join(md(n) for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for key, label in (
        ("ending", "Ending"),
        ("rating", "MLT rating (evaluators lead)"),
        ("score", "MLT score"),
        ("indicator", "Indicator"),
        ("plan_rows", "Improvement plan rows"),
        ("decided", "Decided"),
        ("expired", "Expired"),
        ("median_latency_minutes", "Median latency (min)"),
    ):
        lines.append(
            f"| {label} | " + " | ".join(md(_cell(s[key])) for s in data["syndicates"]) + " |"
        )
    lines += _table("By objective (rating)", "Objective", data["objectives"], names)
    lines += _table(
        "By area (share of evidence that was positive, %)", "Area", data["areas"], names
    )
    lines += _table("By role (mean decision score)", "Role", data["roles"], names)
    lines += [
        "",
        "## Where the choices diverged",
        "",
        "| Decision | " + " | ".join(md(n) for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for row in data["divergence"]:
        mark = " **≠**" if row["diverged"] else ""
        lines.append(
            f"| {md(row['decision'])}{mark} | "
            + " | ".join(md(row["choices"][n]) for n in names)
            + " |"
        )
    return "\n".join(lines) + "\n"


_PIPE = re.compile(r"(?<!\\)\|")
_ESCAPED = re.compile(r"\\(.)")


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text.strip())


def compare_html(data: dict[str, Any]) -> str:
    """The same tables as :func:`compare_markdown` (read back from it, cell by cell), as HTML."""
    md_tables = compare_markdown(data)
    rows = []
    for line in md_tables.splitlines():
        if line.startswith("# "):
            rows.append(f"<h1>{htm(_unescape(line[2:]))}</h1>")
        elif line.startswith("## "):
            rows.append(f"<h2>{htm(_unescape(line[3:]))}</h2>")
        elif line.startswith("|---"):
            continue
        elif line.startswith("|"):
            cells = [_unescape(c) for c in _PIPE.split(line.strip()[1:-1])]
            rows.append(
                "<tr>"
                + "".join(f"<td>{htm(c).replace('**≠**', '<b>≠</b>')}</td>" for c in cells)
                + "</tr>"
            )
    body, in_table = [], False
    for row in rows:
        if row.startswith("<tr>") and not in_table:
            body.append("<table>")
            in_table = True
        if not row.startswith("<tr>") and in_table:
            body.append("</table>")
            in_table = False
        body.append(row)
    if in_table:
        body.append("</table>")
    style = "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto}td{border:1px solid #ccc;padding:.2em .5em}table{border-collapse:collapse}"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Syndicates compared</title><style>{style}</style></head><body>\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )
