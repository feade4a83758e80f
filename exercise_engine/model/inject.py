"""Injects and their decision points, as facilitators write them (DESIGN §3).

An inject is a message delivered at an exercise time and/or when a condition holds, through a
channel, to an audience of roles. It may carry decision points: a question for one deciding role,
with options whose effects change the world and whose evidence feeds the after-action score.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from exercise_engine.model.base import Flag, FlagOrNumber, Number, StrictModel, Weight
from exercise_engine.model.times import Duration, format_duration

ALL = "all"
"""The audience keyword for every role in play."""

DEFAULT_CHANNELS: dict[str, str] = {
    "code_cable": "Code cable",
    "jocs_flash": "JOC flash report",
    "phone": "Phone call",
    "radio": "Radio",
    "email": "Email",
    "media": "Media",
    "meeting": "Meeting request",
    "report": "Report",
}
"""The channels every scenario may use; a scenario may declare more under ``[channels]``."""


def _audience(value: object) -> object:
    if isinstance(value, str):
        if value == ALL:
            return (ALL,)
        raise ValueError(f'expected a list of role ids or "all", got {value!r}')
    return value


Audience = Annotated[tuple[str, ...], BeforeValidator(_audience)]
"""A list of role ids, or ``"all"`` (stored as ``("all",)``)."""


class After(StrictModel):
    """Deliver relative to another inject: ``after = { inject = "bmb-02", delay = "00:20" }``."""

    inject: str
    """The inject whose delivery starts the delay."""
    delay: Duration = 0
    """How long after that delivery, ``HH:MM``."""


class Variant(StrictModel):
    """The same event as another set of roles hears it (a partial, delayed or contradicting account)."""

    to: Audience
    """The roles that receive this version instead of the main one."""
    title: str | None = None
    """Title for these roles; the inject's title when omitted."""
    sender: str | None = None
    """Sender for these roles; the inject's sender when omitted."""
    channel: str | None = None
    """Channel for these roles; the inject's channel when omitted."""
    body: str | None = None
    """Text for these roles (Markdown); the inject's body when omitted."""


Effects = dict[str, Number]
"""Signed changes to numeric variables, e.g. ``{ civilian_risk = -15 }`` (clamped to bounds)."""


class Outcome(StrictModel):
    """What happens to the world: variable changes, flags or values set, evidence for scoring."""

    effects: Effects = Field(default_factory=dict)
    """Signed changes to variables, clamped to each variable's bounds."""
    set: dict[str, FlagOrNumber] = Field(default_factory=dict)
    """Flags set true/false, or variables set to a value."""
    evidence: dict[str, Weight] = Field(default_factory=dict)
    """Consideration id to a signed weight from -3 to 3: what this choice shows."""
    outcome: str = ""
    """What the room is told happened (shown in the shared log once decided)."""

    @field_validator("evidence")
    @classmethod
    def _weights_in_range(cls, value: dict[str, int]) -> dict[str, int]:
        for cid, weight in value.items():
            if not -3 <= weight <= 3 or weight == 0:
                raise ValueError(
                    f"evidence weight for {cid!r} must be a non-zero whole number from -3 to 3"
                )
        return value


Cap = Literal["M", "U"]
"""The HSEEP rating a breach caps a decision at: ``M`` (major challenges) or ``U`` (unable)."""


class Option(Outcome):
    """One answer to a decision point."""

    id: str
    """Option id, unique in its decision point (used in playthroughs and conditions)."""
    label: str
    """What the deciding role reads and picks."""
    breach: str | None = Field(default=None, min_length=1)
    """The rule this choice breaks, in a sentence the report shows (e.g. "force used before the
    public warning was given"). A breach caps the decision's rating at ``breach_caps``."""
    breach_caps: Cap = "M"
    """The rating a breach caps the decision at: ``"M"`` (default) or ``"U"``."""

    @field_validator("breach_caps")
    @classmethod
    def _caps_need_a_breach(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("breach") is None and "breach" in info.data:
            raise ValueError('breach_caps needs a breach = "..." naming the rule broken')
        return value


class OnExpire(Outcome):
    """What happens when a decision point's window closes undecided: indecision is a choice too."""


class DecisionPoint(StrictModel):
    """A question for one deciding role, with a response window and the roles to consult."""

    id: str
    """Decision id, unique in its inject."""
    role: str
    """The role that decides; it must receive the inject."""
    prompt: str
    """The question put to the role."""
    respond_within: Duration | None = None
    """The response window from delivery, ``HH:MM``; no window when omitted."""
    decide_by: Duration | None = None
    """Up to this long after delivery (``HH:MM``) a decision earns full timeliness; later ones
    inside the window lose some. Defaults to ``respond_within``; never longer than it."""
    critical: Flag = False
    """A point the exercise turns on: it counts double in the MLT figure unless ``weight`` says
    otherwise."""
    weight: Number | None = None
    """How much the point counts in the MLT figure (default 1, or 2 when ``critical``)."""
    considerations: tuple[str, ...] = ()
    """Considerations this point puts at stake beyond its options' evidence: a rationale may be
    credited for naming them."""
    consult: tuple[str, ...] = ()
    """Roles whose views the decider is expected to seek before deciding."""
    free_text: Flag = True
    """Whether the role writes a rationale (required when there are no options)."""
    options: tuple[Option, ...] = ()
    """The answers on offer; empty for a free-text-only decision."""
    on_expire: OnExpire | None = None
    """What happens if the window closes undecided."""

    @model_validator(mode="after")
    def _answerable(self) -> DecisionPoint:
        if not self.options and not self.free_text:
            raise ValueError("a decision point needs options, or free_text = true, or both")
        return self

    @field_validator("respond_within")
    @classmethod
    def _window(cls, value: int | None) -> int | None:
        if value is not None and value <= 0:
            raise ValueError("respond_within must be longer than 00:00")
        return value

    @field_validator("weight")
    @classmethod
    def _positive_weight(cls, value: float | None) -> float | None:
        if value is not None and value <= 0:
            raise ValueError(f"weight must be more than 0, got {value:g}")
        return value

    @field_validator("decide_by")
    @classmethod
    def _inside_window(cls, value: int | None, info: ValidationInfo) -> int | None:
        if value is None:
            return value
        if value <= 0:
            raise ValueError("decide_by must be longer than 00:00")
        window = info.data.get("respond_within")
        if "respond_within" not in info.data:
            return value  # the window itself is malformed: reported there
        if window is None:
            raise ValueError(
                "decide_by needs a respond_within: it is a time inside the response window"
            )
        if value > window:
            raise ValueError(
                f"decide_by ({format_duration(value)}) must not be later than respond_within ({format_duration(window)})"
            )
        return value

    @property
    def mlt_weight(self) -> float:
        """How much this point counts in the MLT figure: ``weight``, else 2 if critical, else 1."""
        if self.weight is not None:
            return self.weight
        return 2.0 if self.critical else 1.0

    @property
    def full_marks_until(self) -> int | None:
        """Seconds after delivery up to which a decision is on time (``decide_by`` or the window)."""
        return self.decide_by if self.decide_by is not None else self.respond_within


class Inject(StrictModel):
    """A message delivered to an audience at a time, after another inject, or when a condition holds."""

    id: str
    """Inject id, unique in the scenario."""
    title: str
    """One-line title shown in inboxes and on the MSEL."""
    at: Duration | None = None
    """Exercise time of delivery, ``HH:MM`` from the start."""
    after: After | None = None
    """Delivery relative to another inject's delivery."""
    when: str | None = None
    """A condition, re-checked whenever the state changes; delivered once it holds."""
    phase: str | None = None
    """Deliver only while the scenario is in this phase."""
    manual: Flag = False
    """A contingency inject: never delivered by the clock, only by the facilitator."""
    channel: str
    """How it arrives: ``code_cable``, ``jocs_flash``, ``phone``, ``radio``, ``email``, ``media``, ..."""
    sender: str
    """Who sends it, e.g. ``Joint Operations Centre``."""
    to: Audience
    """The roles that receive it, or ``"all"``; a private inject shows only to its audience."""
    body: str
    """The message (Markdown)."""
    synopsis: str = ""
    """A one-line synopsis for the MSEL; the title when empty."""
    expected_action: str = ""
    """What a good response looks like (facilitator and evaluator only)."""
    variants: tuple[Variant, ...] = ()
    """Other versions of the same event for other roles."""
    decisions: tuple[DecisionPoint, ...] = ()
    """The decision points this inject carries."""

    @model_validator(mode="after")
    def _has_trigger(self) -> Inject:
        if (
            self.at is None
            and self.after is None
            and self.when is None
            and self.phase is None
            and not self.manual
        ):
            raise ValueError(
                "an inject needs a trigger: 'at', 'after', 'when' or 'phase' (or manual = true)"
            )
        return self


class InjectFile(StrictModel):
    """An inject library file: ``[[inject]]`` tables only."""

    inject: tuple[Inject, ...] = ()
    """The injects of this file."""
