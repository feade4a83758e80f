"""Read one TOML file into a dict, turning every way it can fail into a problem with a line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

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
    """Parse TOML text; a syntax error becomes ``file:line: TOML syntax: ...``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line: int | None = None
        match = _TOML_AT.search(message)
        if match:
            line = int(match[1])
            message = message[: match.start()]
        elif _TOML_EOF.search(message):
            line = text.count("\n") + 1
            message = _TOML_EOF.sub("", message)
        problems.append(Problem(name, line, "", f"TOML syntax: {message[:1].lower()}{message[1:]}"))
        return None
    return data, SourceFile.of(name, text)


def load_toml(path: Path, problems: Problems) -> tuple[dict[str, Any], SourceFile] | None:
    """Read and parse one file; None (with problems recorded) when it cannot be used."""
    text = read_text(path, problems)
    if text is None:
        return None
    return parse_toml(display_name(path), text, problems)
