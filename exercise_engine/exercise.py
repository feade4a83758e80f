"""An exercise: one scenario, one journal, one clock — the API every console and command uses.

Every command runs the same way: inside one write transaction, catch up with events other
processes appended, check the command against that fresh state, append its events, commit. So a
participant console and the facilitator console can act on the same exercise at once and neither
sees a stale world; and nothing a caller was told succeeded can be lost.

Longer than most modules on purpose: it is the single command surface of an exercise (clock,
lifecycle, decisions, advice, notes, evaluators), every method the same small transaction shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exercise_engine.clock import WallClock
from exercise_engine.engine import (
    ExerciseState,
    ReplayError,
    apply,
    due_drafts,
    fold,
    next_inject_time,
)
from exercise_engine.engine.advance import EngineError, finish
from exercise_engine.engine.decisions import (
    advice_refusal,
    decision_drafts,
    decision_refusal,
)
from exercise_engine.engine.evaluation import (
    normalize_rating,
    objective_refusal,
    plan_refusal,
    rating_refusal,
    seat_refusal,
)
from exercise_engine.engine.presence import (
    FACILITATOR,
    HEARTBEAT_EVERY,
    LOCAL_PREFIX,
    Presence,
    clock_now,
    heartbeat_row,
    late_drafts,
    may_journal_presence,
    opened_drafts,
    parse_heartbeats,
)
from exercise_engine.errors import DamagedJournal, ExerciseError
from exercise_engine.journal import JournalError
from exercise_engine.journal.interface import JournalStore
from exercise_engine.journal.opener import create_journal, open_journal
from exercise_engine.journal.url import PgLocation
from exercise_engine.loading import LoadedScenario, LoadError, load_snapshot
from exercise_engine.machines import EVENT_TRIGGERS, Lifecycle
from exercise_engine.model.events import Draft, Event

HOT_WASH_KINDS = ("strength", "issue", "observation")


class Refused(ExerciseError):
    """A command that cannot be carried out now; the message says why."""


class ScenarioChanged(JournalError):
    """The scenario file differs from the one the journal was started with."""


@dataclass
class Outcome:
    """The result of a decision or advice: accepted, or refused with a reason (both journalled)."""

    accepted: bool
    reason: str = ""
    events: list[Event] = field(default_factory=list)


class Exercise:
    """A live handle on one exercise journal."""

    def __init__(
        self,
        scenario: LoadedScenario,
        journal: JournalStore,
        clock: WallClock,
        state: ExerciseState,
    ) -> None:
        self.scenario = scenario
        self.journal = journal
        self.clock = clock
        self.state = state
        self._data_version = journal.data_version()
        self.owns_clock = False
        """True once this handle has ticked the clock (the facilitator's): it reads its own
        clock; every other handle sees the clock stopped while the facilitator is offline."""
        self._last_beat: float | None = None

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str | PgLocation,
        scenario: LoadedScenario,
        clock: WallClock,
        *,
        speed: float | None = None,
        syndicate: str = "",
    ) -> Exercise:
        """Start a new exercise journal at ``path`` for ``scenario``."""
        meta = {
            "scenario_id": scenario.id,
            "scenario_title": scenario.title,
            "scenario_hash": scenario.content_hash(),
            "scenario_snapshot": scenario.snapshot(),
            "created_wall": repr(clock.now()),
            "syndicate": syndicate,
        }
        journal = create_journal(path, meta)
        state = fold(scenario, [])
        exercise = cls(scenario, journal, clock, state)
        payload = {
            "scenario": scenario.id,
            "scenario_hash": scenario.content_hash(),
            "title": scenario.title,
            "speed": speed if speed is not None else scenario.file.clock.speed,
            "syndicate": syndicate,
            "meta": journal.meta_commitment(),  # the chain covers the snapshot and every meta row
        }
        exercise._commit(
            lambda _s, _now: [Draft("exercise_created", 0, "facilitator", None, payload)]
        )
        return exercise

    @classmethod
    def open(
        cls,
        path: Path | str | PgLocation,
        clock: WallClock,
        *,
        scenario: LoadedScenario | None = None,
        allow_changed: bool = False,
        read_only: bool = False,
    ) -> Exercise:
        """Reopen an exercise: replay its journal against the scenario it was started with.

        If ``scenario`` is given and differs from the journal's, refuse (ScenarioChanged) unless
        ``allow_changed``; then the given scenario is used for the replay. ``read_only``: for
        commands that only look (status, report): nothing is written to the journal's folder.
        """
        journal = open_journal(path, read_only=read_only)
        try:
            scenario = _scenario_for(journal, scenario, allow_changed)
            state = replay(journal, scenario, journal.events())
        except BaseException:
            journal.close()
            raise
        return cls(scenario, journal, clock, state)

    def close(self) -> None:
        self.journal.close()

    # --- following -------------------------------------------------------------------------

    def refresh(self) -> list[Event]:
        """Apply events other processes appended since we last looked."""
        new = self.journal.events(after=self.state.last_seq)
        replay(self.journal, self.scenario, new, self.state)
        return new

    def poll(self) -> list[Event]:
        """Cheap: refresh only when the database changed (``PRAGMA data_version``).

        First make sure the journal file is still the one we opened (JournalReplaced if it was
        swapped or its ``-wal``/``-shm`` deleted): a console must stop rather than write into a
        deleted file.
        """
        self.journal.check_still_ours()
        version = self.journal.data_version()
        if version == self._data_version:
            return []
        new = self.refresh()
        self._data_version = version  # only now: a refresh that failed is tried again next poll
        return new

    def now(self) -> int:
        """The exercise time now (stopped where it stood while the facilitator is offline,
        unless this handle owns the clock)."""
        return self._now_at(self.clock.now())

    def _now_at(self, wall: float) -> int:
        if self.owns_clock or self.state.status != "running":
            return self.state.now(wall)
        return clock_now(self.state, self.presence(), wall, owner=False)

    def presence(self) -> Presence:
        """The consoles' heartbeats and the clock's checkpoint, as the journal holds them now."""
        beats = parse_heartbeats(self.journal.local_rows(LOCAL_PREFIX))
        return Presence(beats, self.journal.checkpoint_at())

    def _commit(self, build: Callable[[ExerciseState, int], list[Draft]]) -> list[Event]:
        with self.journal.transaction():
            self.refresh()
            wall = self.clock.now()
            drafts = build(self.state, self._now_at(wall))
            events = self.journal.append(drafts, wall)
        for event in events:
            apply(self.scenario, self.state, event, wall)
        return events

    # --- the clock and the lifecycle (facilitator) -------------------------------------------

    def may(self, kind: str) -> bool:
        """Whether a lifecycle event is allowed now (consoles enable controls with this)."""
        return Lifecycle(self.state.status).may(EVENT_TRIGGERS[kind])

    def _lifecycle(self, kind: str, payload: dict[str, object] | None = None) -> list[Event]:
        def build(state: ExerciseState, now: int) -> list[Draft]:
            if not Lifecycle(state.status).may(EVENT_TRIGGERS[kind]):
                raise Refused(
                    f"cannot {kind.replace('_', ' ')}: the exercise is {state.status.replace('_', ' ')}"
                )
            return [Draft(kind, now, "facilitator", None, dict(payload or {}))]

        return self._commit(build)

    def open_briefing(self) -> list[Event]:
        return self._lifecycle("briefing_opened")

    def start(self) -> list[Event]:
        events = self._lifecycle("started")
        return events + self.tick()

    def pause(self, reason: str = "") -> list[Event]:
        events = self.tick()
        return events + self._lifecycle("paused", {"reason": reason} if reason else {})

    def resume(self) -> list[Event]:
        """Run the clock again. After a recovery, what fell due while nobody ran the clock is
        delivered at once, each delivery marked ``late``."""
        pending = self.state.recovery_pending
        stood = self.state.last_time
        events = self._lifecycle("resumed")
        if pending:
            events += self._tick(lambda drafts: late_drafts(drafts, stood))
        return events

    def set_speed(self, speed: float) -> list[Event]:
        if not 0 < speed <= 3600:
            raise Refused("speed must be more than 0 and at most 3600 exercise seconds per second")
        events = self.tick()
        return events + self._commit(
            lambda _s, now: [Draft("speed_changed", now, "facilitator", None, {"speed": speed})]
        )

    def jump_to_next(self) -> list[Event]:
        """Move exercise time forward to the next timed inject of the current phase, and deliver it."""
        events = self.tick()

        def build(state: ExerciseState, now: int) -> list[Draft]:
            if state.status not in ("running", "paused"):
                raise Refused("the exercise is not running")
            target = next_inject_time(self.scenario, state)
            if target is None or target <= now:
                raise Refused("no timed inject is waiting in this phase")
            return [
                Draft(
                    "time_jumped",
                    now,
                    "facilitator",
                    None,
                    {"from": now, "to": target, "reason": "facilitator jumped to the next inject"},
                )
            ]

        events += self._commit(build)
        return events + self.tick()

    def tick(self) -> list[Event]:
        """Append every event due by now (deliveries, expiries, phases, the ending)."""
        return self._tick(None)

    def _tick(self, mark: Callable[[list[Draft]], list[Draft]] | None) -> list[Event]:
        self.owns_clock = True

        def build(state: ExerciseState, now: int) -> list[Draft]:
            drafts = due_drafts(self.scenario, state, now, self.clock.now())
            return mark(drafts) if mark else drafts

        try:
            events = self._commit(build)
        except EngineError as exc:
            # nothing of the failed tick was appended; stop the clock so the journal says why
            # instead of staying "running" on a scenario that cannot move on
            self._stop_clock(f"stopped: {exc}")
            raise
        if self.state.status == "running":
            self.journal.save_checkpoint(self.now(), self.clock.now())
        return events

    def _stop_clock(self, reason: str) -> None:
        def build(state: ExerciseState, now: int) -> list[Draft]:
            if state.status != "running":
                return []
            return [Draft("paused", max(now, state.last_time), "system", None, {"reason": reason})]

        self._commit(build)

    def end_scenario(self) -> list[Event]:
        """The facilitator ends play now (no scenario ending is reached)."""

        def build(state: ExerciseState, now: int) -> list[Draft]:
            if state.status not in ("running", "paused"):
                raise Refused(f"cannot end: the exercise is {state.status.replace('_', ' ')}")
            drafts: list[Draft] = []
            work = state.copy()

            def emit(d: Draft) -> None:
                apply(self.scenario, work, d, self.clock.now())
                drafts.append(d)

            finish(self.scenario, work, now, emit, None, actor="facilitator")
            return drafts

        return self.tick() + self._commit(build)

    def seal_fork(self, source: str, at_seq: int) -> list[Event]:
        """A new fork's first own event: where it came from, committing to its metadata."""
        payload = {"from": source, "at_seq": at_seq, "meta": self.journal.meta_commitment()}
        return self._commit(
            lambda state, _now: [
                Draft("exercise_forked", state.last_time, "facilitator", None, payload)
            ]
        )

    def mark_pre_played(self, payload: dict[str, object]) -> list[Event]:
        """Journal where a pre-play (``--start-at``) stopped: every point closed so far was the
        playthrough's, not a seat's (``exercise_engine.prelude``)."""
        return self._commit(
            lambda state, now: [Draft("pre_played", now, "facilitator", None, dict(payload))]
        )

    def close_hot_wash(self) -> list[Event]:
        return self._lifecycle("ended")

    def recover(self) -> list[Event]:
        """After a crash: stop the clock where it stood when the facilitator was last heard from
        (its heartbeat or last tick, not the last event), paused, so the room can reorient before
        resuming; and tell every seat (``recovered``). Nothing if no clock was left running and
        no facilitator's console was lost (a clean quit pauses and says goodbye)."""
        self.refresh()
        presence = self.presence()

        def build(state: ExerciseState, _now: int) -> list[Draft]:
            lost = sorted(c for log in state.seats.values() for c in log.clock_consoles)
            if state.status != "running" and not (lost and state.status in ("briefing", "paused")):
                return []
            at = presence.stood(state)
            seen = presence.facilitator_seen()
            drafts: list[Draft] = []
            if seen is not None or lost:  # a fork never had a facilitator to lose: just pause
                payload = {"offline_since": seen, "stood_at": at, "consoles": lost}
                drafts.append(Draft("recovered", at, "system", None, payload))
            if state.status == "running":
                reason = "recovered after an interruption"
                drafts.append(Draft("paused", at, "system", None, {"reason": reason}))
            return drafts

        return self._commit(build)

    # --- presence (who is in the room) --------------------------------------------------------

    def heartbeat(self, seat: str) -> bool:
        """Say "still here" for ``seat`` (not an event: the journal's ``local`` table), at most
        every ``HEARTBEAT_EVERY`` seconds; True when written. Nothing once the exercise is closed."""
        wall = self.clock.now()
        if self._last_beat is not None and wall - self._last_beat < HEARTBEAT_EVERY:
            return False
        if self.state.status == "ended":
            return False
        key, value = heartbeat_row(seat, wall, self.now())
        self.journal.set_local(key, value)
        self._last_beat = wall
        return True

    def join(self, seat: str, console: str, *, clock: bool = False) -> list[Event]:
        """A console of ``seat`` opened (``clock``: it is the facilitator's clock owner)."""
        self._last_beat = None
        self.heartbeat(seat)
        payload: dict[str, object] = {"seat": seat, "console": console}
        if clock:
            payload["clock"] = True
        return self._presence_event("seat_joined", seat, payload)

    def leave(self, seat: str, console: str) -> list[Event]:
        """A console of ``seat`` closed."""
        return self._presence_event("seat_left", seat, {"seat": seat, "console": console})

    def _presence_event(self, kind: str, seat: str, payload: dict[str, object]) -> list[Event]:
        actor = "facilitator" if seat == FACILITATOR else f"role:{seat}"
        role = None if seat == FACILITATOR else seat

        def build(state: ExerciseState, now: int) -> list[Draft]:
            if not may_journal_presence(state):
                return []
            return [Draft(kind, now, actor, role, payload)]

        return self._commit(build)

    def mark_opened(self, seat: str, inject: str) -> list[Event]:
        """A read receipt: ``seat`` opened the message ``inject`` in full (first time only)."""
        if seat in self.state.opened.get(inject, {}):
            return []
        return self._commit(lambda state, now: opened_drafts(state, now, seat=seat, inject=inject))

    # --- decisions, advice, notes ----------------------------------------------------------

    def decide(
        self,
        *,
        role: str,
        inject: str,
        decision: str,
        option: str | None = None,
        rationale: str = "",
        actor: str | None = None,
    ) -> Outcome:
        """Record a decision (``actor="facilitator"`` for hot seat); refusals are journalled."""
        actor = actor or f"role:{role}"
        result = Outcome(False)

        def build(state: ExerciseState, now: int) -> list[Draft]:
            reason = decision_refusal(
                self.scenario,
                state,
                now,
                role=role,
                inject=inject,
                decision=decision,
                option=option,
                rationale=rationale,
            )
            if reason is not None:
                result.reason = reason
                payload = {
                    "inject": inject,
                    "decision": decision,
                    "option": option,
                    "reason": reason,
                }
                return [Draft("decision_refused", now, actor, role, payload)]
            result.accepted = True
            return decision_drafts(
                self.scenario,
                state,
                now,
                role=role,
                inject=inject,
                decision=decision,
                option=option,
                rationale=rationale,
                actor=actor,
            )

        result.events = self._commit(build)
        return result

    def advise(
        self,
        *,
        role: str,
        inject: str,
        decision: str,
        text: str = "",
        recommend: str | None = None,
    ) -> Outcome:
        """Record a consulted role's advice on an open point."""
        actor = f"role:{role}"
        result = Outcome(False)

        def build(state: ExerciseState, now: int) -> list[Draft]:
            reason = advice_refusal(
                self.scenario,
                state,
                now,
                role=role,
                inject=inject,
                decision=decision,
                recommend=recommend,
                text=text,
            )
            if reason is not None:
                result.reason = reason
                payload = {
                    "inject": inject,
                    "decision": decision,
                    "option": recommend,
                    "reason": f"advice refused: {reason}",
                }
                return [Draft("decision_refused", now, actor, role, payload)]
            result.accepted = True
            return [
                Draft(
                    "advice_recorded",
                    now,
                    actor,
                    role,
                    {"inject": inject, "decision": decision, "recommend": recommend, "text": text},
                )
            ]

        result.events = self._commit(build)
        return result

    def note(self, text: str) -> list[Event]:
        if not text.strip():
            raise Refused("the note is empty")
        return self._commit(
            lambda _s, now: [Draft("facilitator_note", now, "facilitator", None, {"text": text})]
        )

    def hot_wash_note(self, kind: str, text: str) -> list[Event]:
        if kind not in HOT_WASH_KINDS:
            raise Refused(f"a hot-wash note is one of {', '.join(HOT_WASH_KINDS)}")
        if not text.strip():
            raise Refused("the note is empty")
        return self._commit(
            lambda _s, now: [
                Draft("hot_wash_note", now, "facilitator", None, {"kind": kind, "text": text})
            ]
        )

    def deliver(self, inject_id: str) -> list[Event]:
        """The facilitator delivers a scenario inject by hand (a contingency inject, or early)."""

        def build(state: ExerciseState, now: int) -> list[Draft]:
            if state.status not in ("running", "paused"):
                raise Refused("the exercise is not running")
            inject = self.scenario.injects.get(inject_id)
            if inject is None:
                raise Refused(f"unknown inject {inject_id!r}")
            if inject_id in state.deliveries:
                raise Refused(f"inject {inject_id!r} was already delivered")
            payload = {
                "inject": inject_id,
                "roles": self.scenario.audience(inject),
                "due": now,
                "manual": True,
            }
            return [Draft("inject_delivered", now, "facilitator", None, payload)]

        return self._commit(build) + self.tick()

    def inject_manually(
        self,
        *,
        title: str,
        body: str,
        to: list[str],
        channel: str = "report",
        sender: str = "Exercise control",
    ) -> list[Event]:
        """A new inject written on the facilitator's console during play."""

        def build(state: ExerciseState, now: int) -> list[Draft]:
            if state.status not in ("running", "paused"):
                raise Refused("the exercise is not running")
            if not title.strip() or not body.strip():
                raise Refused("a manual inject needs a title and a body")
            audience = list(self.scenario.roles) if to == ["all"] else to
            unknown = [r for r in audience if r not in self.scenario.roles]
            if unknown or not audience:
                raise Refused(f"not in play: {', '.join(unknown) or 'no roles given'}")
            if channel not in self.scenario.channels:
                raise Refused(f"unknown channel {channel!r}")
            ident = f"manual-{len(state.manual_injects) + 1}"
            payload = {
                "inject": ident,
                "title": title,
                "body": body,
                "channel": channel,
                "sender": sender,
                "to": audience,
            }
            return [Draft("inject_injected_manually", now, "facilitator", None, payload)]

        return self._commit(build)

    # --- evaluators --------------------------------------------------------------------------

    def rate(
        self,
        *,
        evaluator: str,
        inject: str,
        decision: str,
        rating: str,
        consideration: str | None = None,
        note: str = "",
    ) -> list[Event]:
        """An evaluator's P/S/M/U rating of a decision (or of one consideration at it)."""

        def build(state: ExerciseState, now: int) -> list[Draft]:
            if not evaluator.strip():
                raise Refused("an evaluator needs a name")
            problem = rating_refusal(rating)
            if problem:
                raise Refused(problem)
            if (inject, decision) not in state.points:
                raise Refused(
                    f"{inject}/{decision} is not a decision point of this exercise that was reached"
                )
            if consideration is not None and consideration not in self.scenario.considerations:
                raise Refused(f"consideration: unknown consideration {consideration!r}")
            payload = {
                "evaluator": evaluator,
                "inject": inject,
                "decision": decision,
                "consideration": consideration,
                "rating": normalize_rating(rating),
                "note": note,
            }
            return [Draft("evaluator_rating", now, f"evaluator:{evaluator}", None, payload)]

        return self._commit(build)

    def rate_objective(
        self, *, evaluator: str, objective: str, rating: str, note: str = ""
    ) -> list[Event]:
        """An evaluator's P/S/M/U rating of one exercise objective (HSEEP: the objective's rating)."""

        def build(_state: ExerciseState, now: int) -> list[Draft]:
            if not evaluator.strip():
                raise Refused("an evaluator needs a name")
            problem = rating_refusal(rating) or objective_refusal(self.scenario, objective)
            if problem:
                raise Refused(problem)
            payload = {
                "evaluator": evaluator,
                "objective": objective,
                "rating": normalize_rating(rating),
                "note": note,
            }
            return [Draft("objective_rating", now, f"evaluator:{evaluator}", None, payload)]

        return self._commit(build)

    def edit_plan(self, *, editor: str, row: str, fields: dict[str, str]) -> list[Event]:
        """Set fields of one improvement-plan row (an edit is appended; the last value counts)."""
        current: dict[str, str] = {}
        for event in self.journal.events():
            if event.kind == "plan_edited" and event.payload.get("row") == row:
                current.update(event.payload.get("fields") or {})

        def build(_state: ExerciseState, now: int) -> list[Draft]:
            if not editor.strip():
                raise Refused("a plan edit needs the editor's name")
            problem = plan_refusal(self.scenario, row, fields, current)
            if problem:
                raise Refused(problem)
            payload = {"editor": editor, "row": row, "fields": dict(fields)}
            return [Draft("plan_edited", now, f"evaluator:{editor}", None, payload)]

        return self._commit(build)

    def set_seat(
        self, *, role: str, participant: str | None = None, played: bool = True
    ) -> list[Event]:
        """The facilitator records who sat a seat, or that nobody played it (its decision points
        are then left out of the after-action scores, not rated U)."""

        def build(state: ExerciseState, now: int) -> list[Draft]:
            problem = seat_refusal(self.scenario, role)
            if problem:
                raise Refused(problem)
            payload = {"role": role, "participant": participant, "played": played}
            return [Draft("seat_set", now, "facilitator", role, payload)]

        return self._commit(build)

    def evaluator_note(
        self, *, evaluator: str, inject: str, decision: str, text: str
    ) -> list[Event]:
        """An evaluator's note on a decision."""

        def build(state: ExerciseState, now: int) -> list[Draft]:
            if not evaluator.strip() or not text.strip():
                raise Refused("an evaluator note needs the evaluator's name and a text")
            if (inject, decision) not in state.points:
                raise Refused(
                    f"{inject}/{decision} is not a decision point of this exercise that was reached"
                )
            payload = {"evaluator": evaluator, "inject": inject, "decision": decision, "text": text}
            return [Draft("evaluator_note", now, f"evaluator:{evaluator}", None, payload)]

        return self._commit(build)


_REPLAY_ERRORS = (ReplayError, KeyError, TypeError, ValueError, AttributeError, IndexError)
"""What applying a damaged but well-formed event can raise (a payload of the wrong shape)."""


def replay(
    journal: JournalStore,
    scenario: LoadedScenario,
    events: list[Event],
    state: ExerciseState | None = None,
) -> ExerciseState:
    """Apply ``events`` to ``state`` (a fresh one if None); a failure names the event."""
    state = fold(scenario, []) if state is None else state
    for event in events:
        try:
            apply(scenario, state, event, event.wall_time)
        except _REPLAY_ERRORS as exc:
            raise DamagedJournal(
                f"{journal.path}: event {event.seq} ({event.kind}) cannot be replayed "
                f"({type(exc).__name__}: {exc}); run `exercise-engine verify`"
            ) from None
    return state


def _scenario_for(
    journal: JournalStore, given: LoadedScenario | None, allow_changed: bool
) -> LoadedScenario:
    """The scenario to replay with: the journal's own snapshot unless a changed one is allowed."""
    path = journal.path
    meta = journal.meta()
    stored = meta.get("scenario_hash", "")
    if given is not None and meta.get("scenario_id") not in (None, given.id):
        raise ScenarioChanged(
            f"{path} plays scenario {meta.get('scenario_id')!r}, not {given.id!r}: "
            "choose another --exercise file"
        )
    if given is not None and given.content_hash() != stored and not allow_changed:
        raise ScenarioChanged(
            f"{path} was started with a different version of scenario {meta.get('scenario_id')!r}; "
            "the files have changed since (use --allow-changed to replay against the new files)"
        )
    if given is not None and given.content_hash() != stored:
        return given
    snapshot = meta.get("scenario_snapshot")
    damage = _snapshot_damage(snapshot)
    if damage is not None:
        raise DamagedJournal(
            f"{path}: metadata row 'scenario_snapshot' is damaged ({damage}); run `exercise-engine verify`"
        )
    assert snapshot is not None
    try:
        loaded = load_snapshot(snapshot)
    except (LoadError, ValueError, RecursionError) as exc:
        raise DamagedJournal(
            f"{path}: metadata row 'scenario_snapshot' does not load ({exc})"
        ) from None
    if stored and loaded.content_hash() != stored:
        raise DamagedJournal(
            f"{path}: metadata row 'scenario_snapshot' does not match 'scenario_hash' "
            "(one of them was changed); run `exercise-engine verify`"
        )
    return loaded


def _snapshot_damage(snapshot: str | None) -> str | None:
    """Why a stored snapshot is not a list of {name, text} files, or None."""
    if snapshot is None:
        return "missing"
    try:
        files = json.loads(snapshot)
    except ValueError:
        return "not valid JSON"
    if not isinstance(files, list) or not files:
        return "not a list of scenario files"
    for entry in files:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not isinstance(entry.get("text"), str)
        ):
            return "an entry is not a file with a name and a text"
    return None
