"""Golden files: compare a text with the one stored in ``tests/golden/``; rewrite only on request.

Regeneration is explicit: ``UPDATE_GOLDEN=1`` exactly (any other value, ``0`` included, compares),
so a stray variable in a shell or a CI job can never turn a failing comparison into a silent
rewrite. ``.ci/run`` also fails when a test run changed a tracked file, so a rewrite that slips
through still stops CI. After a deliberate change, run ``UPDATE_GOLDEN=1 pytest tests/...`` and
review ``git diff tests/golden`` before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"

_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")
"""A SHA-256 in hex: the journal's head hash covers the wall-clock times of the run, so it is
the one part of a report that differs between two runs of the same playthrough."""


def stable(text: str) -> str:
    """``text`` with every SHA-256 digest replaced by a placeholder (everything else must match)."""
    return _DIGEST.sub("<sha256>", text)


def updating() -> bool:
    """True only for ``UPDATE_GOLDEN=1``: regeneration is a deliberate act, never a default."""
    return os.environ.get("UPDATE_GOLDEN", "") == "1"


def check_golden(name: str, text: str) -> None:
    """Fail unless ``text`` equals ``tests/golden/NAME`` (``UPDATE_GOLDEN=1`` rewrites it).

    A mismatch writes nothing into the checkout: the message names the file and how to accept
    the new text after reviewing it.
    """
    golden = GOLDEN / name
    text = stable(text)
    if updating():
        golden.write_text(text, encoding="utf-8")
        return
    if not golden.is_file():
        pytest.fail(f"no golden file tests/golden/{name}: run UPDATE_GOLDEN=1 pytest to write it")
    stored = golden.read_text(encoding="utf-8")
    if text != stored:
        diff_at = next(
            (n for n, (a, b) in enumerate(zip(text, stored, strict=False)) if a != b),
            min(len(text), len(stored)),
        )
        line = stored.count("\n", 0, diff_at) + 1
        pytest.fail(
            f"output differs from tests/golden/{name} (first difference on line {line}); "
            "after reviewing the change, UPDATE_GOLDEN=1 accepts it"
        )
