"""Join codes: one eight-character code per seat, derived from the journal, that unlocks a console.

Who calls it: the facilitator console (shows the codes), ``join --code`` and the sign-in screen
(check a code), ``serve`` (prints them). A code is ``HMAC-SHA256(secret, scenario_hash:seat)``
written in an alphabet without look-alike characters, so the facilitator can read it aloud or
write it on a whiteboard. The secret is made once per journal and kept as a local setting
of the journal (``join_secret``, outside the record the chain covers): every console on the same exercise derives the same codes, a new exercise gets
new ones, and nothing needs to be remembered between sessions.

The codes protect the browser links of ``serve`` (anyone on the course LAN can open a URL); on a
local terminal ``join`` without ``--code`` is allowed, because whoever can read the journal file
could read the secret too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exercise_engine.exercise import Exercise

FACILITATOR = "facilitator"
"""The seat name of the facilitator's console in ``join`` and ``serve``."""

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Capitals and digits without 0/O, 1/I/L: easy to read from a projector."""

LENGTH = 8
"""31 ** 8 (about 850 billion) codes: with the sign-in's limit on wrong codes per address (see
:mod:`exercise_engine.ui.sign_in_limit`), guessing one from the LAN is hopeless."""
SECRET_KEY = "join_secret"


def code_from(secret: str, scenario_hash: str, seat: str) -> str:
    """The code for ``seat``: deterministic in its three inputs."""
    digest = hmac.new(secret.encode(), f"{scenario_hash}:{seat}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalise(code: str) -> str:
    """What a person typed, made comparable: case, spaces and dashes do not matter."""
    return code.strip().upper().replace(" ", "").replace("-", "")


def join_codes(exercise: Exercise) -> dict[str, str]:
    """Every seat's code (the facilitator first, then the roles in the scenario's order),
    making the journal's secret first if no console has made it yet: what the facilitator's
    console, ``serve``, ``join --code`` and ``cards`` use."""
    exercise.journal.meta_setdefault(SECRET_KEY, secrets.token_hex(16))
    return read_codes(exercise)


def read_codes(exercise: Exercise) -> dict[str, str]:
    """Every seat's code without writing anything: empty while the journal has no secret yet
    (no console has shown a code, so no code can be right). What a console that has not signed
    in uses, since it must not write to the journal. The one place the codes are derived."""
    secret = exercise.journal.local_setting(SECRET_KEY)
    if not secret:
        return {}
    scenario_hash = exercise.journal.meta().get("scenario_hash", "")
    seats = [FACILITATOR, *exercise.scenario.roles]
    return {seat: code_from(secret, scenario_hash, seat) for seat in seats}


def check_code(codes: dict[str, str], seat: str, typed: str) -> bool:
    """Whether ``typed`` is ``seat``'s code (compared in constant time)."""
    expected = codes.get(seat)
    return expected is not None and hmac.compare_digest(normalise(typed), expected)
