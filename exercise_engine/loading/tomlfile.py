"""Read one TOML file into a dict, turning every way it can fail into a problem with a line.

tomllib's messages ("Cannot overwrite a value", "Unterminated string (at end of document)") are
put in a facilitator's words ("duplicate key 'mission'", "unclosed string" with the line where it
opened); a file nested deeper than the parser can recurse is reported, not crashed on.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from exercise_engine.loading.keylines import parse_key
from exercise_engine.loading.problems import Problem, Problems, SourceFile, display_name

_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_EOF = re.compile(r"\s*\(at end of document\)$")


def read_text(path: Path, problems: Problems) -> str | None:
    """The file's text, or None with a problem (missing, unreadable, binary, empty)."""
    name = display_name(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.add(name, (), "no such file")
        return None
    except IsADirectoryError:
        problems.add(name, (), "is a folder, not a TOML file")
        return None
    except OSError as exc:
        problems.add(name, (), f"cannot read the file: {exc.strerror or exc}")
        return None
    if b"\x00" in raw:
        problems.add(name, (), "not a text file (it looks binary); expected TOML")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.append(Problem(name, line, "", "not valid UTF-8 text; save it as UTF-8"))
        return None
    if not text.strip():
        problems.add(name, (), "the file is empty")
        return None
    return text


def parse_toml(
    name: str, text: str, problems: Problems
) -> tuple[dict[str, Any], SourceFile] | None:
    """Parse TOML text; a syntax error becomes ``file:line: TOML syntax: ...`` in plain words."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = _syntax_problem(str(exc), text)
        problems.append(Problem(name, line, "", f"TOML syntax: {message}"))
        return None
    except (RecursionError, MemoryError):
        # tomllib recurses once per level of [ or {: a few hundred levels exhaust the stack
        problems.append(
            Problem(
                name,
                _deep_line(text),
                "",
                "TOML syntax: lists or tables nested too deeply to read (keep it under 100 levels)",
            )
        )
        return None
    return data, SourceFile.of(name, text)


def _syntax_problem(raw: str, text: str) -> tuple[int | None, str]:
    """tomllib's message as a line and a sentence a facilitator understands."""
    line: int | None = None
    message = raw
    match = _TOML_AT.search(raw)
    if match:
        line = int(match[1])
        message = raw[: match.start()]
    elif _TOML_EOF.search(raw):
        line = text.count("\n") + 1
        message = _TOML_EOF.sub("", raw)
    if message == "Cannot overwrite a value" and line is not None:
        key = _key_on_line(text, line)
        if key:
            return line, f"duplicate key {key!r}: it is already set above"
        return line, "duplicate key: it is already set above"
    declared = _DECLARED_TWICE.match(message)
    if declared:
        table = ".".join(
            part.strip().strip("'\"") for part in declared[1].split(",") if part.strip()
        )
        return line, f"table [{table}] is declared twice"
    unclosed = message in ("Unterminated string", 'Expected "\'"') or (
        message.startswith("Illegal character '\\n'")
    )
    if unclosed:
        opened = _unclosed_string_line(text)
        return (opened or line), (
            "unclosed string: close the quotes on the same line, or use triple quotes for text"
            " over several lines"
        )
    words = _PLAIN.get(message)
    if words:
        return line, words
    return line, f"{message[:1].lower()}{message[1:]}"


_DECLARED_TWICE = re.compile(r"^Cannot declare \((.*)\) twice$")

_PLAIN = {
    "Unclosed array": "unclosed list: a '[' has no matching ']'",
    "Unclosed inline table": "unclosed inline table: a '{' has no matching '}'",
    "Invalid value": "invalid value: put text, ids and times in quotes",
    "Expected newline or end of document after a statement": (
        "expected the end of the line after the value: put text, ids and times in quotes"
    ),
}


def _key_on_line(text: str, line: int) -> str:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    parts, _ = parse_key(lines[line - 1].strip(), 0)
    return ".".join(parts)


def _unclosed_string_line(text: str) -> int | None:
    """The line on which a string that never closes was opened (None if none is found)."""
    lineno, i, n = 1, 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            lineno += 1
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif ch in "\"'":
            triple = text.startswith(ch * 3, i)
            quote = ch * 3 if triple else ch
            start_line, j = lineno, i + len(quote)
            while j < n:
                if ch == '"' and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(quote, j):
                    break
                if text[j] == "\n":
                    if not triple:
                        return start_line
                    lineno += 1
                j += 1
            else:
                return start_line
            i = j + len(quote)
            continue
        i += 1
    return None


def _deep_line(text: str) -> int | None:
    """The first line at which brackets nest more than 100 levels deep (strings aside)."""
    depth, lineno, quote = 0, 1, ""
    for ch in text:
        if ch == "\n":
            lineno += 1
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > 100:
                return lineno
        elif ch in "]}":
            depth -= 1
    return None


def load_toml(path: Path, problems: Problems) -> tuple[dict[str, Any], SourceFile] | None:
    """Read and parse one file; None (with problems recorded) when it cannot be used."""
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_toml(display_name(path), text, problems)
