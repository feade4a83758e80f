"""Render the report data as Markdown or self-contained HTML; JSON is the data itself."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from after_action.assessment import Assessment
from after_action.report.data import report_data
from after_action.report.svg import RATING_COLOURS, bar_chart, timeline_chart
from exercise_engine.loading import LoadedScenario

FACTOR_NAMES = {
    "evidence": "Option evidence",
    "timeliness": "Timeliness",
    "consultation": "Consultation",
    "rationale": "Rationale",
    "polarity": "Polarities",
}


def render_report(
    assessment: Assessment, scenario: LoadedScenario, fmt: str, *, anonymize: bool = False
) -> str:
    data = report_data(assessment, scenario, anonymize=anonymize)
    if fmt == "json":
        # tools get the whole exercise record too: every journalled event
        data["events"] = [] if anonymize else assessment.record["events"]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return markdown(data)
    if fmt == "html":
        return html(data, assessment, scenario)
    raise ValueError(f"unknown format {fmt!r}")


# --- Markdown ----------------------------------------------------------------------------------


def markdown(data: dict[str, Any]) -> str:
    ex, sc, out, mlt = data["exercise"], data["scenario"], data["outcome"], data["mlt"]
    lines = [
        f"# After-action report: {sc['title']}",
        "",
        f"*Exercise modelled on {sc['mission']}; a training exercise, not a record of events.*",
        "",
        "## 1. Overview",
        "",
        f"- **Syndicate:** {ex.get('syndicate') or '—'}",
        f"- **Status:** {out['status'].replace('_', ' ')} at exercise time {out['exercise_time']}",
        f"- **Ending:** {out['ending_title'] or out['ending'] or 'none reached'}",
        f"- **MLT score:** {mlt['score']} / 100 — **{mlt['rating']}** ({mlt['rating_name']})",
        f"- **Decision points:** {len(data['decisions'])} "
        f"({sum(d['status'] == 'decided' for d in data['decisions'])} decided, "
        f"{sum(d['status'] == 'expired' for d in data['decisions'])} expired"
        + (f"; {data['still_open']} still open, not scored yet" if data["still_open"] else "")
        + ")",
        f"- **Evaluators:** {', '.join(data['evaluators']) or 'none yet (scores are derived only)'}",
        "",
    ]
    if ex.get("verified") is False:
        lines[6:6] = [
            f"> **Warning: the journal fails verification** ({ex['verify_problem']}).",
            "",
        ]
    if out["ending_summary"]:
        lines += [f"> {' '.join(out['ending_summary'].split())}", ""]
    lines += ["### World state", "", "| Variable | Start | End |", "|---|---:|---:|"]
    lines += [
        f"| {v['label']} | {v['initial']:g} | {v['final']:g} |" for v in out["variables"].values()
    ]
    lines += [
        "",
        "### Scores by area",
        "",
        "| Area | Share of evidence that was positive |",
        "|---|---:|",
    ]
    lines += [
        f"| {area} | {'—' if v is None else f'{v:g}%'} |" for area, v in data["areas"].items()
    ]
    lines += [
        "",
        "### Scores by role",
        "",
        "| Role | Decisions | Expired | Mean score | Median latency (min) |",
        "|---|---:|---:|---:|---:|",
    ]
    for role, v in data["roles"].items():
        latency = "—" if v["median_latency"] is None else f"{v['median_latency'] / 60:.1f}"
        lines.append(f"| {role} | {v['decisions']} | {v['expired']} | {v['score']} | {latency} |")
    lines += ["", "## 2. Strengths", ""]
    lines += [
        f"- **{s['consideration']}** — {s['statement']} *(study: {s['source']}; net evidence +{s['net']}; {', '.join(s['decisions'])})*"
        for s in data["strengths"]
    ] or ["- None stood out."]
    lines += ["", "## 3. Areas for improvement", ""]
    lines += [
        f"- **{s['consideration']}** — {s['statement']} *(study: {s['source']}; net evidence {s['net']}; {', '.join(s['decisions'])})*"
        for s in data["improvements"]
    ] or ["- None stood out."]
    lines += [
        "",
        "## 4. Improvement plan",
        "",
        "| Recommendation | Consideration | Study section | Owner |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {p['recommendation']} | {p['consideration']} | {p['source']} | {p['owner']} |"
        for p in data["improvement_plan"]
    ]
    lines += ["", "## 5. Decision ledger", ""]
    for d in data["decisions"]:
        lines += [
            f"### {d['key']} — {d['prompt']}",
            "",
            f"- **Deciding role:** {d['role_title']}{' (recorded by the facilitator, hot seat)' if d['hot_seat'] else ''}",
            f"- **Delivered** {d['opened_at']}; window to {d['deadline'] or '—'}; **{d['status']}** {d['closed_at'] or ''}",
            f"- **Choice:** {d['option_label'] or d['option'] or '—'}",
            f"- **Rationale:** {d['rationale'] or '—'}",
            f"- **Knew (injects received):** {', '.join(d['knew']) or '—'}",
            f"- **Consulted:** expected {', '.join(d['consult']) or 'nobody'}; heard "
            + (
                ", ".join(
                    f"{a['role']} at {a['at']}"
                    + (f" (recommends {a['recommend']})" if a["recommend"] else "")
                    for a in d["advice"]
                )
                or "nobody"
            ),
            "- **Factors:** "
            + ", ".join(f"{FACTOR_NAMES[k]} {v:g}" for k, v in d["factors"].items()),
            f"- **Score:** {d['score']} — derived rating **{d['derived_rating']}**"
            + (
                f"; evaluators {', '.join(f'{k}: {v}' for k, v in d['evaluator_ratings'].items())}; final **{d['rating']}**"
                if d["evaluator_ratings"]
                else ""
            ),
        ]
        if d["evidence"]:
            lines.append("- **Evidence:**")
            for e in d["evidence"]:
                quote = f' — "{e["quote"]}"' if e["quote"] else ""
                lines.append(f"  - `{e['consideration']}` {e['weight']:+d} ({e['source']}){quote}")
        if d["polarities"]:
            lines.append(
                "- **Polarities:** "
                + "; ".join(f"`{p['a']}` ↔ `{p['b']}`: {p['engaged']}" for p in d["polarities"])
            )
        lines.append("")
    lines += ["## 6. Timeline", "", "| Time | Event | Roles |", "|---|---|---|"]
    lines += [
        f"| {row['at']} | {row['text']} | {', '.join(row['roles'])} |" for row in data["timeline"]
    ]
    lines += ["", "## 7. Hot wash", ""]
    lines += [f"- *{n['kind']}:* {n['text']}" for n in data["hot_wash"]] or [
        "- No hot-wash notes were recorded."
    ]
    if data["agreement"]:
        lines += [
            "",
            "## 8. Agreement between evaluators",
            "",
            "| Method | Evaluators | Items | Kappa | |",
            "|---|---|---:|---:|---|",
        ]
        for a in data["agreement"]:
            kappa = "—" if a["kappa"] is None else f"{a['kappa']:.2f}"
            lines.append(
                f"| {a['method']} | {', '.join(a['evaluators'])} | {a['items']} | {kappa} | {a['words']} |"
            )
    lines += [
        "",
        "## Appendix: evidence by consideration",
        "",
        "| Consideration | Area | Net | + | − | Decisions |",
        "|---|---|---:|---:|---:|---|",
    ]
    for cid, c in sorted(data["considerations"].items(), key=lambda kv: (kv[1]["area"], kv[0])):
        lines.append(
            f"| {cid} | {c['area']} | {c['net']:+d} | {c['positive']} | {c['negative']} | {', '.join(c['decisions'])} |"
        )
    lines += [
        "",
        "---",
        "",
        "Scoring method: see docs/scoring.md. Weights: "
        + ", ".join(f"{FACTOR_NAMES[k]} {v:.0%}" for k, v in data["method"]["weights"].items())
        + ".",
    ]
    return "\n".join(lines) + "\n"


# --- HTML --------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
th{background:#f3f3f3}.rating{display:inline-block;padding:0 .45em;border-radius:3px;color:#fff;font-weight:bold}
.decision{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:1em 0}
.quote{color:#555;font-style:italic}.muted{color:#666}.chart{margin:1em 0}
@media print{.decision{break-inside:avoid}}
"""


def _rating(r: str) -> str:
    return f'<span class="rating" style="background:{RATING_COLOURS.get(r, "#555")}">{escape(r)}</span>'


def html(data: dict[str, Any], assessment: Assessment, scenario: LoadedScenario) -> str:
    ex, sc, out, mlt = data["exercise"], data["scenario"], data["outcome"], data["mlt"]
    e = escape
    body: list[str] = [
        f"<h1>After-action report: {e(sc['title'])}</h1>",
        f'<p class="muted">A training exercise modelled on {e(sc["mission"])}; not a record of events. Syndicate: {e(ex.get("syndicate") or "—")}.</p>',
        "<h2>1. Overview</h2>",
        *(
            [f"<p><b>Warning: the journal fails verification</b> ({e(ex['verify_problem'])}).</p>"]
            if ex.get("verified") is False
            else []
        ),
        f'<p class="muted">Journal head: event {ex.get("head_seq", 0)}, {e(ex.get("head_hash", ""))}.</p>',
        f"<p><b>Ending:</b> {e(out['ending_title'] or out['ending'] or 'none reached')} at {e(out['exercise_time'])}. "
        f"<b>MLT score:</b> {mlt['score']} / 100 {_rating(mlt['rating'])} {e(mlt['rating_name'])}.</p>",
    ]
    if out["ending_summary"]:
        body.append(f"<blockquote>{e(out['ending_summary'])}</blockquote>")
    body.append("<table><tr><th>World state</th><th>Start</th><th>End</th></tr>")
    body += [
        f"<tr><td>{e(v['label'])}</td><td>{v['initial']:g}</td><td>{v['final']:g}</td></tr>"
        for v in out["variables"].values()
    ]
    body.append("</table>")
    body.append(
        '<div class="chart">'
        + timeline_chart(assessment.timeline, assessment.role_titles, assessment.decisions)
        + "</div>"
    )
    area_rows = [(a, v, "#3949ab") for a, v in data["areas"].items()]
    body.append(
        '<div class="chart">'
        + bar_chart("Score by area (share of evidence that was positive)", area_rows, unit="%")
        + "</div>"
    )
    latency_rows = [
        (
            role,
            None if v["median_latency"] is None else round(v["median_latency"] / 60, 1),
            "#00897b",
        )
        for role, v in data["roles"].items()
    ]
    longest = max([r[1] for r in latency_rows if r[1] is not None] or [1])
    body.append(
        '<div class="chart">'
        + bar_chart(
            "Decision latency by role (median minutes from delivery)",
            latency_rows,
            maximum=float(longest),
            unit=" min",
        )
        + "</div>"
    )
    body.append("<h2>2. Strengths</h2><ul>")
    body += [
        f"<li><b>{e(s['consideration'])}</b> — {e(s['statement'])} <span class='muted'>(study: {e(s['source'])}; net +{s['net']})</span></li>"
        for s in data["strengths"]
    ] or ["<li>None stood out.</li>"]
    body.append("</ul><h2>3. Areas for improvement</h2><ul>")
    body += [
        f"<li><b>{e(s['consideration'])}</b> — {e(s['statement'])} <span class='muted'>(study: {e(s['source'])}; net {s['net']})</span></li>"
        for s in data["improvements"]
    ] or ["<li>None stood out.</li>"]
    body.append(
        "</ul><h2>4. Improvement plan</h2><table><tr><th>Recommendation</th><th>Consideration</th><th>Study section</th><th>Owner</th></tr>"
    )
    body += [
        f"<tr><td>{e(p['recommendation'])}</td><td>{e(p['consideration'])}</td><td>{e(p['source'])}</td><td>{e(p['owner'])}</td></tr>"
        for p in data["improvement_plan"]
    ]
    body.append("</table><h2>5. Decision ledger</h2>")
    for d in data["decisions"]:
        evaluators = "".join(f" {e(k)}: {_rating(v)}" for k, v in d["evaluator_ratings"].items())
        body.append(f'<div class="decision"><h3>{e(d["key"])} — {e(d["prompt"])}</h3>')
        body.append(
            f"<p><b>{e(d['role_title'])}</b>{' (hot seat)' if d['hot_seat'] else ''}: {e(d['status'])}"
            f" {e(d['closed_at'] or '')}; delivered {e(d['opened_at'])}, window to {e(d['deadline'] or '—')}.<br>"
            f"<b>Choice:</b> {e(d['option_label'] or d['option'] or '—')}<br>"
            f"<b>Rationale:</b> <span class='quote'>{e(d['rationale'] or '—')}</span><br>"
            f"<b>Knew:</b> {e(', '.join(d['knew']) or '—')}<br>"
            f"<b>Advice heard:</b> {e(', '.join(a['role'] + ' at ' + a['at'] for a in d['advice']) or 'none')} (expected: {e(', '.join(d['consult']) or 'nobody')})<br>"
            f"<b>Score:</b> {d['score']} {_rating(d['derived_rating'])}{(' — evaluators:' + evaluators) if evaluators else ''}</p>"
        )
        body.append(
            "<table><tr><th>Factor</th><th>Value</th></tr>"
            + "".join(
                f"<tr><td>{FACTOR_NAMES[k]}</td><td>{v:g}</td></tr>"
                for k, v in d["factors"].items()
            )
            + "</table>"
        )
        if d["evidence"]:
            body.append(
                "<ul>"
                + "".join(
                    f"<li><code>{e(x['consideration'])}</code> {x['weight']:+d} ({e(x['source'])}){(' — <span class=quote>“' + e(x['quote']) + '”</span>') if x['quote'] else ''}</li>"
                    for x in d["evidence"]
                )
                + "</ul>"
            )
        if d["polarities"]:
            body.append(
                "<p class='muted'>Polarities: "
                + "; ".join(
                    f"{e(p['a'])} ↔ {e(p['b'])}: {e(p['engaged'])}" for p in d["polarities"]
                )
                + "</p>"
            )
        body.append("</div>")
    body.append("<h2>6. Timeline</h2><table><tr><th>Time</th><th>Event</th><th>Roles</th></tr>")
    body += [
        f"<tr><td>{e(r['at'])}</td><td>{e(r['text'])}</td><td>{e(', '.join(r['roles']))}</td></tr>"
        for r in data["timeline"]
    ]
    body.append("</table><h2>7. Hot wash</h2><ul>")
    body += [f"<li><i>{e(n['kind'])}:</i> {e(n['text'])}</li>" for n in data["hot_wash"]] or [
        "<li>No hot-wash notes were recorded.</li>"
    ]
    body.append("</ul>")
    if data["agreement"]:
        body.append(
            "<h2>8. Agreement between evaluators</h2><table><tr><th>Method</th><th>Evaluators</th><th>Items</th><th>Kappa</th><th></th></tr>"
        )
        for a in data["agreement"]:
            kappa = "—" if a["kappa"] is None else f"{a['kappa']:.2f}"
            body.append(
                f"<tr><td>{e(a['method'])}</td><td>{e(', '.join(a['evaluators']))}</td><td>{a['items']}</td><td>{kappa}</td><td>{e(a['words'])}</td></tr>"
            )
        body.append("</table>")
    body.append(
        "<h2>Appendix: evidence by consideration</h2><table><tr><th>Consideration</th><th>Area</th><th>Net</th><th>+</th><th>−</th><th>Decisions</th></tr>"
    )
    for cid, c in sorted(data["considerations"].items(), key=lambda kv: (kv[1]["area"], kv[0])):
        body.append(
            f"<tr><td title='{e(c['statement'])}'>{e(cid)}</td><td>{e(c['area'])}</td><td>{c['net']:+d}</td><td>{c['positive']}</td><td>{c['negative']}</td><td>{e(', '.join(c['decisions']))}</td></tr>"
        )
    body.append("</table>")
    body.append(
        "<p class='muted'>Scoring method: docs/scoring.md in the exercise-engine project.</p>"
    )
    title = e(f"After-action report: {sc['title']}")
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{CSS}</style></head><body>\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )
