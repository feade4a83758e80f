"""The strict base every file model derives from.

Facilitators write these files by hand: an unknown key is almost always a typo, so every model
forbids extras (the loader turns that into "unknown key ... did you mean ..."). Models are frozen
because a loaded scenario is shared by the engine, the consoles and the scorer.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


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
