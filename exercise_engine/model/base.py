"""The strict base every file model derives from.

Facilitators write these files by hand: an unknown key is almost always a typo, so every model
forbids extras (the loader turns that into "unknown key ... did you mean ..."). Models are frozen
because a loaded scenario is shared by the engine, the consoles and the scorer.
"""

from __future__ import annotations

import difflib
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)

Number = Annotated[float, Field(strict=True)]
"""A TOML number (integer or float); a quoted "10" is refused, not silently converted."""

Flag = StrictBool
"""``true`` or ``false`` only (not 1, not "yes")."""

Weight = StrictInt
"""A whole number (``true`` is not 1)."""


def _bool_or_number(value: object) -> object:
    if isinstance(value, bool | int | float):
        return value
    raise ValueError("expected true or false (for a flag) or a number (for a variable)")


FlagOrNumber = Annotated[bool | float, BeforeValidator(_bool_or_number)]
"""What ``set`` assigns: a flag's true/false or a variable's number."""


class StrictModel(BaseModel):
    """A frozen model that refuses unknown keys; attribute docstrings become field descriptions."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        str_strip_whitespace=False,
    )


SOURCE_DOCUMENTS = (
    "001_3fc6dd05fdfc6643.txt",
    "000_8192ea23d52bbb45.txt",
    "002_7c708c819b22cc84.txt",
    "003_86c4c17a89bd3cea.txt",
    "004_973f83d869b78ba8.txt",
)
"""The source documents content may cite (``../shared/seeds/``); any other name is a typo."""

ANCHOR_WORDS = (3, 10)
"""An anchor is a locator, not a quotation: long enough to find, too short to be a copied sentence."""


class Source(StrictModel):
    """Where a consideration or a role text comes from: a source document and a section in it."""

    doc: str
    """The source document's file name, e.g. ``001_3fc6dd05fdfc6643.txt``."""
    section: str
    """The section, precise enough to find the passage, e.g. ``§4.2.6 Considerations``."""
    anchor: str | None = None
    """3 to 10 words copied exactly from the cited section, so anyone can find the passage
    (checked against the seeds by ``../shared/tools/anchorcheck.py``)."""

    @field_validator("doc")
    @classmethod
    def _known_document(cls, value: str) -> str:
        if value not in SOURCE_DOCUMENTS:
            close = difflib.get_close_matches(value, SOURCE_DOCUMENTS, n=1)
            hint = (
                f"did you mean {close[0]!r}?" if close else f"known: {', '.join(SOURCE_DOCUMENTS)}"
            )
            raise ValueError(f"unknown source document {value!r} ({hint})")
        return value

    @field_validator("anchor")
    @classmethod
    def _anchor_length(cls, value: str | None) -> str | None:
        if value is None:
            return value
        low, high = ANCHOR_WORDS
        words = len(value.split())
        if not low <= words <= high:
            raise ValueError(
                f"an anchor is {low} to {high} words copied from the cited section, got {words}"
            )
        return value
