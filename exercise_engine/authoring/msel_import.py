"""Turn a CSV MSEL into a complete scenario folder that validates.

``exercise-engine msel import FILE.csv --scenario SCENARIO --out DIR`` calls
:func:`import_msel`. The scenario file gives everything but the injects (setting, roles, world
state, phases, transitions, endings, its own considerations); the spreadsheet gives the injects,
all of them (the scenario's own injects are replaced). Written to DIR:

- ``DIR/<scenario file name>``: the scenario file rewritten with ``tomli-w``, holding the rows
  whose ``File`` is empty or the scenario file's name as inline ``[[inject]]`` tables, and
  ``injects = ["injects/*.toml"]`` when other files are written;
- ``DIR/injects/<File>``: one inject library file per other ``File`` value, rows in sheet order.

Nothing is written unless the whole result validates: the cells a spreadsheet holds in its own
way (``Manual``, the JSON columns, ``File``) are read row by row; then the assembled scenario is
loaded from a scratch folder by the real loader, and every problem it finds in an inject is
reported against the row it came from (``msel.csv:row 7: at: impossible time '00:75' ...``),
all at once.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercise_engine.authoring.msel import RowProblem, read_rows, row_inject, target_file
from exercise_engine.authoring.tomlout import dumps, library_text
from exercise_engine.loading import Problems, check_scenario
from exercise_engine.loading.problems import display_name

LIBRARY_FOLDER = "injects"
_INJECT_KEY = re.compile(r"^inject\[(\d+)\]\.?(.*)$")
_COLUMN_WORDS = {"to": "audience", "id": "inject_id"}


@dataclass
class ImportResult:
    """What the import found and wrote."""

    lines: list[str] = field(default_factory=list)
    """Every problem, as printed (errors and warnings)."""
    errors: int = 0
    written: list[Path] = field(default_factory=list)


@dataclass
class _Placed:
    row: int
    data: dict[str, Any]


def _column_key(key: str) -> str:
    head, dot, rest = key.partition(".")
    bracket = head.find("[")
    name, index = (head, "") if bracket < 0 else (head[:bracket], head[bracket:])
    return _COLUMN_WORDS.get(name, name) + index + dot + rest


def import_msel(
    csv_path: Path, scenario_path: Path, out_dir: Path, *, overwrite: bool = False
) -> ImportResult:
    """Read ``csv_path``, check it against ``scenario_path``, write the scenario into ``out_dir``."""
    result = ImportResult()
    sheet_name = display_name(csv_path)
    try:
        raw = csv_path.read_bytes()
    except OSError as exc:
        result.lines.append(f"{sheet_name}: cannot read it: {exc.strerror or exc}")
        result.errors += 1
        return result
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Excel's plain "CSV" is the machine's code page (cp1252 ...): name the first bad row
        before = raw[: exc.start].decode("utf-8-sig", errors="replace")
        delimiter = max((",", ";", "\t"), key=before.split("\n", 1)[0].count)
        # cells may span lines: count the records read up to the bad byte
        bad_row = len(list(csv.reader(io.StringIO(before + "x"), delimiter=delimiter)))
        result.lines.append(
            f"{sheet_name}:row {bad_row}: not UTF-8 text: save the sheet as 'CSV UTF-8' and import"
            " that file"
        )
        result.errors += 1
        return result
    sheet = read_rows(text)
    row_problems = list(sheet.problems)
    scenario_name = scenario_path.name
    files: dict[str, list[_Placed]] = {"": []}
    for number, row in sheet.rows:
        data, problems = row_inject(number, row, sheet.columns)
        row_problems += problems
        name, problem = target_file(row, scenario_name)
        if problem:
            row_problems.append(RowProblem(number, "file", problem))
        files.setdefault(name, []).append(_Placed(number, data))
    if any(p.row == 1 and p.severity == "error" for p in row_problems):
        _report(result, sheet_name, row_problems)
        return result  # without its columns the sheet cannot be read further

    header = _scenario_header(scenario_path, result, has_library=len(files) > 1)
    if header is None:
        return result
    exported_from = {row.get("scenario", "").strip() for _n, row in sheet.rows} - {""}
    if exported_from and header.get("id") not in exported_from:
        names = ", ".join(repr(name) for name in sorted(exported_from))
        result.lines.append(
            f"{sheet_name}: this MSEL was exported from scenario {names}, not"
            f" {header.get('id')!r}: give --scenario {sorted(exported_from)[0]}"
        )
        result.errors += 1
        return result
    texts = {scenario_name: dumps({**header, "inject": [p.data for p in files[""]]})}
    if not files[""]:
        texts[scenario_name] = dumps(header)
    for name, placed in files.items():
        if name:
            texts[f"{LIBRARY_FOLDER}/{name}"] = library_text([p.data for p in placed])

    # the loader checks each row's inject (its model, then against the scenario) in one pass
    with tempfile.TemporaryDirectory(prefix="msel-") as scratch:
        _write(Path(scratch), texts)
        rows_broken = any(p.severity == "error" for p in row_problems)
        row_problems += _check(result, Path(scratch), out_dir, scenario_path, files, rows_broken)
    _report(result, sheet_name, row_problems)
    if result.errors:
        return result
    _place(result, out_dir, texts, scenario_name, overwrite)
    return result


def _report(result: ImportResult, sheet_name: str, problems: list[RowProblem]) -> None:
    for problem in sorted(problems, key=lambda p: (p.row, p.severity != "error")):
        result.lines.append(problem.render(sheet_name))
        result.errors += problem.severity == "error"


def _scenario_header(
    scenario_path: Path, result: ImportResult, *, has_library: bool
) -> dict[str, Any] | None:
    """The scenario file's tables, without its injects, pointing at the written library."""
    try:
        data = tomllib.loads(scenario_path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        result.lines.append(f"{display_name(scenario_path)}: cannot read the scenario: {exc}")
        result.errors += 1
        return None
    header: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("inject", "injects"):
            continue
        header[key] = value
        if key == "roles" and has_library:
            header["injects"] = [f"{LIBRARY_FOLDER}/*.toml"]
    if has_library and "injects" not in header:
        header["injects"] = [f"{LIBRARY_FOLDER}/*.toml"]
    return header


def _write(folder: Path, texts: dict[str, str]) -> list[Path]:
    written = []
    for name, text in texts.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _check(
    result: ImportResult,
    scratch: Path,
    out_dir: Path,
    scenario_path: Path,
    files: dict[str, list[_Placed]],
    rows_broken: bool = False,
) -> list[RowProblem]:
    """Load the assembled scenario with the real loader; each inject's problem on its row.

    With ``rows_broken`` (some row already failed), problems of the scenario's own tables are
    left out: they are knock-ons of those rows (an objective naming a point whose row did not
    read), and the user fixes the rows first."""
    scenario_name = scenario_path.name
    found: list[RowProblem] = []
    problems = Problems()
    check_scenario(scratch / scenario_name, problems)
    rows_of = {
        display_name(scratch / (f"{LIBRARY_FOLDER}/{name}" if name else scenario_name)): placed
        for name, placed in files.items()
    }
    for problem in sorted(problems, key=lambda p: (p.file, p.line or 0)):
        placed = rows_of.get(problem.file)
        match = _INJECT_KEY.match(problem.key)
        if placed is not None and match and int(match[1]) < len(placed):
            found.append(
                RowProblem(
                    placed[int(match[1])].row,
                    _column_key(match[2]),
                    problem.message,
                    problem.severity,
                )
            )
            continue
        if rows_broken:
            continue
        # not an inject's row: a problem of the scenario's own tables, cited by key in the
        # scenario file given (line numbers of the scratch copy mean nothing to the user, and
        # the scratch folder's name must never reach them)
        where = problem.file
        line = f":{problem.line}" if problem.line is not None else ""
        if where == display_name(scratch / scenario_name):
            where, line = display_name(scenario_path), ""
        else:
            where = where.replace(display_name(scratch), display_name(out_dir))
        key = f" {problem.key}:" if problem.key else ""
        tag = "warning: " if problem.severity == "warning" else ""
        message = problem.message.replace(str(scratch), display_name(out_dir))
        result.lines.append(f"{where}{line}:{key} {tag}{message}")
        result.errors += problem.severity == "error"
    return found


def _place(
    result: ImportResult, out_dir: Path, texts: dict[str, str], scenario_name: str, overwrite: bool
) -> None:
    target = out_dir / scenario_name
    library = out_dir / LIBRARY_FOLDER
    stale = sorted(library.glob("*.toml")) if library.is_dir() else []
    if (target.exists() or stale) and not overwrite:
        what = display_name(target) if target.exists() else f"{display_name(library)}/*.toml"
        result.lines.append(f"{what} already exists: add --overwrite to replace it")
        result.errors += 1
        return
    for path in stale:
        path.unlink()
    if library.is_dir() and not any(library.iterdir()):
        shutil.rmtree(library)
    out_dir.mkdir(parents=True, exist_ok=True)
    result.written = _write(out_dir, texts)
    problems = Problems()
    check_scenario(target, problems)
    for problem in problems.errors:
        result.lines.append(str(problem))
        result.errors += 1
