"""The MSEL as a spreadsheet: one row per inject, HSEEP-style columns first.

``exercise-engine msel export`` writes :func:`export_rows` as CSV; ``msel import`` reads a CSV
with :func:`read_rows` and :func:`row_inject`, then ``exercise_engine.authoring.msel_import``
writes the scenario. Facilitators plan in spreadsheets; the first eleven columns are what an
HSEEP Master Scenario Events List shows (time, scenario date-time, inject id, title, channel,
sender, audience, synopsis, decision points, considerations, expected action). The columns after
them carry everything else an inject holds (its exact triggers, body, variants and decision
points, the last two as compact JSON), so export then import loses nothing.

Cells are written so a spreadsheet program shows them as text: one starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return would be run as a formula (CSV injection), so it gets the
``'`` prefix spreadsheets read as "this is text"; import takes that prefix off again (the round
trip is exact) and warns on a cell that starts that way without it.

Reading is forgiving where a hand-made spreadsheet differs: headers match whatever their case,
spacing or bracketed notes; ``;``, ``,`` and tab separators are all recognised; without an
``At`` column, ``Time`` is the delivery time; without ``Body``, the synopsis is the body.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from exercise_engine.authoring.tomlout import inject_data
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model import ALL, Inject
from exercise_engine.model.times import format_duration

COLUMNS: list[tuple[str, str]] = [
    # (key, header as exported)
    ("time", "Time"),
    ("scenario_time", "Scenario time"),
    ("inject_id", "Inject ID"),
    ("title", "Title"),
    ("channel", "Channel"),
    ("sender", "Sender"),
    ("audience", "Audience"),
    ("synopsis", "Synopsis"),
    ("decision_points", "Decision points"),
    ("considerations", "Considerations"),
    ("expected_action", "Expected action"),
    ("at", "At"),
    ("after", "After"),
    ("after_delay", "After delay"),
    ("when", "When"),
    ("phase", "Phase"),
    ("manual", "Manual"),
    ("body", "Body"),
    ("variants", "Variants (JSON)"),
    ("decisions", "Decisions (JSON)"),
    ("file", "File"),
    ("scenario", "Scenario"),
]
"""Every column, in export order. ``Scenario`` (the id the MSEL was exported from) lets import
say so when the sheet is joined to another scenario."""

INFORMATION_ONLY = {"scenario_time", "decision_points", "considerations", "scenario"}
"""Columns worked out from the others on export, and not read back on import."""

ALIASES = {
    "id": "inject_id",
    "inject": "inject_id",
    "to": "audience",
    "recipients": "audience",
    "from": "sender",
    "method": "channel",
    "scenario_date_time": "scenario_time",
    "delay": "after_delay",
    "message": "body",
    "text": "body",
}
"""Other headers a hand-made MSEL may use for our columns."""

REQUIRED = ("inject_id", "title", "channel", "sender", "audience")

SCENARIO_TIME_FORMAT = "%Y-%m-%d %H:%M"


# --- export ----------------------------------------------------------------------------------


def planned_time(
    scenario: LoadedScenario, inject: Inject, seen: frozenset[str] = frozenset()
) -> int | None:
    """The inject's time on the MSEL: its ``at``, or its ``after`` chain's sum; None otherwise."""
    if inject.manual:
        return None
    times: list[int] = []
    if inject.at is not None:
        times.append(inject.at)
    if inject.after is not None:
        target = scenario.injects.get(inject.after.inject)
        if target is None or target.id in seen:
            return None
        base = planned_time(scenario, target, seen | {inject.id})
        if base is None:
            return inject.at
        times.append(base + inject.after.delay)
    return max(times) if times else None


def _audience(value: tuple[str, ...]) -> str:
    return ALL if ALL in value else "; ".join(value)


def _points_summary(inject: Inject) -> str:
    lines = []
    for point in inject.decisions:
        window = f", within {format_duration(point.respond_within)}" if point.respond_within else ""
        answers = " | ".join(o.id for o in point.options) or "written answer"
        lines.append(f"{point.id} ({point.role}{window}): {point.prompt} [{answers}]")
    return "\n".join(lines)


def _considerations(inject: Inject) -> str:
    ids: list[str] = []
    for point in inject.decisions:
        outcomes = [*point.options, *([point.on_expire] if point.on_expire else [])]
        for outcome in outcomes:
            ids += [cid for cid in outcome.evidence if cid not in ids]
    return "; ".join(sorted(ids))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else ""


def export_rows(scenario: LoadedScenario) -> list[dict[str, str]]:
    """One row per inject, in the scenario's order (the order ties are delivered in)."""
    main = scenario.sources[0].name if scenario.sources else ""
    rows: list[dict[str, str]] = []
    for iid, inject in scenario.injects.items():
        data = inject_data(inject)
        time = planned_time(scenario, inject)
        when = ""
        if time is not None:
            start = scenario.file.clock.start + timedelta(seconds=time)
            when = start.strftime(SCENARIO_TIME_FORMAT)
        source = scenario.inject_files.get(iid, main)
        rows.append(
            {
                "time": format_duration(time) if time is not None else "",
                "scenario_time": when,
                "inject_id": iid,
                "title": inject.title,
                "channel": inject.channel,
                "sender": inject.sender,
                "audience": _audience(inject.to),
                "synopsis": inject.synopsis,
                "decision_points": _points_summary(inject),
                "considerations": _considerations(inject),
                "expected_action": inject.expected_action,
                "at": format_duration(inject.at) if inject.at is not None else "",
                "after": inject.after.inject if inject.after else "",
                "after_delay": format_duration(inject.after.delay) if inject.after else "",
                "when": inject.when or "",
                "phase": inject.phase or "",
                "manual": "yes" if inject.manual else "",
                "body": inject.body,
                "variants": _json(data.get("variants")),
                "decisions": _json(data.get("decisions")),
                "file": Path(source).name,
                "scenario": scenario.id,
            }
        )
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program reads as the start of a formula (OWASP's CSV injection list)."""


def needs_guard(cell: str) -> bool:
    """Whether a cell would be taken for a formula, or is text that already looks guarded."""
    return cell.startswith(FORMULA_STARTS) or (cell.startswith("'") and needs_guard(cell[1:]))


def guard(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: a leading ``'`` where it could be a formula."""
    return f"'{cell}" if needs_guard(cell) else cell


def unguard(cell: str) -> str:
    """Undo :func:`guard` (a cell that did not need the prefix keeps its own ``'``)."""
    return cell[1:] if cell.startswith("'") and needs_guard(cell[1:]) else cell


def write_csv(rows: Iterable[dict[str, str]], stream: io.TextIOBase | Any) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([header for _key, header in COLUMNS])
    for row in rows:
        writer.writerow([guard(row.get(key, "")) for key, _header in COLUMNS])


# --- import ----------------------------------------------------------------------------------


@dataclass
class RowProblem:
    """A problem with one spreadsheet row (row 1 is the header), printed as ``file:row N: ...``."""

    row: int
    key: str
    message: str
    severity: str = "error"

    def render(self, name: str) -> str:
        key = f" {self.key}:" if self.key else ""
        tag = "warning: " if self.severity == "warning" else ""
        return f"{name}:row {self.row}:{key} {tag}{self.message}"


@dataclass
class Sheet:
    """The rows of a CSV MSEL, keyed by our column names, with their spreadsheet row numbers."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def column_key(header: str) -> str:
    """Our column name for a header: ``Variants (JSON)`` -> ``variants``, ``To`` -> ``audience``."""
    key = re.sub(r"\(.*?\)", "", header).strip().lower()
    key = re.sub(r"[^a-z0-9]+", "_", key).strip("_")
    return ALIASES.get(key, key)


def read_rows(text: str) -> Sheet:
    """Parse CSV text; header problems are reported on row 1."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    known = {key for key, _header in COLUMNS}
    if not records:
        return Sheet([], problems=[RowProblem(1, "", "the file is empty: expected a header row")])
    headers = records[0]
    columns = [column_key(h) for h in headers]
    sheet = Sheet(columns)
    for header, key in zip(headers, columns, strict=True):
        if key and key not in known:
            sheet.problems.append(
                RowProblem(
                    1, "", f"column {header!r} is not one this tool reads: ignored", "warning"
                )
            )
    for key in REQUIRED:
        if key not in columns:
            header = dict(COLUMNS)[key]
            sheet.problems.append(RowProblem(1, "", f"missing column {header!r}"))
    if "body" not in columns and "synopsis" not in columns:
        sheet.problems.append(RowProblem(1, "", "missing column 'Body' (or 'Synopsis')"))
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        row: dict[str, str] = {}
        for header, key, cell in zip(headers, columns, record, strict=False):
            if key not in known:
                continue
            if cell.startswith(FORMULA_STARTS) and cell.strip():
                sheet.problems.append(
                    RowProblem(
                        number,
                        key,
                        f"the {header!r} cell starts with {cell[0]!r}: a spreadsheet program may"
                        " run it as a formula (write ' before it); read as text",
                        "warning",
                    )
                )
            row[key] = unguard(cell)
        sheet.rows.append((number, row))
    return sheet


_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"", "no", "n", "false", "0"}


def _json_list(text: str, key: str, number: int, problems: list[RowProblem]) -> list[Any] | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            RowProblem(number, key, f"not valid JSON ({exc.msg} at column {exc.colno})")
        )
        return None
    if not isinstance(value, list):
        problems.append(RowProblem(number, key, "expected a JSON list [ ... ] of tables"))
        return None
    return value


def row_inject(
    number: int, row: dict[str, str], columns: list[str]
) -> tuple[dict[str, Any], list[RowProblem]]:
    """The ``[[inject]]`` table a row stands for, and what is wrong with the row's cells."""
    problems: list[RowProblem] = []

    def cell(key: str) -> str:
        return row.get(key, "").strip()

    data: dict[str, Any] = {"id": cell("inject_id"), "title": cell("title")}
    at = cell("at") if "at" in columns else cell("time")
    if at:
        data["at"] = at
    if cell("after"):
        after: dict[str, Any] = {"inject": cell("after")}
        if cell("after_delay"):
            after["delay"] = cell("after_delay")
        data["after"] = after
    for key in ("when", "phase"):
        if cell(key):
            data[key] = cell(key)
    manual = cell("manual").lower()
    if manual in _TRUE:
        data["manual"] = True
    elif manual not in _FALSE:
        problems.append(RowProblem(number, "manual", f"expected yes or no, got {cell('manual')!r}"))
    data["channel"] = cell("channel")
    data["sender"] = cell("sender")
    audience = cell("audience")
    roles = [r for r in re.split(r"[;,\s]+", audience) if r]
    data["to"] = ALL if roles == [ALL] else roles
    for key in ("synopsis", "expected_action"):
        if cell(key):
            data[key] = cell(key)
    body = row.get("body", "") if "body" in columns else row.get("synopsis", "")
    data["body"] = body
    for key in ("variants", "decisions"):
        if cell(key):
            value = _json_list(cell(key), key, number, problems)
            if value is not None:
                data[key] = value
    return data, problems


def target_file(row: dict[str, str], scenario_name: str) -> tuple[str, str]:
    """Where the row's inject is written: ``''`` (inline, in the scenario file) or a file name.

    Returns (file name or '', problem message or '').
    """
    name = Path(row.get("file", "").strip()).name
    if not name or name == scenario_name:
        return "", ""
    if not re.fullmatch(r"[A-Za-z0-9._-]+", name):
        return "", f"file name {name!r} may hold only letters, digits, '.', '-' and '_'"
    if not name.endswith(".toml"):
        name += ".toml"
    return name, ""
