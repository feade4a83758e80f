"""The strict base every file model derives from.

Facilitators write these files by hand: an unknown key is almost always a typo, so every model
forbids extras (the loader turns that into "unknown key ... did you mean ..."). Models are frozen
because a loaded scenario is shared by the engine, the consoles and the scorer.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt

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


class Source(StrictModel):
    """Where a consideration or a role text comes from: a source document and a section in it."""

    doc: str
    """The source document's file name, e.g. ``001_3fc6dd05fdfc6643.txt``."""
    section: str
    """The section, precise enough to find the passage, e.g. ``§4.2.6 Considerations``."""
