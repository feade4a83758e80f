"""Bot playthroughs: explore a scenario's decision tree on the engine's functional core.

``exercise-engine lint`` calls :func:`explore`. A bot plays the scenario on exercise time alone
(no journal, no SQLite, no wall clock): it folds the same events the engine would journal, with
``engine.advance`` moving time from one moment to the next and ``engine.decisions`` recording
decisions. Whenever a decision point opens, the exploration branches: one branch per option (or
one written answer for a free-text point) decided at once, plus one where the window is left to
expire (when the point has a window). Each branch continues from a copy of the state, so a
shared prefix is played only once.

The tree grows quickly (every point multiplies it), so exploration is bounded: when a depth-first
walk of every path would exceed ``max_runs`` complete runs, it starts again and samples
``max_runs`` runs instead, picking at each point one of the choices tried least often so far
(ties broken by a seeded random generator, so the same seed gives the same report).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from exercise_engine.engine import (
    EngineError,
    ExerciseState,
    Savepoint,
    advance_in_place,
    apply,
    initial_state,
)
from exercise_engine.engine.advance import Rules, next_moment, rules_for
from exercise_engine.engine.decisions import decision_drafts, decision_refusal
from exercise_engine.engine.state import Delivery, PointState
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model.events import Draft
from exercise_engine.model.times import format_duration

MAX_MOMENTS_PER_RUN = 100_000
BOT_RATIONALE = "(written by the lint bot)"
DEFAULT_THINK = 5 * 60
"""The bot answers a decision point five minutes after it opens (or halfway through a shorter
window): an MLT needs some minutes, and an instant answer would make injects that follow a
decision collide with the inject that asked for it."""

Progress = Callable[[int, int], None]
"""Called with (runs done, runs at most) as exploration proceeds."""


@dataclass(frozen=True)
class Choice:
    """What the bot did at one decision point."""

    inject: str
    decision: str
    option: str | None
    """The option chosen; None for a written (free-text) answer or an expiry."""
    expire: bool = False
    """True when the bot let the window close."""
    at: int = 0

    def __str__(self) -> str:
        what = "let expire" if self.expire else (self.option or "written answer")
        return f"{self.inject}/{self.decision}: {what}"


@dataclass
class Run:
    """One complete bot playthrough: its choices and what the engine did."""

    choices: tuple[Choice, ...]
    deliveries: dict[str, Delivery]
    phase_history: list[tuple[int, str]]
    points: dict[tuple[str, str], PointState]
    ending: str | None
    end_time: int
    stuck: str = ""
    """Why the run stopped without an ending ('' when it reached one)."""

    def path(self) -> str:
        """The choices as one line, for naming an example run in the report."""
        return "; ".join(str(c) for c in self.choices) or "no decision points"


@dataclass
class Exploration:
    """Every run the bot played, and what it saw on the way."""

    runs: list[Run] = field(default_factory=list)
    exhaustive: bool = True
    """True when every path of the decision tree was played; False when runs were sampled."""
    max_runs: int = 500
    seed: int = 0
    condition_held: set[str] = field(default_factory=set)
    """Injects whose ``when`` condition held at some moment of some run before their delivery."""
    walked: list[Run] = field(default_factory=list)
    """When sampling: the complete runs the depth-first walk played before it gave up. They are
    real paths (so an ending they reach is reachable) but not a fair sample (they share the first
    options), so they count for reachability only, never for the shares."""


@dataclass(frozen=True)
class _Branch:
    """One node of the decision tree: a state, the bot's exercise time and how it got there."""

    state: ExerciseState
    now: int
    handled: frozenset[tuple[str, str]]
    """Points the bot has made its choice for (to decide later, or to let expire)."""
    planned: tuple[Choice, ...]
    """Decisions chosen but not yet recorded, each with the time the bot records it."""
    choices: tuple[Choice, ...]

    def but(self, **changes: object) -> _Branch:
        return replace(self, **changes)  # type: ignore[arg-type]


class _Bot:
    """The pieces of a playthrough: settle to the next choice, list the choices, make one."""

    def __init__(self, scenario: LoadedScenario, think: int) -> None:
        self.scenario = scenario
        self.think = think
        self.rules: Rules = rules_for(scenario)
        self.watched = {
            iid: scenario.conditions[f"inject:{iid}"]
            for iid, inject in scenario.injects.items()
            if inject.when is not None and not inject.manual
        }
        self.condition_held: set[str] = set()

    def start(self) -> _Branch:
        state = initial_state(self.scenario)
        apply(self.scenario, state, Draft("briefing_opened", 0, "facilitator"), 0.0)
        apply(self.scenario, state, Draft("started", 0, "facilitator"), 0.0)
        return self._advance(_Branch(state, 0, frozenset(), (), ()), 0)

    def _advance(self, branch: _Branch, until: int) -> _Branch:
        state = branch.state  # each branch owns its state (``make`` forks it): no copy here
        savepoint = Savepoint(state)
        try:
            advance_in_place(self.scenario, state, until, 0.0)
        except EngineError:
            savepoint.rollback()  # the branch ends where it stood, as the facilitator would see it
            raise
        savepoint.release()
        self._observe(state)
        # events are stamped only when something happens: the bot keeps its own "now"
        return branch.but(state=state, now=max(until, state.last_time))

    def _observe(self, state: ExerciseState) -> None:
        for iid in self.watched:
            if iid in self.condition_held or iid in state.deliveries:
                continue
            if self.rules.answers.holds(f"inject:{iid}", state):  # cached by its stamp
                self.condition_held.add(iid)

    def settle(self, branch: _Branch) -> tuple[_Branch, PointState | None, str]:
        """Run the clock until a point needs a choice, the scenario ends, or nothing can happen."""
        for _ in range(MAX_MOMENTS_PER_RUN):
            branch = self._record_due(branch)
            state = branch.state
            pending = [
                p
                for p in state.open_points()
                if (p.inject, p.decision) not in branch.handled
                and (p.deadline is None or p.deadline > branch.now)
            ]
            if pending:
                order = self.rules.order
                pending.sort(key=lambda p: (p.opened_at, order[p.inject], p.decision))
                return branch, pending[0], ""
            if state.status != "running":
                return branch, None, ""
            moments = [c.at for c in branch.planned]
            target = next_moment(self.rules, state, branch.now)
            if target is not None:
                moments.append(target)
            if not moments:
                return branch, None, self._why_stuck(branch)
            try:
                branch = self._advance(branch, min(moments))
            except EngineError as exc:
                return branch, None, f"the engine stopped: {exc}"
        return branch, None, "the run did not end within the bot's limit of moments"

    def _why_stuck(self, branch: _Branch) -> str:
        state = branch.state
        open_points = [f"{p.inject}/{p.decision}" for p in state.open_points()]
        phase = self.scenario.phases.get(state.phase)
        if open_points and phase is not None and phase.gate:
            return (
                f"stalled in gated phase {state.phase!r} at {format_duration(branch.now)}: "
                f"waiting for {', '.join(open_points)} (no window) to be decided"
            )
        return (
            f"stalled in phase {state.phase!r} at {format_duration(branch.now)}: "
            "no transition or ending can hold any more"
        )

    def choices(self, point: PointState, now: int) -> list[Choice]:
        """Every answer to ``point``: each option (or a written answer), and the expiry."""
        spec = self.scenario.decision_point(point.inject, point.decision)
        assert spec is not None
        at = now + self.think
        if point.deadline is not None:  # answer within the window: at most halfway through it
            at = min(at, now + (point.deadline - now) // 2)
        out = [Choice(point.inject, point.decision, o.id, at=at) for o in spec.options]
        if not spec.options:
            out.append(Choice(point.inject, point.decision, None, at=at))
        if point.deadline is not None:
            out.append(Choice(point.inject, point.decision, None, True, point.deadline))
        return out

    def make(self, branch: _Branch, point: PointState, choice: Choice) -> _Branch:
        """The branch where ``choice`` is the bot's answer to ``point``."""
        handled = branch.handled | {(point.inject, point.decision)}
        choices = (*branch.choices, choice)
        state = branch.state.copy()  # the fork: the child plays on from here on its own copy
        if choice.expire:
            return branch.but(state=state, handled=handled, choices=choices)
        planned = tuple(sorted((*branch.planned, choice), key=lambda c: c.at))
        return branch.but(state=state, handled=handled, planned=planned, choices=choices)

    def _record_due(self, branch: _Branch) -> _Branch:
        """Record every planned decision whose time has come, then let the engine react."""
        while branch.planned and branch.planned[0].at <= branch.now:
            choice, rest = branch.planned[0], branch.planned[1:]
            branch = branch.but(planned=rest)
            point = branch.state.points.get((choice.inject, choice.decision))
            if point is None or not point.is_open or branch.state.status != "running":
                continue  # closed meanwhile (the scenario ended): nothing to record
            self._record(branch.state, point, choice.option, branch.now)
            branch = self._advance(branch, branch.now)
        return branch

    def _record(
        self, state: ExerciseState, point: PointState, option: str | None, now: int
    ) -> bool:
        """Apply the decision's events to ``state``; False if the engine would refuse it."""
        refusal = decision_refusal(
            self.scenario,
            state,
            now,
            role=point.role,
            inject=point.inject,
            decision=point.decision,
            option=option,
            rationale=BOT_RATIONALE,
        )
        if refusal is not None:  # cannot happen for an open point inside its window
            return False
        for draft in decision_drafts(
            self.scenario,
            state,
            now,
            role=point.role,
            inject=point.inject,
            decision=point.decision,
            option=option,
            rationale=BOT_RATIONALE,
            actor=f"role:{point.role}",
        ):
            apply(self.scenario, state, draft, 0.0)
        return True

    def finish(self, branch: _Branch, stuck: str) -> Run:
        state = branch.state
        return Run(
            choices=branch.choices,
            deliveries=state.deliveries,
            phase_history=state.phase_history,
            points=state.points,
            ending=state.ending,
            end_time=branch.now,
            stuck="" if state.ending is not None else (stuck or "ended without an ending"),
        )


def explore(
    scenario: LoadedScenario,
    *,
    max_runs: int = 500,
    seed: int = 0,
    think: int = DEFAULT_THINK,
    progress: Progress | None = None,
) -> Exploration:
    """Play every path of the decision tree, or ``max_runs`` sampled runs when there are more.

    ``think`` is how long the bot takes to answer a point (at most half its window).
    """
    bot = _Bot(scenario, think)
    result = Exploration(max_runs=max_runs, seed=seed)
    known = _Known(bot)
    walked: list[Run] = []
    runs = _walk_every_path(bot, known, max_runs, progress, walked)
    if runs is None:
        result.exhaustive = False
        result.walked = walked
        runs = _sample(bot, known, max_runs, seed, progress)
    result.runs = runs
    result.condition_held = bot.condition_held
    if progress:
        progress(len(runs), len(runs))
    return result


Settled = tuple[_Branch, PointState | None, str]
"""A branch played on to its next choice (or its end): what ``_Bot.settle`` returns."""

MAX_KNOWN = 20_000
"""Settled branches remembered by their path of choices (bounds the memory of a long lint)."""


class _Known:
    """Branches already played, by the choices that led to them: a path that shares a prefix
    with one already played forks from the state where that prefix ends instead of replaying it
    from the start. Memoised states are never played on (``_Bot.make`` copies before a fork)."""

    def __init__(self, bot: _Bot) -> None:
        self.bot = bot
        self.settled: dict[tuple[Choice, ...], Settled] = {}

    def root(self) -> Settled:
        return self._remember((), lambda: self.bot.settle(self.bot.start()))

    def child(self, settled: Settled, choice: Choice) -> Settled:
        branch, point, _stuck = settled
        assert point is not None
        path = (*branch.choices, choice)
        return self._remember(path, lambda: self.bot.settle(self.bot.make(branch, point, choice)))

    def _remember(self, path: tuple[Choice, ...], play: Callable[[], Settled]) -> Settled:
        known = self.settled.get(path)
        if known is None:
            known = play()
            if len(self.settled) < MAX_KNOWN:
                self.settled[path] = known
        return known


def _walk_every_path(
    bot: _Bot, known: _Known, max_runs: int, progress: Progress | None, runs: list[Run]
) -> list[Run] | None:
    """Depth-first over every choice into ``runs``; None as soon as there are more than
    ``max_runs`` paths (``runs`` then holds the paths walked so far)."""
    stack = [known.root()]
    while stack:
        settled = stack.pop()
        branch, point, stuck = settled
        if point is None:
            runs.append(bot.finish(branch, stuck))
            if len(runs) > max_runs:
                return None
            if progress:
                progress(len(runs), max_runs)
            continue
        choices = bot.choices(point, branch.now)
        stack += [known.child(settled, c) for c in reversed(choices)]
    return runs


def _sample(
    bot: _Bot, known: _Known, max_runs: int, seed: int, progress: Progress | None
) -> list[Run]:
    """``max_runs`` runs, each choice one of the least tried at its point (seeded tie-break).

    A run forks from the branches already played where its path shares their prefix (the same
    runs as replaying each from the start, at a fraction of the cost)."""
    rng = random.Random(seed)
    tried: Counter[tuple[str, str, str | None, bool]] = Counter()
    runs: list[Run] = []
    for n in range(max_runs):
        settled = known.root()
        while True:
            branch, point, stuck = settled
            if point is None:
                runs.append(bot.finish(branch, stuck))
                break
            options = bot.choices(point, branch.now)
            keys = [(c.inject, c.decision, c.option, c.expire) for c in options]
            fewest = min(tried[k] for k in keys)
            pick = rng.choice([i for i, k in enumerate(keys) if tried[k] == fewest])
            tried[keys[pick]] += 1
            settled = known.child(settled, options[pick])
        if progress:
            progress(n + 1, max_runs)
    return runs
