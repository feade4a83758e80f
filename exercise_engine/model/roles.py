"""Mission Leadership Team seats: the roles catalogue and a scenario's own extra seats."""

from __future__ import annotations

from pydantic import Field

from exercise_engine.model.base import Flag, Source, StrictModel


class RoleTension(StrictModel):
    """A tension this seat typically has with another seat, as the study names it."""

    with_: str = Field(alias="with")
    """The other seat's role id."""
    about: str
    """What the two seats tend to pull apart on."""
    source: Source | None = None
    """Where the study says so."""


class Role(StrictModel):
    """One MLT seat (``hom``, ``force_commander``, ...) with the study's account of it."""

    id: str
    """Role id used in scenarios (``to``, ``role``, ``consult``)."""
    title: str
    """Title shown on consoles and reports, e.g. ``Force Commander``."""
    abbreviation: str = ""
    """Short form for narrow columns, e.g. ``FC``."""
    core: Flag = False
    """True for the seven standard MLT seats; optional seats are added by a scenario."""
    responsibilities: str = ""
    """What the seat answers for, shown on the participant console."""
    source: Source | None = None
    """Where the study describes the seat."""
    tensions: tuple[RoleTension, ...] = ()
    """Typical tensions with other seats."""


class CustomRole(StrictModel):
    """A seat a scenario adds that the catalogue does not hold (``[custom_roles.<id>]``)."""

    title: str
    """Title shown on consoles and reports."""
    abbreviation: str = ""
    """Short form for narrow columns."""
    responsibilities: str = ""
    """What the seat answers for in this scenario."""


class RoleCatalogueFile(StrictModel):
    """The shape of ``exercise_engine/data/roles.toml``."""

    role: tuple[Role, ...]
    """Every seat the engine knows."""
