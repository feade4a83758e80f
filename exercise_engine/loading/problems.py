"""Problems found while loading: where (file, line, dotted key) and what, in TOML words.

Every loader step appends to one :class:`Problems` collection instead of raising, so a facilitator
sees every mistake at once. Pydantic's messages are translated into the words a facilitator reads
in the format reference ("expected a string", "unknown key ... did you mean ...").
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from exercise_engine.errors import ExerciseError
from exercise_engine.loading.keylines import KeyLines, KeyPath

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as ``file:line: dotted.key: message``."""

    file: str
    line: int | None
    key: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        key = f" {self.key}:" if self.key else ""
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}:{key} {tag}{self.message}"


def dotted(path: Sequence[str | int]) -> str:
    """Render a key path as TOML words: ``inject[2].decisions[0].role``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}" if _bare(part) else f'."{part}"'
        else:
            out = part if _bare(part) else f'"{part}"'
    return out


def _bare(part: str) -> bool:
    return bool(part) and all(c.isalnum() or c in "_-" for c in part)


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass
class SourceFile:
    """A TOML text being loaded, with its key-line map."""

    name: str
    text: str
    lines: KeyLines

    @classmethod
    def of(cls, name: str, text: str) -> SourceFile:
        return cls(name=name, text=text, lines=KeyLines(text))


@dataclass
class Problems:
    """The growing list of findings of one load.

    A problem is recorded once: the same finding reached by two checks is shown once. The set
    beside the list keeps that check constant-time, so a file with thousands of duplicated ids
    is still checked in linear time.
    """

    items: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen.update(self.items)

    def add(
        self,
        source: SourceFile | str,
        path: KeyPath,
        message: str,
        severity: Severity = "error",
    ) -> None:
        if isinstance(source, SourceFile):
            name, line = source.name, source.lines.line_of(path)
        else:
            name, line = source, None
        self.append(Problem(name, line, dotted(path), message, severity))

    def append(self, problem: Problem) -> None:
        """Record a ready-made problem (once)."""
        if problem not in self._seen:
            self._seen.add(problem)
            self.items.append(problem)

    def extend(self, other: Problems) -> None:
        for item in other.items:
            self.append(item)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __bool__(self) -> bool:
        return bool(self.errors)


class LoadError(ExerciseError):
    """Loading failed; ``problems`` holds every finding (errors and warnings)."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems.errors))


def display_name(path: Path) -> str:
    """A path as the facilitator would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- pydantic errors in TOML words ------------------------------------------------------------

_TYPE_WORDS = {
    "string_type": "expected a string (text in quotes)",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list [ ... ]",
    "tuple_type": "expected a list [ ... ]",
    "dict_type": "expected a table",
    "model_type": "expected a table",
    "model_attributes_type": "expected a table",
    "datetime_type": "expected a date-time like '2014-10-07T05:00'",
    "datetime_parsing": "expected a date-time like '2014-10-07T05:00'",
    "datetime_from_date_parsing": "expected a date-time like '2014-10-07T05:00'",
}


_BOUND_WORDS = {
    "greater_than": "must be more than {}",
    "greater_than_equal": "must be at least {}",
    "less_than": "must be less than {}",
    "less_than_equal": "must be at most {}",
    "string_too_short": "must be at least {} character(s) long",
    "too_short": "must have at least {} item(s)",
}


def pydantic_problems(
    problems: Problems,
    source: SourceFile,
    error: ValidationError,
    model: type[BaseModel],
    prefix: KeyPath = (),
) -> None:
    """Translate every error of ``error`` (raised validating ``model`` at ``prefix``)."""
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        kind = item["type"]
        path: KeyPath = (*prefix, *loc)
        if kind == "missing":
            problems.add(source, path[:-1], f"missing required key {loc[-1]!r}")
        elif kind == "extra_forbidden":
            known = field_names_at(model, loc[:-1])
            problems.add(source, path, f"unknown key {loc[-1]!r}{suggest(str(loc[-1]), known)}")
        elif kind in _TYPE_WORDS:
            problems.add(source, path, f"{_TYPE_WORDS[kind]}, got {_show(item.get('input'))}")
        elif kind in _BOUND_WORDS:
            ctx = item.get("ctx", {})
            bound = next(iter(ctx.values()), "")
            problems.add(
                source, path, f"{_BOUND_WORDS[kind].format(bound)}, got {_show(item.get('input'))}"
            )
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            problems.add(
                source, path, f"expected one of {expected}, got {_show(item.get('input'))}"
            )
        elif kind in ("value_error", "assertion_error"):
            message = (
                str(item["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
            )
            problems.add(source, path, message)
        else:
            problems.add(source, path, _lower_first(str(item["msg"])))


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def field_names_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys the model accepts at ``loc`` (aliases where set), for "did you mean"."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else args[0]
        else:
            return annotation


def _step(annotation: Any, part: str | int) -> Any:
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if isinstance(part, int):
        if origin in (tuple, list):
            return typing.get_args(annotation)[0]
        return None
    if origin is dict:
        return typing.get_args(annotation)[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
    return None
