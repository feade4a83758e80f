"""The journal's hash chain: how events and metadata are hashed, and how a journal is verified.

Who calls it: :class:`~exercise_engine.journal.store.Journal` (hashing each append, and
``verify``), and through it ``exercise-engine verify``, ``status``, ``fork`` and every report.
Pure functions over rows, so each check can be tested on its own.

What the chain proves, and what it does not (docs/journal.md says it for users): a journal that
verifies is internally consistent — no event was changed, removed, reordered or inserted, and no
metadata row (the scenario snapshot above all) was changed since the first event committed to it —
*unless* whoever changed it recomputed every hash after the change. Anyone with the file can do
that; the head (last sequence number and hash), noted somewhere else when the exercise closed, is
the anchor that a re-chained journal cannot match (``verify --head``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

GENESIS = "0" * 64
"""The previous hash of event 1."""

COMMIT_KINDS = ("exercise_created", "exercise_forked")
"""Events whose payload's ``meta`` commits to the metadata rows (``{key: sha256(value)}``)."""

AFTER_CLOSE_KINDS = frozenset(
    {"evaluator_rating", "objective_rating", "plan_edited", "evaluator_note", "exercise_forked"}
)
"""What may follow the close of an exercise (``ended``): evaluators rate decisions and objectives,
edit the improvement plan and annotate later, and a fork taken at the very end records itself."""

Row = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any]
"""seq, wall_time, exercise_time, actor, role, kind, payload, prev_hash, hash — as stored."""


def canonical(value: Any) -> str:
    """The JSON form that hashes are computed over (sorted keys, no spaces)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(
    prev_hash: str,
    seq: int,
    wall_time: float,
    exercise_time: int,
    actor: str,
    role: str | None,
    kind: str,
    payload_json: str,
) -> str:
    """SHA-256 over the previous hash and the event's canonical form."""
    body = canonical([seq, repr(float(wall_time)), exercise_time, actor, role, kind, payload_json])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def value_hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def meta_commitment(meta: Mapping[str, str]) -> dict[str, str]:
    """What the first event commits to: every metadata row's key and the hash of its value."""
    return {key: value_hash(value) for key, value in sorted(meta.items())}


def row_damage(row: Row) -> str | None:
    """Why a stored event row cannot be an event (a wrong type in a column), or None."""
    seq, wall, t, actor, role, kind, payload, prev_hash, digest = row
    if not isinstance(seq, int):
        return f"seq is {seq!r}, not a whole number"
    if isinstance(wall, bool) or not isinstance(wall, (int, float)):
        return f"wall_time is {wall!r}, not a number"
    if wall != wall or wall in (float("inf"), float("-inf")):
        return f"wall_time is {wall!r}, not a finite number"
    if isinstance(t, bool) or not isinstance(t, int):
        return f"exercise_time is {t!r}, not a whole number of seconds"
    for name, value in (
        ("actor", actor),
        ("kind", kind),
        ("prev_hash", prev_hash),
        ("hash", digest),
    ):
        if not isinstance(value, str):
            return f"{name} is {value!r}, not text"
    if role is not None and not isinstance(role, str):
        return f"role is {role!r}, not text"
    if not isinstance(payload, str):
        return f"payload is {payload!r}, not JSON text"
    try:
        data = json.loads(payload)
    except ValueError:
        return "payload is not valid JSON"
    if not isinstance(data, dict):
        return f"payload is {type(data).__name__} JSON, not an object"
    return None


@dataclass
class Verification:
    """The outcome of checking a journal: problems by event, the head, and plain notes."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    head_seq: int = 0
    head_hash: str = GENESIS
    count: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_rows(
    rows: Iterable[Row],
    meta: Mapping[str, str],
    *,
    schema_version: int,
    recorded_head: tuple[int, str] | None,
    head_table: bool,
) -> tuple[Verification, list[tuple[int, str]]]:
    """Check the chain, the metadata commitment, the recorded head and the close rule.

    Returns the verification and every (seq, hash) in order (for ``--head`` look-ups).
    """
    result = Verification()
    chain: list[tuple[int, str]] = []
    prev = GENESIS
    prev_seq = 0
    commitment: tuple[int, dict[str, Any]] | None = None
    closed_at: int | None = None
    first = True
    for row in rows:
        seq, wall, t, actor, role, kind, payload, prev_hash, digest = row
        result.count += 1
        damage = row_damage(row)
        if damage is not None:
            where = seq if isinstance(seq, int) else prev_seq + 1
            result.problems.append((where, f"damaged row: {damage}"))
            prev = digest if isinstance(digest, str) else ""
            prev_seq = where
            first = False
            continue
        if seq != prev_seq + 1:
            if seq > prev_seq + 1:
                missing = (
                    f"event {prev_seq + 1}"
                    if seq == prev_seq + 2
                    else f"events {prev_seq + 1} to {seq - 1}"
                )
                result.problems.append(
                    (seq, f"{missing} missing: the sequence jumps from {prev_seq} to {seq}")
                )
            else:
                result.problems.append((seq, f"out of order after event {prev_seq}"))
        if prev_hash != prev:
            before = f"event {prev_seq}" if prev_seq else "the start of the journal"
            result.problems.append(
                (
                    seq,
                    f"does not follow {before} (previous hash differs: "
                    f"{before} was changed, removed or replaced)",
                )
            )
        if event_hash(prev_hash, seq, wall, t, actor, role, kind, payload) != digest:
            result.problems.append((seq, "content changed after it was written (hash mismatch)"))
        if first and kind != "exercise_created":
            result.problems.append((seq, f"the first event is {kind}, not exercise_created"))
        first = False
        data = json.loads(payload)
        if kind in COMMIT_KINDS and isinstance(data.get("meta"), dict):
            commitment = (seq, data["meta"])
        if closed_at is not None and kind not in AFTER_CLOSE_KINDS:
            result.problems.append(
                (seq, f"{kind} after the exercise was closed at event {closed_at}")
            )
        if kind == "ended":
            closed_at = seq
        chain.append((seq, digest))
        prev, prev_seq = digest, seq
    if chain:
        result.head_seq, result.head_hash = chain[-1]
    _check_meta(result, meta, commitment, schema_version)
    _check_head(result, recorded_head, head_table, schema_version)
    return result, chain


def _check_meta(
    result: Verification,
    meta: Mapping[str, str],
    commitment: tuple[int, dict[str, Any]] | None,
    schema_version: int,
) -> None:
    if commitment is None:
        if schema_version < 2:
            result.notes.append(
                f"made by an older version (journal schema {schema_version}): its metadata and "
                "scenario snapshot are not covered by the chain"
            )
        elif result.count:
            result.problems.append(
                (1, "the first event does not commit to the metadata (scenario snapshot)")
            )
        return
    seq, committed = commitment
    actual = meta_commitment(meta)
    for key in sorted(set(committed) | set(actual)):
        if key not in actual:
            result.problems.append((seq, f"metadata row {key!r} was removed"))
        elif key not in committed:
            result.problems.append((seq, f"metadata row {key!r} was added after event {seq}"))
        elif committed[key] != actual[key]:
            result.problems.append(
                (seq, f"metadata row {key!r} changed after event {seq} committed to it")
            )


def _check_head(
    result: Verification,
    recorded: tuple[int, str] | None,
    head_table: bool,
    schema_version: int,
) -> None:
    """The head kept beside the events (same transaction): trailing events cannot vanish unseen."""
    if recorded is None:
        if result.count and (head_table or schema_version >= 2):
            result.problems.append(
                (result.head_seq, "the journal's recorded head is missing (it was removed)")
            )
        return
    seq, digest = recorded
    if seq > result.head_seq:
        missing = (
            f"event {seq}"
            if seq == result.head_seq + 1
            else f"events {result.head_seq + 1} to {seq}"
        )
        result.problems.append(
            (
                result.head_seq + 1,
                f"{missing} missing: the journal recorded its head at event {seq} "
                f"but its events end at event {result.head_seq}",
            )
        )
    elif seq < result.head_seq:
        result.problems.append(
            (
                seq + 1,
                f"events after the recorded head (event {seq}) were added outside the journal",
            )
        )
    elif digest != result.head_hash:
        result.problems.append(
            (seq, "the last event differs from the head the journal recorded (rewritten)")
        )


def find_head(chain: list[tuple[int, str]], noted: str) -> tuple[int, str] | None:
    """The event a noted head names: ``HASH``, ``SEQ:HASH``, or a prefix of 12+ hex digits."""
    noted = noted.strip().lower()
    seq_text, _, digest = noted.rpartition(":")
    for seq, value in chain:
        if (not seq_text or seq_text == str(seq)) and value.startswith(digest):
            return seq, value
    return None


def head_text(seq: int, digest: str) -> str:
    """How a head is printed (and what ``verify --head`` accepts back)."""
    return f"{seq}:{digest}"
