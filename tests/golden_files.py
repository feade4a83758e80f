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
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


def updating() -> bool:
    """True only for ``UPDATE_GOLDEN=1``: regeneration is a deliberate act, never a default."""
    return os.environ.get("UPDATE_GOLDEN", "") == "1"


JOURNAL_HEAD = re.compile(r'("head_hash": "|Journal head: event \d+, )[0-9a-f]{64}')
HEAD_PLACEHOLDER = "<journal head hash>"


def without_journal_head(text: str) -> str:
    """The report with its journal head hash replaced by a placeholder.

    ``play`` runs on a virtual clock that starts at the real wall time, and every event's wall
    time is covered by the hash chain: the head hash differs on every run, so it cannot be part
    of a golden file. Everything else (the head's event number included) stays and is compared.
    (A new way of printing the head that this pattern misses fails the golden test, which
    accepts no hash but the scenario's content hash: then extend ``JOURNAL_HEAD``.)
    """
    return JOURNAL_HEAD.sub(rf"\g<1>{HEAD_PLACEHOLDER}", text)


def check_golden(name: str, text: str, normalise: Callable[[str], str] | None = None) -> None:
    """Fail unless ``text`` equals ``tests/golden/NAME`` (``UPDATE_GOLDEN=1`` rewrites it).

    ``normalise`` replaces what legitimately differs between runs (see
    :func:`without_journal_head`) before the comparison and before writing. A mismatch writes
    nothing into the checkout: the message names the file and how to accept the new text after
    reviewing it.
    """
    if normalise is not None:
        text = normalise(text)
    golden = GOLDEN / name
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
