"""Hand-written inline SVG charts for the HTML report (no JavaScript, no external files).

Why by hand: the report must be one self-contained file an evaluator can e-mail or print, and
three simple chart kinds do not justify a plotting dependency. Colours carry meaning only with a
text label beside them (readable in print and by colour-blind readers).
"""

from __future__ import annotations

from html import escape
from typing import Any

from exercise_engine.model import format_duration

RATING_COLOURS = {"P": "#2e7d32", "S": "#9e9d24", "M": "#ef6c00", "U": "#c62828"}
FONT = 'font-family="sans-serif" font-size="11"'


def bar_chart(
    title: str, rows: list[tuple[str, float | None, str]], maximum: float = 100.0, unit: str = ""
) -> str:
    """Horizontal bars: (label, value or None for "no data", colour)."""
    label_w, bar_w, row_h = 230, 320, 22
    height = 30 + row_h * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" width="{label_w + bar_w + 70}" height="{height}" {FONT}>'
    ]
    parts.append(f'<text x="0" y="14" font-weight="bold">{escape(title)}</text>')
    for i, (label, value, colour) in enumerate(rows):
        y = 24 + i * row_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" fill="#eeeeee"/>'
        )
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 14}" fill="#666">no evidence</text>')
            continue
        width = max(0.0, min(1.0, value / maximum)) * bar_w
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" fill="{colour}"/>'
        )
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{value:g}{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def timeline_chart(
    timeline: list[dict[str, Any]], roles: dict[str, str], decisions: list[Any]
) -> str:
    """Injects and decisions per role along exercise time, with the phases marked."""
    if not timeline:
        return ""
    end = max(row["at"] for row in timeline) or 1
    label_w, width, row_h, top = 270, 560, 26, 44
    role_ids = list(roles)
    height = top + 24 + row_h * len(role_ids)

    def x(t: float) -> float:
        return label_w + (t / end) * width

    def row_y(role: str) -> int:
        return top + role_ids.index(role) * row_h

    rating_of = {(d.inject, d.decision): d.rating for d in decisions}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Timeline of injects and decisions" '
        f'width="{label_w + width + 20}" height="{height}" {FONT}>',
        '<text x="0" y="14" font-weight="bold">Timeline: injects (circles), decisions (diamonds, '
        "coloured by rating), expiries (crosses); dashed lines open a phase</text>",
    ]
    for role in role_ids:
        label = roles[role] if len(roles[role]) <= 44 else roles[role][:43] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{row_y(role) + 4}" text-anchor="end">{escape(label)}</text>'
        )
        parts.append(
            f'<line x1="{label_w}" y1="{row_y(role)}" x2="{label_w + width}" y2="{row_y(role)}" stroke="#dddddd"/>'
        )
    for row in timeline:
        px = x(row["at"])
        if row["kind"] == "phase":
            name = row["text"].split(":")[0].removeprefix("phase ")
            parts.append(
                f'<line x1="{px:.1f}" y1="{top - 12}" x2="{px:.1f}" y2="{height - 18}" stroke="#90a4ae" stroke-dasharray="3,3"/>'
            )
            parts.append(
                f'<text x="{px + 3:.1f}" y="{top - 14}" fill="#607d8b">{escape(name)}</text>'
            )
            continue
        tip = f"<title>{escape(format_duration(row['at']))} {escape(row['text'])}</title>"
        for role in row["roles"]:
            if role not in roles:
                continue
            y = row_y(role)
            if row["kind"] == "inject":
                parts.append(f'<circle cx="{px:.1f}" cy="{y}" r="3" fill="#546e7a">{tip}</circle>')
            elif row["kind"] == "decision":
                inject, _, point = row["text"].split(":")[0].partition("/")
                colour = RATING_COLOURS.get(rating_of.get((inject, point), ""), "#546e7a")
                parts.append(
                    f'<path d="M{px:.1f},{y - 6} l6,6 l-6,6 l-6,-6 z" fill="{colour}">{tip}</path>'
                )
            elif row["kind"] == "expired":
                parts.append(
                    f'<path d="M{px - 5:.1f},{y - 5} l10,10 m0,-10 l-10,10" stroke="#c62828" stroke-width="2">{tip}</path>'
                )
    parts.append(f'<text x="{label_w}" y="{height - 4}" fill="#666">00:00</text>')
    parts.append(
        f'<text x="{label_w + width}" y="{height - 4}" text-anchor="end" fill="#666">{format_duration(end)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
