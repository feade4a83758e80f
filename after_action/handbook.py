"""The facilitator's handbook of considerations, generated from the catalogue.

``docs/considerations.md`` is this module's output; a test keeps the two in step, so the handbook
a course director reads is always the catalogue the scorer uses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from exercise_engine.model import Consideration, Role

DOCS = {
    "001_3fc6dd05fdfc6643.txt": "Considerations for Mission Leadership in UN Peace Operations (Challenges Forum, 2nd ed. 2021)",
    "000_8192ea23d52bbb45.txt": "Considerations for Mission Leadership, ch. 4 (web edition)",
    "002_7c708c819b22cc84.txt": "Conflicting Means, Converging Goals: Civilian Protection and SSR (summary)",
    "004_973f83d869b78ba8.txt": "Conflicting Means, Converging Goals: Civilian Protection and SSR (Gorur)",
    "003_86c4c17a89bd3cea.txt": "Leadership and Cooperation to Strengthen Protection of Civilians (Persson, Challenges Forum)",
}
"""The source documents the catalogue cites, by file name."""


def source_name(doc: str) -> str:
    """A source document as a reader knows it (its title), not the seed's file name."""
    return DOCS.get(doc, doc)


def filter_considerations(
    considerations: Iterable[Consideration],
    *,
    area: str | None = None,
    role: str | None = None,
    search: str | None = None,
) -> list[Consideration]:
    """Considerations matching every filter given (area or id prefix; role; text anywhere)."""
    out = []
    for c in considerations:
        if area and area.lower() not in (c.area.lower(), c.id.split(".")[0]):
            continue
        if role and role not in c.roles:
            continue
        if search:
            haystack = " ".join(
                [c.id, c.area, c.statement, *c.indicators, c.source.section]
            ).lower()
            if search.lower() not in haystack:
                continue
        out.append(c)
    return out


def handbook_markdown(
    considerations: Mapping[str, Consideration], roles: Mapping[str, Role]
) -> str:
    """The whole handbook as Markdown, areas in catalogue order."""
    by_area: dict[str, list[Consideration]] = defaultdict(list)
    for c in considerations.values():
        by_area[c.area].append(c)
    pairs = {tuple(sorted((c.id, t))) for c in considerations.values() for t in c.tension_with}
    lines = [
        "# Considerations handbook",
        "",
        "<!-- Generated from after_action/considerations/*.toml by",
        "     `exercise-engine considerations --format md`; do not edit by hand. -->",
        "",
        f"The catalogue the after-action scorer uses: {len(considerations)} considerations in "
        f"{len(by_area)} areas, with {len(pairs)} named tensions (polarities). Each is a checkable "
        "item of good practice, written in the project's own words from the study and cited to its "
        "section. Most of them are not boxes to tick: the study presents leadership choices as "
        "tensions to manage, and the scorer rewards a decision that visibly weighs both sides.",
        "",
        "Sources:",
        "",
    ]
    lines += [f"- `{doc}` — {title}" for doc, title in DOCS.items()]
    lines += ["", "## Areas", ""]
    lines += [f"- [{area}](#{_anchor(area)}) ({len(items)})" for area, items in by_area.items()]
    for area, items in by_area.items():
        lines += ["", f"## {area}", ""]
        for c in items:
            who = ", ".join(roles[r].abbreviation or r if r in roles else r for r in c.roles) or "—"
            lines.append(f"### `{c.id}`")
            lines.append("")
            lines.append(c.statement)
            lines.append("")
            lines.append(f"- **Source:** {c.source.section} (`{c.source.doc}`)")
            lines.append(f"- **Roles:** {who}")
            if c.indicators:
                lines.append(
                    f"- **Indicators in a rationale:** {', '.join(repr(i) for i in c.indicators)}"
                )
            if c.tension_with:
                lines.append(
                    f"- **In tension with:** {', '.join(f'`{t}`' for t in c.tension_with)}"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _anchor(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")
