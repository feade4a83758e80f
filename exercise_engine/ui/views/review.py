"""What the evaluator console shows, as plain text: no Textual here, so it is tested directly.

Who calls it: :mod:`exercise_engine.ui.review`. The content comes from the after-action report
data (``after_action.report.data.report_data``), so the console and the written report can
never disagree about a score or a piece of evidence.
"""

from __future__ import annotations

from typing import Any

from after_action.report.escape import md

FACTOR_NAMES = {
    "evidence": "Option evidence",
    "timeliness": "Timeliness",
    "consultation": "Consultation",
    "rationale": "Rationale",
    "polarity": "Polarities",
}

RATING_WORDS = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}


def decision_rows(
    data: dict[str, Any], evaluator: str, short_roles: dict[str, str] | None = None
) -> list[tuple[str, str, str, str, str]]:
    """One row per decision: time, decision, role (abbreviated where known), score with the
    derived rating (or why there is no decision), my rating."""
    short_roles = short_roles or {}
    rows = []
    for d in data["decisions"]:
        mine = d["evaluator_ratings"].get(evaluator, "")
        rows.append(
            (
                d["opened_at"],
                d["key"],
                short_roles.get(d["role"], d["role_title"]),
                f"{d['score']:g} {d['derived_rating']}"
                if d["status"] == "decided"
                else f"{d['status']} {d['derived_rating']}",
                mine or "·",
            )
        )
    return rows


def summary_line(data: dict[str, Any], evaluator: str) -> str:
    """Scenario, ending, MLT score and the evaluators' agreement, on one line."""
    mlt = data["mlt"]
    ending = data["outcome"]["ending_title"] or data["outcome"]["ending"] or "no ending yet"
    rated = sum(1 for d in data["decisions"] if evaluator in d["evaluator_ratings"])
    parts = [
        f"{data['scenario']['title']} — {ending}",
        f"MLT {mlt['rating']} ({mlt['score']:g}; indicator {mlt['indicator']:g})",
        f"you rated {rated} of {len(data['decisions'])}",
    ]
    others = [e for e in data["evaluators"] if e != evaluator]
    if others:
        parts.append(f"also rating: {', '.join(others)}")
    for a in data["agreement"]:
        kappa = "—" if a["kappa"] is None else f"{a['kappa']:.2f}"
        parts.append(f"{a['method']} κ {kappa} ({a['words']})")
    return " | ".join(parts)


def decision_markdown(d: dict[str, Any], notes: list[dict[str, Any]]) -> str:
    """Everything about one decision an evaluator weighs, as Markdown (free text escaped)."""
    lines = [
        f"## {md(d['key'])}: {md(d['prompt'])}",
        "",
        f"**{md(d['role_title'])}**{' (hot seat: recorded by the facilitator)' if d['hot_seat'] else ''}"
        f" · delivered {d['opened_at']} · window to {d['deadline'] or '—'} · **{d['status']}**"
        f"{' at ' + d['closed_at'] if d['closed_at'] else ''}",
        "",
        f"**Choice:** {md(d['option_label'] or d['option'] or '—')}",
        "",
        f"**Best option offered:** {md(' / '.join(d.get('best_labels') or []) or '—')}"
        + (" (chosen)" if d.get("best_option") else "")
        + (f" · regret {d['regret']:g}" if d.get("regret") is not None else ""),
        "",
        f"**Rationale:** {md(d['rationale'] or '—')}",
    ]
    if d.get("breach"):
        lines += ["", f"**Breach:** {md(d['breach'])} (caps the rating at {d.get('cap') or 'M'})"]
    lines += ["", "### What the role knew", ""]
    lines += [f"- {md(k)}" for k in d["knew"]] or ["- nothing yet"]
    lines += ["", "### Advice", ""]
    expected = ", ".join(md(c) for c in d["consult"]) or "nobody"
    heard = [
        f"- {md(a['role'])} at {a['at']}"
        + (f", recommends *{md(a['recommend'])}*" if a["recommend"] else "")
        + (" — **dissent**" if a.get("dissent") else "")
        + (f": {md(a['text'])}" if a["text"] else "")
        for a in d["advice"]
    ]
    lines += [f"Expected: {expected}.", "", *(heard or ["- none recorded"])]
    if d.get("claimed_not_recorded"):
        lines += ["", f"Claimed, not recorded: {md(', '.join(d['claimed_not_recorded']))}"]
    lines += ["", "### Indicator", "", "| Factor | Value |", "|---|---:|"]
    lines += [f"| {FACTOR_NAMES.get(k, k)} | {v:g} |" for k, v in d["factors"].items()]
    lines += [
        "",
        f"**{d['score']:g}** → derived rating **{d['derived_rating']}** ({RATING_WORDS[d['derived_rating']]})",
    ]
    if d["evaluator_ratings"]:
        given = ", ".join(f"{md(name)}: {r}" for name, r in d["evaluator_ratings"].items())
        lines += ["", f"Evaluators: {given} → **{d['rating']}**"]
    lines += ["", f"Rating in the report: **{d['rating']}** ({d.get('rating_basis', '')})"]
    lines += ["", "### Evidence", ""]
    for e in d["evidence"]:
        quote = f' — "{md(e["quote"])}"' if e["quote"] else ""
        lines.append(f"- `{e['consideration']}` {e['weight']:+d} ({e['source']}){quote}")
    if not d["evidence"]:
        lines.append("- none")
    if d["polarities"]:
        lines += ["", "### Polarities in play", ""]
        lines += [f"- `{p['a']}` ↔ `{p['b']}`: {p['engaged']}" for p in d["polarities"]]
    mine = [
        n for n in notes if n.get("inject") == d["inject"] and n.get("decision") == d["decision"]
    ]
    if mine:
        lines += ["", "### Evaluators' notes", ""]
        lines += [f"- {md(n.get('evaluator', ''))}: {md(n.get('text', ''))}" for n in mine]
    return "\n".join(lines) + "\n"


def objective_line(o: dict[str, Any], evaluator: str) -> str:
    """One objective in the rating dialog: id, text, its rating and basis, my rating."""
    mine = o["evaluator_ratings"].get(evaluator, "·")
    indicator = "—" if o["indicator"] is None else f"{o['indicator']:g}"
    return (
        f"{o['id']} — {o['text']} · {o['rating'] or '—'} ({o['basis']}; indicator {indicator})"
        f" · mine {mine}"
    )


def plan_line(row: dict[str, Any]) -> str:
    """One plan row in the edit dialog."""
    return f"{row['status']:<11} {row['id']} — {row['issue']}"


def considerations_at(d: dict[str, Any]) -> list[str]:
    """The considerations an evaluator may rate at this decision (evidence and polarities)."""
    ids = {e["consideration"] for e in d["evidence"]}
    for p in d["polarities"]:
        ids |= {p["a"], p["b"]}
    return sorted(ids)
