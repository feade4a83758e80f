"""Form fields <-> TOML tables, for the inject editor (``exercise_engine.ui.author``).

The editor shows each key of an inject, decision point or option as one line of text (or a
checkbox) and keeps what the facilitator typed as the TOML table it stands for, with the keys a
facilitator would write by hand. Tables such as ``effects`` are typed the way they read in
the format reference, without braces: ``civilian_risk = -15, tension = 5`` or
``uof.proportionate = 2`` (consideration ids need no quotes here). Everything here is plain
Python, so the conversions are tested without a terminal.
"""

from __future__ import annotations

import re
from typing import Any

from exercise_engine.model import ALL

Fields = dict[str, Any]
"""A form's values: text for inputs, bool for checkboxes."""

INJECT_TEXT = (
    "id",
    "title",
    "at",
    "after",
    "after_delay",
    "when",
    "phase",
    "channel",
    "sender",
    "to",
    "synopsis",
    "expected_action",
    "body",
)
DECISION_TEXT = (
    "id",
    "role",
    "prompt",
    "respond_within",
    "consult",
    "expire_effects",
    "expire_set",
    "expire_evidence",
    "expire_outcome",
)
OPTION_TEXT = ("id", "label", "effects", "set", "evidence", "outcome")
PAIR_KINDS = {"effects": "number", "set": "flag_or_number", "evidence": "weight"}


class FieldError(ValueError):
    """A field's text cannot become the TOML value it stands for."""


def _number_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def format_pairs(table: dict[str, Any] | None) -> str:
    """``{'civilian_risk': -15}`` -> ``civilian_risk = -15``."""
    return ", ".join(f"{k} = {_number_text(v)}" for k, v in (table or {}).items())


_PAIR = re.compile(r'^\s*("?)([^"=\s]+)\1\s*=\s*(\S+)\s*$')


def parse_pairs(text: str, kind: str) -> dict[str, Any]:
    """``name = value`` pairs separated by commas, semicolons or new lines; FieldError if not."""
    out: dict[str, Any] = {}
    for part in re.split(r"[,;\n]", text.strip().strip("{}")):
        if not part.strip():
            continue
        match = _PAIR.match(part)
        if match is None:
            raise FieldError(f"expected name = value, got {part.strip()!r}")
        name, raw = match[2], match[3]
        if raw in ("true", "false"):
            if kind != "flag_or_number":
                raise FieldError(f"{name}: expected a number, got {raw}")
            out[name] = raw == "true"
            continue
        try:
            value: float | int = int(raw) if re.fullmatch(r"[+-]?\d+", raw) else float(raw)
        except ValueError:
            raise FieldError(f"{name}: expected a number, got {raw!r}") from None
        if kind == "weight" and not isinstance(value, int):
            raise FieldError(f"{name}: expected a whole number from -3 to 3, got {raw}")
        out[name] = value
    return out


def format_roles(value: Any) -> str:
    if value == ALL or value == [ALL]:
        return ALL
    return ", ".join(value or [])


def parse_roles(text: str, allow_all: bool = True) -> str | list[str]:
    roles = [r for r in re.split(r"[,;\s]+", text.strip()) if r]
    if allow_all and roles == [ALL]:
        return ALL
    return roles


def _put(data: dict[str, Any], key: str, text: str) -> None:
    if text.strip():
        data[key] = text if "\n" in text else text.strip()


# --- injects ---------------------------------------------------------------------------------


def inject_fields(data: dict[str, Any]) -> Fields:
    """An ``[[inject]]`` table as the inject form shows it."""
    after = data.get("after") or {}
    fields: Fields = {key: str(data.get(key, "")) for key in INJECT_TEXT}
    fields["after"] = str(after.get("inject", "")) if isinstance(after, dict) else ""
    fields["after_delay"] = str(after.get("delay", "")) if isinstance(after, dict) else ""
    fields["to"] = format_roles(data.get("to", []))
    fields["manual"] = bool(data.get("manual", False))
    return fields


def inject_table(fields: Fields, keep: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``[[inject]]`` table for the form's values; ``keep``'s variants and decisions stay."""
    data: dict[str, Any] = {}
    for key in ("id", "title", "at"):
        _put(data, key, fields.get(key, ""))
    if fields.get("after", "").strip():
        after = {"inject": fields["after"].strip()}
        _put(after, "delay", fields.get("after_delay", ""))
        data["after"] = after
    for key in ("when", "phase"):
        _put(data, key, fields.get(key, ""))
    if fields.get("manual"):
        data["manual"] = True
    for key in ("channel", "sender"):
        _put(data, key, fields.get(key, ""))
    data["to"] = parse_roles(fields.get("to", ""))
    for key in ("synopsis", "expected_action"):
        _put(data, key, fields.get(key, ""))
    data["body"] = fields.get("body", "")
    for key in ("variants", "decisions"):
        if keep and keep.get(key):
            data[key] = keep[key]
    return data


# --- decision points and options -------------------------------------------------------------


def decision_fields(data: dict[str, Any]) -> Fields:
    expire = data.get("on_expire") or {}
    fields: Fields = {key: str(data.get(key, "")) for key in DECISION_TEXT[:4]}
    fields["consult"] = format_roles(data.get("consult", []))
    fields["free_text"] = bool(data.get("free_text", True))
    for key in ("effects", "set", "evidence"):
        fields[f"expire_{key}"] = format_pairs(expire.get(key))
    fields["expire_outcome"] = str(expire.get("outcome", ""))
    return fields


def decision_table(
    fields: Fields, options: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``[[inject.decisions]]`` table, and errors of fields that could not be read."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in ("id", "role", "prompt", "respond_within"):
        _put(data, key, fields.get(key, ""))
    consult = parse_roles(fields.get("consult", ""), allow_all=False)
    if consult:
        data["consult"] = consult
    if not fields.get("free_text", True):
        data["free_text"] = False
    if options:
        data["options"] = options
    expire: dict[str, Any] = {}
    for key, kind in PAIR_KINDS.items():
        try:
            table = parse_pairs(fields.get(f"expire_{key}", ""), kind)
        except FieldError as exc:
            errors[f"expire_{key}"] = str(exc)
            continue
        if table:
            expire[key] = table
    _put(expire, "outcome", fields.get("expire_outcome", ""))
    if expire:
        data["on_expire"] = expire
    return data, errors


def option_fields(data: dict[str, Any]) -> Fields:
    fields: Fields = {key: str(data.get(key, "")) for key in ("id", "label", "outcome")}
    for key in PAIR_KINDS:
        fields[key] = format_pairs(data.get(key))
    return fields


def option_table(fields: Fields) -> tuple[dict[str, Any], dict[str, str]]:
    """The ``[[inject.decisions.options]]`` table, and errors of fields that could not be read."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in ("id", "label"):
        _put(data, key, fields.get(key, ""))
    for key, kind in PAIR_KINDS.items():
        try:
            table = parse_pairs(fields.get(key, ""), kind)
        except FieldError as exc:
            errors[key] = str(exc)
            continue
        if table:
            data[key] = table
    _put(data, "outcome", fields.get("outcome", ""))
    return data, errors


def next_id(ids: list[str], fallback: str = "inject-01") -> str:
    """A fresh id after the last one with a number: ``tut-07`` -> ``tut-08``."""
    for iid in reversed(ids):
        match = re.fullmatch(r"(.*?)(\d+)", iid)
        if match:
            prefix, digits = match[1], match[2]
            number = int(digits) + 1
            while f"{prefix}{number:0{len(digits)}d}" in ids:
                number += 1
            return f"{prefix}{number:0{len(digits)}d}"
    return fallback if fallback not in ids else f"{fallback}-new"
