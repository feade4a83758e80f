"""Injects as plain TOML-ready data, and TOML text written with ``tomli-w``.

The MSEL importer and the inject editor write facilitators' files. Both write only the keys a
facilitator would write (defaults left out, ``to = "all"`` kept as a word, whole numbers without
``.0``) in the order the format reference lists them, so a written file reads like a hand-made one.
"""

from __future__ import annotations

from typing import Any

import tomli_w

from exercise_engine.model import ALL, Inject

_FIRST = ("id", "label", "title", "role", "prompt")


def plain(value: Any) -> Any:
    """JSON/TOML-ready data: ids first in each table, integral floats as ints, ``all`` as a word."""
    if isinstance(value, dict):
        keys = [k for k in _FIRST if k in value] + [k for k in value if k not in _FIRST]
        out = {k: plain(value[k]) for k in keys}
        if out.get("to") == [ALL]:
            out["to"] = ALL
        return out
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def inject_data(inject: Inject) -> dict[str, Any]:
    """An inject as the table a facilitator writes under ``[[inject]]``."""
    data = inject.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    result = plain(data)
    assert isinstance(result, dict)
    return result


def dumps(data: dict[str, Any]) -> str:
    """TOML text; long texts as multi-line strings."""
    return tomli_w.dumps(data, multiline_strings=True)


def library_text(injects: list[dict[str, Any]]) -> str:
    """An inject library file: ``[[inject]]`` tables only."""
    return dumps({"inject": injects})
