"""Map a TOML key path to the line it is written on.

``tomllib`` reports lines only for syntax errors; pydantic reports a ``loc`` tuple such as
``("inject", 2, "decisions", 0, "role")``. This scanner reads the text once and records the line of
every table header and key, with the indices of arrays of tables, so every problem can be reported
as ``file:line``. When a path is not written literally (a value inside an inline table or an array)
the line of its nearest written ancestor is used: the loader never invents a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def parse_key(text: str, pos: int) -> tuple[list[str], int]:
    """Parse a (possibly dotted, possibly quoted) key starting at ``pos``; return parts and end."""
    parts: list[str] = []
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos >= n:
            break
        ch = text[pos]
        if ch in "\"'":
            end = pos + 1
            buf = []
            while end < n and text[end] != ch:
                if ch == '"' and text[end] == "\\" and end + 1 < n:
                    buf.append(text[end + 1])
                    end += 2
                    continue
                buf.append(text[end])
                end += 1
            parts.append("".join(buf))
            pos = end + 1
        else:
            match = _BARE_KEY.match(text, pos)
            if not match:
                break
            parts.append(match.group())
            pos = match.end()
        while pos < n and text[pos] in " \t":
            pos += 1
        if pos < n and text[pos] == ".":
            pos += 1
            continue
        break
    return parts, pos


class KeyLines:
    """Line numbers (1-based) of the keys and tables written in one TOML text."""

    def __init__(self, text: str) -> None:
        self.lines: dict[KeyPath, int] = {}
        self._aot_counts: dict[KeyPath, int] = {}
        self._scan(text)

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of ``path`` or of its nearest written ancestor; None if nothing matches."""
        key = tuple(path)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None

    def _resolve(self, parts: list[str]) -> KeyPath:
        """Concrete path of a header's parts, entering the latest element of arrays of tables."""
        path: KeyPath = ()
        for part in parts:
            path = (*path, part)
            if path in self._aot_counts:
                path = (*path, self._aot_counts[path] - 1)
        return path

    def _scan(self, text: str) -> None:
        table: KeyPath = ()
        multiline: str | None = None
        depth = 0  # open brackets of a multi-line array value
        for lineno, raw in enumerate(text.splitlines(), start=1):
            if multiline is not None:
                if multiline in raw:
                    rest = raw.split(multiline, 1)[1]
                    multiline = None
                    depth += bracket_delta(rest)
                continue
            if depth > 0:
                depth += bracket_delta(raw)
                depth = max(depth, 0)
                continue
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("[["):
                parts, _ = parse_key(line, 2)
                if parts:
                    prefix = self._resolve(parts[:-1])
                    aot = (*prefix, parts[-1])
                    self._aot_counts[aot] = self._aot_counts.get(aot, 0) + 1
                    table = (*aot, self._aot_counts[aot] - 1)
                    self.lines.setdefault(aot, lineno)
                    self.lines[table] = lineno
                continue
            if line.startswith("["):
                parts, _ = parse_key(line, 1)
                if parts:
                    table = self._resolve(parts)
                    self.lines.setdefault(table, lineno)
                continue
            parts, pos = parse_key(line, 0)
            if not parts or pos >= len(line) or line[pos] != "=":
                continue
            for i in range(1, len(parts) + 1):
                self.lines.setdefault((*table, *parts[:i]), lineno)
            value = line[pos + 1 :].strip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    multiline = quote
                    break
            else:
                depth = max(bracket_delta(value), 0)


def bracket_delta(text: str) -> int:
    """Net count of ``[``/``{`` over ``]``/``}`` outside strings and comments in one line."""
    delta = 0
    quote: str | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            break
        elif ch in "[{":
            delta += 1
        elif ch in "]}":
            delta -= 1
        i += 1
    return delta
