"""What lint reports after the bot playthroughs: the findings a facilitator acts on before class.

``exercise-engine lint`` loads the scenario (all that ``validate`` checks), calls
:func:`lint_scenario`, and prints :meth:`LintReport.lines`. The findings:

- **unreachable injects** (errors): timed or conditional injects no run delivered, each with the
  reason (its phase never entered, its ``after`` target never delivered, its condition never true,
  every run over before its time); manual injects are listed apart, they are delivered by hand;
- **dead ends**: phases entered from which no run reaches an ending, and the paths that stall;
- **decision points without evidence** for the after-action to score;
- **roles** that never receive an inject or never get to decide;
- **collisions**: injects reaching one role within the collision window of each other;
- **endings** reached, and in how many runs;
- the **craft checks** of :mod:`exercise_engine.authoring.craft`: flags and variables that go
  nowhere, school solutions and label tells, clock words that contradict the clock, playability
  at the shipped speed, seats, effects that never bite.

The report opens with a one-screen summary (a count per section), then the details.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from exercise_engine.authoring.craft.clockwords import check_clock_words
from exercise_engine.authoring.craft.options import check_options
from exercise_engine.authoring.craft.playability import check_playability
from exercise_engine.authoring.craft.seats import check_seats
from exercise_engine.authoring.craft.state import check_state
from exercise_engine.authoring.explore import DEFAULT_THINK, Exploration, Progress, Run, explore
from exercise_engine.authoring.finding import Finding, Severity
from exercise_engine.authoring.locate import Locator
from exercise_engine.engine.advance import due_after
from exercise_engine.loading.loaded import LoadedScenario
from exercise_engine.model import Inject
from exercise_engine.model.times import format_duration

__all__ = ["Collision", "Finding", "LintReport", "Severity", "lint_scenario"]


@dataclass(frozen=True)
class Collision:
    """Injects that reach the same roles within the collision window of each other."""

    injects: tuple[str, ...]
    roles: tuple[str, ...]
    at: int
    runs: int


@dataclass
class LintReport:
    """Everything lint found, from the static scenario and from the runs."""

    scenario: LoadedScenario
    exploration: Exploration
    findings: list[Finding] = field(default_factory=list)
    collisions: list[Collision] = field(default_factory=list)
    window: int = 60

    @property
    def runs(self) -> list[Run]:
        return self.exploration.runs

    @property
    def unreachable(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "unreachable"]

    def of_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def endings(self) -> Counter[str]:
        """How many runs reached each ending (``None`` runs are counted as stalled)."""
        return Counter(r.ending for r in self.runs if r.ending is not None)

    @property
    def errors(self) -> list[Finding]:
        """Findings that fail lint (exit status 1)."""
        return [f for f in self.findings if f.severity == "error"]

    def sections(self) -> list[tuple[str, str]]:
        """(kind, title) of each report section, in the order they are printed."""
        return [
            ("unreachable", "Unreachable injects"),
            ("ending", "Endings never reached"),
            ("manual", "Manual injects (delivered by hand only)"),
            ("dead-end", "Dead ends"),
            ("phase", "Phases never entered"),
            ("no-evidence", "Decision points without evidence"),
            ("role", "Roles"),
            ("collision", f"Collisions (one role, within {format_duration(self.window)})"),
            ("state", "1. Flags and variables that go nowhere"),
            ("school", "2. School solutions and label tells"),
            ("clock", "3. Clock words that contradict the clock"),
            ("playability", "4. Playability at the shipped speed"),
            ("seats", "5. Seats"),
            ("bite", "6. Effects that never bite"),
        ]

    def lines(self, quiet: bool = False, validate: Sequence[str] = ()) -> list[str]:
        """The report as printed by ``exercise-engine lint``: the summary (how the bot played,
        the endings, a count per section), then the details (``quiet``: no notes or info).
        ``validate`` holds validate's warning lines, printed first among the details."""
        total = len(self.runs)
        ex = self.exploration
        if ex.exhaustive:
            how = f"{total} run(s): every path explored (each option and each expiry tried)"
        else:
            how = (
                f"{total} run(s) sampled (more than {ex.max_runs} paths; seed {ex.seed}): "
                "raise --max-runs to explore more"
            )
        out = [f"Bot playthroughs of {self.scenario.id}: {how}", "Endings:"]
        endings = self.endings()
        ids = [self.scenario.ending_id(i) for i in range(len(self.scenario.file.end))]
        width = max([len(e) for e in ids] + [8])
        for index in range(len(self.scenario.file.end)):
            eid = self.scenario.ending_id(index)
            count = endings.get(eid, 0)
            out.append(f"  {eid:<{width}}  {_share(count, total)}")
        stalled = total - sum(endings.values())
        if stalled:
            out.append(f"  {'(none)':<{width}}  {_share(stalled, total)}: no ending reached")
        hidden: tuple[Severity, ...] = ("note", "info") if quiet else ()
        shown = {
            kind: [f for f in self.of_kind(kind) if f.severity not in hidden]
            for kind, _title in self.sections()
        }
        out.append("Summary:")
        out += [f"  {title:<44} {_counts(shown[kind])}" for kind, title in self.sections()]
        if validate:
            out.append(f"Validate's warnings: {len(validate)}")
            out += [f"  {line}" for line in validate]
        for kind, title in self.sections():
            items = shown[kind]
            if not items:
                continue
            out.append(f"{title}: {len(items)}")
            for item in items:
                out.append(f"  {item}")
                out += [f"      {detail}" for detail in item.details]
        return out


def _counts(findings: list[Finding]) -> str:
    """``2 error(s), 1 warning(s)`` for a summary line; ``none`` when empty."""
    counts = Counter(f.severity for f in findings)
    parts = [
        f"{counts[s]} {s}{'' if s == 'info' else '(s)'}"
        for s in ("error", "warning", "info", "note")
        if counts[s]
    ]
    return ", ".join(parts) or "none"


def _share(count: int, total: int) -> str:
    percent = round(100 * count / total) if total else 0
    return f"{count} of {total} run(s) ({percent}%)"


def lint_scenario(
    scenario: LoadedScenario,
    *,
    max_runs: int = 500,
    seed: int = 0,
    think: int = DEFAULT_THINK,
    window: int = 60,
    progress: Progress | None = None,
) -> LintReport:
    """Explore ``scenario`` with bot playthroughs and collect every finding."""
    exploration = explore(scenario, max_runs=max_runs, seed=seed, think=think, progress=progress)
    report = LintReport(scenario, exploration, window=window)
    locate = Locator(scenario)
    report.findings += _unreachable(scenario, exploration, locate)
    report.findings += _endings(scenario, exploration, locate)
    report.findings += _dead_ends(scenario, exploration, locate)
    report.findings += _no_evidence(scenario, locate)
    report.findings += _roles(scenario, exploration, locate)
    report.collisions = _collisions(scenario, exploration.runs, window)
    total = len(exploration.runs)
    report.findings += [_collision_finding(c, total, window, locate) for c in report.collisions]
    report.findings += check_state(scenario, locate)
    report.findings += check_options(scenario, locate)
    report.findings += check_clock_words(scenario, exploration.runs, locate)
    report.findings += check_playability(scenario, exploration.runs, locate)
    report.findings += check_seats(scenario, exploration.runs, locate)
    return report


# --- unreachable injects ---------------------------------------------------------------------


def _unreachable(
    scenario: LoadedScenario, exploration: Exploration, locate: Locator
) -> list[Finding]:
    runs = exploration.runs
    delivered = {iid for r in runs for iid in r.deliveries}
    entered = {phase for r in runs for _t, phase in r.phase_history}
    latest = max((r.end_time for r in runs), default=0)
    findings: list[Finding] = []
    for iid, inject in scenario.injects.items():
        if inject.manual:
            findings.append(
                Finding(
                    "manual",
                    f"{iid!r} ({inject.title}) is delivered only when the facilitator sends it",
                    locate.inject(iid),
                    "note",
                    iid,
                )
            )
            continue
        if iid in delivered:
            continue
        reason = _why_never(inject, runs, delivered, entered, latest, exploration)
        sampled = "" if exploration.exhaustive else " (in the sampled runs)"
        findings.append(
            Finding(
                "unreachable",
                f"unreachable: inject {iid!r} is never delivered{sampled}: {reason}",
                locate.inject(iid),
                "error",
                iid,
            )
        )
    return findings


def _why_never(
    inject: Inject,
    runs: list[Run],
    delivered: set[str],
    entered: set[str],
    latest: int,
    exploration: Exploration,
) -> str:
    if inject.phase is not None and inject.phase not in entered:
        return f"its phase {inject.phase!r} is never entered"
    if inject.after is not None and inject.after.inject not in delivered:
        return f"it follows {inject.after.inject!r}, which is never delivered"
    if inject.when is not None and inject.id not in exploration.condition_held:
        return f"its condition {inject.when!r} is never true"
    due = [d for r in runs if (d := _due(inject, r)) is not None]
    if due and min(due) > latest:
        return (
            f"every run is over before its time {format_duration(min(due))} "
            f"(the latest run ends at {format_duration(latest)})"
        )
    if inject.phase is not None:
        return (
            f"the scenario is never in phase {inject.phase!r} when its other triggers hold "
            "(the phase is left before the inject falls due)"
        )
    return "its triggers never hold at the same moment"


def _due(inject: Inject, run: Run) -> int | None:
    """When the inject's time triggers were met in ``run`` (None while ``after`` waits)."""
    return due_after(inject, run.deliveries)


def _endings(scenario: LoadedScenario, exploration: Exploration, locate: Locator) -> list[Finding]:
    reached = {r.ending for r in [*exploration.runs, *exploration.walked]}
    sampled = "" if exploration.exhaustive else " in the sampled runs"
    findings = []
    for index, ending in enumerate(scenario.file.end):
        eid = scenario.ending_id(index)
        if eid not in reached:
            findings.append(
                Finding(
                    "ending",
                    f"ending {eid!r} is never reached{sampled}: its condition {ending.when!r} holds in no run",
                    locate.ending(index),
                    "warning",
                    eid,
                )
            )
    return findings


# --- dead ends and phases --------------------------------------------------------------------


def _dead_ends(
    scenario: LoadedScenario, exploration: Exploration, locate: Locator
) -> list[Finding]:
    runs = exploration.runs
    entering: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        for pid in dict.fromkeys(p for _t, p in run.phase_history):
            entering[pid].append(run)
    leaves = {t.from_ for t in scenario.file.transitions}
    findings: list[Finding] = []
    for phase in scenario.file.phases:
        reached = entering.get(phase.id, [])
        where = locate.phase(phase.id)
        if not reached:
            findings.append(
                Finding(
                    "phase",
                    f"phase {phase.id!r} is never entered in any run",
                    where,
                    "warning",
                    phase.id,
                )
            )
            continue
        stalled = [r for r in reached if r.ending is None and r.phase_history[-1][1] == phase.id]
        if not stalled:
            continue
        example = stalled[0]
        if not any(r.ending is not None for r in reached):
            way_out = "" if phase.id in leaves else "no transition leaves it and "
            message = (
                f"dead end: phase {phase.id!r}: {way_out}no run that enters it reaches an "
                f"ending ({len(stalled)} run(s); {example.stuck})"
            )
        else:
            message = (
                f"dead end: {len(stalled)} of {len(reached)} run(s) that enter phase "
                f"{phase.id!r} stop in it without an ending: {example.stuck}; "
                f"e.g. after {example.path()}"
            )
        findings.append(Finding("dead-end", message, where, "warning", phase.id))
    return findings


# --- evidence and roles ----------------------------------------------------------------------


def _no_evidence(scenario: LoadedScenario, locate: Locator) -> list[Finding]:
    findings: list[Finding] = []
    for inject, point in scenario.decision_points():
        where = locate.point(inject.id, point.id)
        name = f"{inject.id}/{point.id}"
        if not point.options:
            message = f"{name} is answered in writing only: it is scored on its rationale alone"
        elif not any(o.evidence for o in point.options):
            message = f"{name}: none of its options carries evidence: the after-action cannot score the choice"
        else:
            continue
        findings.append(Finding("no-evidence", message, where, "warning", name))
    return findings


def _roles(scenario: LoadedScenario, exploration: Exploration, locate: Locator) -> list[Finding]:
    runs = exploration.runs
    received = {role for r in runs for d in r.deliveries.values() for role in d.roles}
    decided = {p.role for r in runs for p in r.points.values()}
    audiences = {role for i in scenario.injects.values() for role in scenario.audience(i)}
    owners = {point.role for _i, point in scenario.decision_points()}
    findings: list[Finding] = []
    for role in scenario.roles:
        where = locate.role(role)
        if role not in audiences:
            findings.append(
                Finding("role", f"role {role!r} never receives an inject", where, "warning", role)
            )
        elif role not in received:
            findings.append(
                Finding(
                    "role",
                    f"role {role!r} receives only injects that no run delivers",
                    where,
                    "warning",
                    role,
                )
            )
        if role not in owners:
            findings.append(
                Finding(
                    "role",
                    f"role {role!r} never decides: no decision point is its own",
                    where,
                    "warning",
                    role,
                )
            )
        elif role not in decided:
            findings.append(
                Finding(
                    "role",
                    f"role {role!r} never decides: its decision points are on injects no run delivers",
                    where,
                    "warning",
                    role,
                )
            )
    return findings


# --- collisions ------------------------------------------------------------------------------


@dataclass
class _Seen:
    roles: set[str]
    at: int
    runs: int = 0


def _clusters(items: list[tuple[int, int, str]], window: int) -> list[tuple[int, tuple[str, ...]]]:
    """Groups of deliveries (at, order, inject) that start within ``window`` of the first."""
    items = sorted(items)
    out: list[tuple[int, tuple[str, ...]]] = []
    i = 0
    while i < len(items):
        start, j = items[i][0], i
        while j + 1 < len(items) and items[j + 1][0] - start < window:
            j += 1
        if j > i:
            out.append((start, tuple(iid for _at, _n, iid in items[i : j + 1])))
        i = j + 1
    return out


def _collisions(scenario: LoadedScenario, runs: list[Run], window: int) -> list[Collision]:
    order = {iid: n for n, iid in enumerate(scenario.injects)}
    seen: dict[tuple[str, ...], _Seen] = {}
    for run in runs:
        per_role: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for iid, delivery in run.deliveries.items():
            for role in delivery.roles:
                per_role[role].append((delivery.at, order[iid], iid))
        in_this_run: set[tuple[str, ...]] = set()
        for role, items in per_role.items():
            for at, key in _clusters(items, window):
                entry = seen.setdefault(key, _Seen(set(), at))
                entry.roles.add(role)
                if key not in in_this_run:
                    in_this_run.add(key)
                    entry.runs += 1
    collisions = [
        Collision(key, tuple(r for r in scenario.roles if r in entry.roles), entry.at, entry.runs)
        for key, entry in seen.items()
    ]
    collisions.sort(key=lambda c: (c.at, c.injects))
    return collisions


def _collision_finding(collision: Collision, total: int, window: int, locate: Locator) -> Finding:
    names = ", ".join(collision.injects)
    roles = ", ".join(collision.roles)
    return Finding(
        "collision",
        f"{names} reach {roles} within {format_duration(window)} of each other, from "
        f"{format_duration(collision.at)} (in {collision.runs} of {total} run(s))",
        locate.inject(collision.injects[-1]),
        "note",
        names,
    )
