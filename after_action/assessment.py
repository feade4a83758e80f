"""The assessment of one exercise: every decision scored (the indicator), judged (evaluator
ratings, breaches, regret), grouped by objective with its findings, the improvement plan and the
agreement between evaluators.

Who calls it: the report, the evaluator console and ``compare``. The evaluator leads (DESIGN §7):
an evaluator's rating of a decision or of an objective decides that rating, the headline, the
findings and the plan; the derived score is shown beside them as the *indicator*. Seats the
facilitator marked "not played" are left out, not scored U. Built from the journal alone and
deterministic: the same journal always gives the same assessment.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from after_action.agreement import (
    cohen_kappa,
    describe_kappa,
    few_items_warning,
    fleiss_kappa,
    weighted_kappa,
)
from after_action.findings import (
    REGRET_AFI,
    Finding,
    Judged,
    assessed_value,
    ending_contradiction,
    when,
    worse,
)
from after_action.scoring import (
    RATING_NAMES,
    DecisionScore,
    benchmark,
    mlt_indicator,
    rating_for,
    score_decision,
)
from exercise_engine.engine.evaluation import (
    PLAN_FIELDS,
    ObjectiveRef,
    scenario_objectives,
)
from exercise_engine.exercise import Exercise
from exercise_engine.loading import LoadedScenario
from exercise_engine.model import Consideration, format_duration
from exercise_engine.record import exercise_record

RATING_ORDER = "PSMU"
OVERALL = "overall"
OTHER = "other"
"""The objective of findings no declared objective covers."""
KNEW_SHOWN = 4
"""Injects a finding's analysis names from what the role knew (the latest; the ledger has all)."""


@dataclass(frozen=True)
class Rating:
    """One evaluator's rating of a decision (``consideration`` = "overall") or of one
    consideration at that decision."""

    evaluator: str
    inject: str
    decision: str
    consideration: str
    rating: str
    note: str
    seq: int


@dataclass(frozen=True)
class ObjectiveRating:
    """One evaluator's rating of an exercise objective."""

    evaluator: str
    objective: str
    rating: str
    note: str
    seq: int


@dataclass(frozen=True)
class Seat:
    """A seat of the MLT: who sat it, and whether it was played at all."""

    role: str
    title: str
    participant: str
    played: bool


@dataclass
class ConsiderationRollup:
    consideration: Consideration
    net: int = 0
    positive: int = 0
    negative: int = 0
    decisions: list[str] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)
    evaluator_ratings: list[str] = field(default_factory=list)


@dataclass
class ObjectiveAssessment:
    """One objective: its decisions, its rating (evaluators' or from its decisions), findings."""

    ref: ObjectiveRef
    decisions: list[str]
    indicator: float | None
    """Weighted mean of its decisions' derived scores."""
    assessed: float | None
    """Weighted mean of its decisions' assessed scores (evaluator ratings applied)."""
    evaluator_ratings: dict[str, str]
    notes: list[str]
    rating: str | None
    basis: str
    strengths: list[Finding] = field(default_factory=list)
    improvements: list[Finding] = field(default_factory=list)


@dataclass
class PlanRow:
    """One row of the improvement plan (HSEEP's IP matrix)."""

    id: str
    objective: str
    capability: str
    issue: str
    corrective_action: str
    capability_element: str
    responsible_role: str
    point_of_contact: str
    start: str
    completion: str
    status: str
    finding: str | None
    edited_by: list[str] = field(default_factory=list)


@dataclass
class Assessment:
    """Everything an after-action report shows."""

    record: dict[str, Any]
    decisions: list[DecisionScore]
    judged: dict[str, Judged]
    excluded: list[DecisionScore]
    """Decisions of seats nobody played: shown, not scored."""
    seats: list[Seat]
    objectives: list[ObjectiveAssessment]
    findings: list[Finding]
    considerations: dict[str, ConsiderationRollup]
    areas: dict[str, float | None]
    roles: dict[str, dict[str, Any]]
    mlt_score: float
    mlt_rating: str
    mlt_indicator: float
    mlt_basis: str
    plan: list[PlanRow]
    ratings: list[Rating]
    objective_ratings: list[ObjectiveRating]
    notes: list[dict[str, Any]]
    agreement: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    role_titles: dict[str, str]
    evaluators: list[str]
    still_open: int = 0
    """Decision points still open (mid-exercise): not scored yet."""
    pre_played: list[DecisionScore] = field(default_factory=list)
    """Decisions of moves pre-played from a playthrough (``--start-at``): shown, not scored."""
    pre_play: dict[str, Any] | None = None
    """The ``pre_played`` event (playthrough, phase, at) when the early moves were pre-played."""

    @property
    def strengths(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "strength"]

    @property
    def improvements(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "improvement"]


@dataclass
class _Journalled:
    ratings: list[Rating]
    objective_ratings: list[ObjectiveRating]
    notes: list[dict[str, Any]]
    plan_edits: list[dict[str, Any]]
    seats: dict[str, dict[str, Any]]


def _read(exercise: Exercise) -> _Journalled:
    """The evaluators' and the facilitator's after-action events (the latest of each counts)."""
    latest: dict[tuple[str, str, str, str], Rating] = {}
    objectives: dict[tuple[str, str], ObjectiveRating] = {}
    notes: list[dict[str, Any]] = []
    edits: list[dict[str, Any]] = []
    seats: dict[str, dict[str, Any]] = {}
    for event in exercise.journal.events():
        p = event.payload
        if event.kind == "evaluator_rating":
            rating = Rating(
                p["evaluator"],
                p["inject"],
                p["decision"],
                p.get("consideration") or OVERALL,
                str(p["rating"]).upper(),
                p.get("note", ""),
                event.seq,
            )
            latest[(rating.evaluator, rating.inject, rating.decision, rating.consideration)] = (
                rating
            )
        elif event.kind == "objective_rating":
            o = ObjectiveRating(
                p["evaluator"],
                p["objective"],
                str(p["rating"]).upper(),
                p.get("note", ""),
                event.seq,
            )
            objectives[(o.evaluator, o.objective)] = o
        elif event.kind == "evaluator_note":
            notes.append({**p, "seq": event.seq, "at": event.exercise_time})
        elif event.kind == "plan_edited":
            edits.append({**p, "seq": event.seq})
        elif event.kind == "seat_set":
            seat = seats.setdefault(p["role"], {"participant": "", "played": True})
            if p.get("participant") is not None:
                seat["participant"] = p["participant"]
            seat["played"] = bool(p.get("played", True))
    return _Journalled(
        sorted(latest.values(), key=lambda r: (r.inject, r.decision, r.consideration, r.evaluator)),
        sorted(objectives.values(), key=lambda r: (r.objective, r.evaluator)),
        notes,
        edits,
        seats,
    )


def consensus(ratings: list[str]) -> str:
    """The most common rating; a tie goes to the more critical rating."""
    counts = Counter(ratings)
    best = max(counts.values())
    return max((r for r, c in counts.items() if c == best), key=RATING_ORDER.index)


def median_rating(ratings: list[str]) -> str:
    """The middle rating (of an even count, the more critical of the two middles)."""
    ordered = sorted(ratings, key=RATING_ORDER.index)
    return ordered[len(ordered) // 2]


def weighted_mean(values: list[tuple[float, float]]) -> float | None:
    """The mean of (value, weight) pairs to one decimal; None when nothing weighs anything."""
    total = sum(w for _, w in values)
    return round(sum(v * w for v, w in values) / total, 1) if total else None


def touches(d: DecisionScore, considerations: Collection[str]) -> bool:
    """Whether the evidence of what the decision did (the chosen option, or the expiry) bears
    on any of ``considerations``: how an objective finds its decisions besides the points it
    lists, and how ``trends`` finds a consideration's (words in a rationale never count)."""
    return any(e.consideration in considerations for e in d.evidence if e.source != "rationale")


def _judge(scenario: LoadedScenario, d: DecisionScore, overall: list[Rating]) -> Judged:
    """The decision as the report rates it: the evaluators' consensus when they rated it, else
    the indicator's rating (already capped by a breach in :mod:`after_action.scoring`)."""
    point = scenario.decision_point(d.inject, d.decision)
    bench = benchmark(point) if point is not None else None
    best_ids = list(bench.best) if bench is not None else []
    labels = {o.id: o.label for o in point.options} if point else {}
    best = d.status == "decided" and d.option is not None and d.option in best_ids
    derived = d.derived_rating
    if d.cap in ("M", "U"):
        derived = worse(derived, str(d.cap))
    evaluator = consensus([r.rating for r in overall]) if overall else None
    rating = evaluator or derived
    basis = "evaluators" if evaluator else ("breach cap" if d.breach else "indicator")
    return Judged(
        key=d.key,
        weight=d.weight,
        best=best,
        best_labels=tuple(labels.get(b, b) for b in best_ids),
        regret=d.regret,
        breach=d.breach or "",
        cap=d.cap,
        derived_rating=derived,
        evaluator_rating=evaluator,
        rating=rating,
        basis=basis,
        assessed=assessed_value(d.score, rating),
    )


def assess(exercise: Exercise) -> Assessment:
    """Score, judge and roll up every decision point of an exercise."""
    scenario = exercise.scenario
    record = exercise_record(exercise)
    journalled = _read(exercise)
    ratings = journalled.ratings
    by_point: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for r in ratings:
        by_point[(r.inject, r.decision)].append(r)
    titles = {r: scenario.role_title(r) for r in scenario.roles}
    seats = [
        Seat(
            role,
            titles[role],
            str(journalled.seats.get(role, {}).get("participant") or ""),
            bool(journalled.seats.get(role, {}).get("played", True)),
        )
        for role in scenario.roles
    ]
    not_played = {s.role for s in seats if not s.played}

    decisions: list[DecisionScore] = []
    excluded: list[DecisionScore] = []
    pre_played: list[DecisionScore] = []
    judged: dict[str, Judged] = {}
    still_open = 0
    for entry in sorted(
        record["decision_points"], key=lambda d: (d["opened_at"], d["inject"], d["decision"])
    ):
        if entry["status"] == "open":
            still_open += 1  # mid-exercise: not scored until decided, expired or closed
            continue
        inject = scenario.injects[entry["inject"]]
        point = scenario.decision_point(inject.id, entry["decision"])
        assert point is not None
        scored = score_decision(entry, scenario, inject, point)
        if entry.get("pre_played"):  # the playthrough's decision, not a seat's
            pre_played.append(scored)
            continue
        if point.role in not_played:
            excluded.append(scored)
            continue
        overall = [r for r in by_point[(inject.id, point.id)] if r.consideration == OVERALL]
        scored.evaluator_ratings = {r.evaluator: r.rating for r in overall}
        j = _judge(scenario, scored, overall)
        scored.rating = j.rating
        judged[scored.key] = j
        decisions.append(scored)

    rollups = _rollups(scenario, decisions, ratings)
    areas = _areas(rollups)
    roles = _roles(scenario, decisions, judged)
    # the indicator as scoring defines it; the headline moves it by the evaluators' ratings
    # (each rated decision carried at its assessed value: its score, or the middle of the band
    # the evaluators put it in)
    indicator = mlt_indicator(decisions)
    shift = weighted_mean(
        [(judged[d.key].assessed - d.score, judged[d.key].weight) for d in decisions]
    )
    mlt_score = round(indicator + (shift or 0.0), 1) if decisions else 0.0

    final_vars = record["state"]["variables"]
    refs = scenario_objectives(scenario)
    findings = _findings(scenario, decisions, judged, ratings, journalled.notes, refs, final_vars)
    objectives = _objectives(scenario, refs, decisions, judged, journalled, findings)

    mlt_rating = rating_for(mlt_score)
    mlt_basis = (
        "evaluators' decision ratings"
        if any(j.evaluator_rating for j in judged.values())
        else "indicator"
    )
    if journalled.objective_ratings:
        rated = [o.rating for o in objectives if o.rating]
        if rated:
            mlt_rating = median_rating(rated)
            mlt_basis = "the objectives' ratings (evaluators lead)"
    if not decisions:
        mlt_basis = "no decision scored yet"
    plan = _plan(scenario, objectives, findings, journalled.plan_edits, titles)
    evaluators = sorted(
        {r.evaluator for r in ratings}
        | {o.evaluator for o in journalled.objective_ratings}
        | {str(n.get("evaluator", "")) for n in journalled.notes if n.get("evaluator")}
        | {str(e.get("editor", "")) for e in journalled.plan_edits if e.get("editor")}
    )
    return Assessment(
        record=record,
        decisions=decisions,
        judged=judged,
        excluded=excluded,
        pre_played=pre_played,
        pre_play=exercise.state.pre_played,
        seats=seats,
        objectives=objectives,
        findings=findings,
        considerations=dict(sorted(rollups.items())),
        areas=areas,
        roles=roles,
        mlt_score=mlt_score,
        mlt_rating=mlt_rating,
        mlt_indicator=indicator,
        mlt_basis=mlt_basis,
        plan=plan,
        ratings=ratings,
        objective_ratings=journalled.objective_ratings,
        notes=journalled.notes,
        agreement=_agreement(ratings, journalled.objective_ratings),
        timeline=_timeline(exercise, record),
        role_titles=titles,
        evaluators=evaluators,
        still_open=still_open,
    )


# --- roll-ups (the indicator's evidence, shown in the appendix) ---------------------------------


def _rollups(
    scenario: LoadedScenario, decisions: list[DecisionScore], ratings: list[Rating]
) -> dict[str, ConsiderationRollup]:
    rollups: dict[str, ConsiderationRollup] = {}
    for d in decisions:
        for item in d.evidence:
            if item.source == "rationale":
                continue  # words are shown with their quotes, never counted as evidence
            roll = rollups.setdefault(
                item.consideration, ConsiderationRollup(scenario.considerations[item.consideration])
            )
            roll.net += item.weight
            roll.positive += max(0, item.weight)
            roll.negative += max(0, -item.weight)
            if d.key not in roll.decisions:
                roll.decisions.append(d.key)
            roll.roles.add(d.role)
    keys = {d.key for d in decisions}
    for r in ratings:
        if r.consideration != OVERALL and r.consideration in scenario.considerations:
            if f"{r.inject}/{r.decision}" not in keys:
                continue
            roll = rollups.setdefault(
                r.consideration, ConsiderationRollup(scenario.considerations[r.consideration])
            )
            roll.evaluator_ratings.append(r.rating)
    return rollups


def _areas(rollups: dict[str, ConsiderationRollup]) -> dict[str, float | None]:
    area_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for roll in rollups.values():
        area_totals[roll.consideration.area][0] += roll.positive
        area_totals[roll.consideration.area][1] += roll.negative
    return {
        area: (round(100 * pos / (pos + neg), 1) if pos + neg else None)
        for area, (pos, neg) in sorted(area_totals.items())
    }


def _roles(
    scenario: LoadedScenario, decisions: list[DecisionScore], judged: dict[str, Judged]
) -> dict[str, dict[str, Any]]:
    roles: dict[str, dict[str, Any]] = {}
    for role in scenario.roles:
        mine = [d for d in decisions if d.role == role]
        if not mine:
            continue
        latencies = [d.latency for d in mine if d.latency is not None]
        roles[role] = {
            "decisions": len(mine),
            "decided": sum(d.status == "decided" for d in mine),
            "expired": sum(d.status == "expired" for d in mine),
            "score": round(statistics.fmean(d.score for d in mine), 1),
            "ratings": "".join(judged[d.key].rating for d in mine),
            "median_latency": statistics.median(latencies) if latencies else None,
        }
    return roles


# --- findings -----------------------------------------------------------------------------------


def _objective_for(refs: list[ObjectiveRef], key: str, considerations: list[str]) -> str:
    """The objective a finding belongs to: the first declared objective that lists the point;
    else the first whose considerations hold the finding's most weighty one (``considerations``
    come most weighty first)."""
    for ref in refs:
        if not ref.derived and key in ref.points:
            return ref.id
    for cid in considerations:
        for ref in refs:
            if cid in ref.considerations:
                return ref.id
    return OTHER


def _option_lines(scenario: LoadedScenario, d: DecisionScore) -> str:
    point = scenario.decision_point(d.inject, d.decision)
    if point is None or not point.options:
        return "the point offered no options (a written answer)"
    parts = []
    for o in point.options:
        total = sum(o.evidence.values())
        mark = " (chosen)" if o.id == d.option else ""
        parts.append(f"“{o.label}” {total:+d}{mark}")
    if point.on_expire is not None:
        parts.append(f"letting it expire {sum(point.on_expire.evidence.values()):+d}")
    return "; ".join(parts)


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _advice_words(scenario: LoadedScenario, d: DecisionScore) -> str:
    point = scenario.decision_point(d.inject, d.decision)
    labels = {o.id: o.label for o in point.options} if point else {}
    heard = []
    for a in d.advice:
        title = scenario.role_title(str(a["role"]))
        rec = a.get("recommend")
        dissent = rec and d.option and rec != d.option
        heard.append(
            f"{title} at {format_duration(int(a['at']))}"
            + (f" recommended “{labels.get(str(rec), rec)}”" if rec else "")
            + (" (dissent: not what was chosen)" if dissent else "")
        )
    missing = [
        scenario.role_title(r) for r in d.consult if r not in {str(a["role"]) for a in d.advice}
    ]
    text = "advice: " + ("; ".join(heard) if heard else "none recorded")
    if missing:
        text += f"; not heard: {', '.join(missing)}"
    if d.claimed_not_recorded:
        text += f"; claimed in the rationale, not recorded: {', '.join(scenario.role_title(c) for c in d.claimed_not_recorded)}"
    return text


def _weak_factors(d: DecisionScore, titles: dict[str, str]) -> list[str]:
    out = []
    if d.factors.get("consultation", 100) < 50:
        heard = {str(a["role"]) for a in d.advice}
        missing = [titles.get(r, r) for r in d.consult if r not in heard]
        out.append(f"hear the {', '.join(missing) or 'consulted roles'} before deciding")
    if d.factors.get("timeliness", 100) < 60 and d.status == "decided":
        out.append("decide inside the time the point allows")
    if d.factors.get("rationale", 100) < 34 and d.status == "decided":
        out.append("write down the trade-off the decision makes")
    return out


def _findings(
    scenario: LoadedScenario,
    decisions: list[DecisionScore],
    judged: dict[str, Judged],
    ratings: list[Rating],
    notes: list[dict[str, Any]],
    refs: list[ObjectiveRef],
    final_vars: dict[str, float],
) -> list[Finding]:
    titles = {r: scenario.role_title(r) for r in scenario.roles}
    catalogue = scenario.considerations
    findings: list[Finding] = []
    per_consideration: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for r in ratings:
        if r.consideration != OVERALL:
            per_consideration[(f"{r.inject}/{r.decision}", r.consideration)].append(r)
    for d in decisions:
        j = judged[d.key]
        who = titles.get(d.role, d.role)
        my_notes = [
            str(n.get("text", ""))
            for n in notes
            if n.get("inject") == d.inject and n.get("decision") == d.decision
        ]
        rating_notes = [
            r.note
            for r in ratings
            if r.note
            and (r.inject, r.decision) == (d.inject, d.decision)
            and r.consideration == OVERALL
        ]
        evaluator_words = my_notes + rating_notes
        served = [
            e.consideration
            for e in sorted(d.evidence, key=lambda e: -e.weight)
            if e.weight > 0 and e.source != "rationale"
        ]
        harmed = sorted((e for e in d.evidence if e.weight < 0), key=lambda e: e.weight)
        recent = d.knew[-KNEW_SHOWN:]
        knew = ", ".join(
            f"{i} {scenario.injects[i].title}" if i in scenario.injects else i for i in recent
        ) + (f" (and {len(d.knew) - len(recent)} earlier)" if len(d.knew) > len(recent) else "")
        if d.status == "decided":
            observation = (
                f"At {when(d.closed_at)} the {who} chose “{d.option_label or 'a written answer'}” "
                f"on “{d.prompt}” (delivered {when(d.opened_at)}, window to {when(d.deadline)})."
            )
            if d.rationale:
                short = d.rationale if len(d.rationale) <= 240 else d.rationale[:239] + "…"
                observation += f" Rationale: “{short}”"
        else:
            observation = (
                f"The {who} left “{d.prompt}” undecided: the point {d.status} at {when(d.closed_at)} "
                f"(delivered {when(d.opened_at)}), so its expiry outcome applied."
            )
        analysis_parts = [
            f"What the role knew: {knew or 'nothing yet'}.",
            f"Options (net evidence): {_option_lines(scenario, d)}.",
        ]
        if j.best:
            analysis_parts.append("The choice was the best option the point offered.")
        elif j.regret is not None:
            analysis_parts.append(
                f"Regret {j.regret:g} (0 the best option, 1 the worst outcome) against the best option ({' / '.join(f'“{b}”' for b in j.best_labels) or '—'})."
            )
        if harmed:
            analysis_parts.append(
                "Considerations harmed: "
                + ", ".join(
                    f"{e.consideration} ({catalogue[e.consideration].statement.rstrip('.')}) {e.weight:+d}"
                    for e in harmed
                    if e.consideration in catalogue
                )
                + "."
            )
        words = _advice_words(scenario, d)
        analysis_parts.append(words[:1].upper() + words[1:] + ".")
        if j.breach:
            analysis_parts.append(f"Breach: {j.breach} (caps the decision at {j.cap or 'M'}).")
        if d.evaluator_ratings:
            analysis_parts.append(
                "Evaluators' ratings: "
                + ", ".join(v for _, v in sorted(d.evaluator_ratings.items()))
                + "."
            )
        if evaluator_words:
            analysis_parts.append("Notes: " + " / ".join(evaluator_words) + ".")
        analysis = " ".join(analysis_parts)

        def reference(ids: list[str]) -> str:
            seen = []
            for cid in ids:
                c = catalogue.get(cid)
                if c is not None:
                    entry = f"{cid}: {c.source.section}"
                    if entry not in seen:
                        seen.append(entry)
            return "; ".join(seen) or "—"

        best_text = " / ".join(f"“{b}”" for b in j.best_labels) or "the best option"
        weak = _weak_factors(d, titles)
        kind: str | None = None
        basis = ""
        recommendation = ""
        element = "training"
        if j.evaluator_rating in ("M", "U"):
            kind, basis = "improvement", "evaluator"
            if j.best:
                recommendation = (
                    f"The evaluators rated {d.key} {j.evaluator_rating} although “{d.option_label}” was the best option: "
                    + (
                        f"with the {who}, {'; '.join(weak)}"
                        if weak
                        else f"debrief the {who} on the evaluators' notes"
                    )
                    + f" and rehearse “{d.prompt}” in the next exercise."
                )
                element = "organisation" if any("hear the" in w for w in weak) else "training"
            else:
                names = [e.consideration for e in harmed[:2]]
                recommendation = (
                    f"Replay {d.key} with the {who}: set “{d.option_label or d.status}” beside {best_text}"
                    + (
                        f" and agree how {_and(names)} {'is' if len(names) == 1 else 'are'} protected next time"
                        if names
                        else ""
                    )
                    + "."
                    + (f" Rehearse the rule it broke: {j.breach}." if j.breach else "")
                )
        elif j.evaluator_rating in ("P", "S"):
            kind, basis = "strength", "evaluator"
        elif j.breach:
            kind, basis = "improvement", "breach"
            recommendation = (
                f"Rehearse with the {who} the rule this choice broke ({j.breach}); replay {d.key} "
                f"and set “{d.option_label}” beside {best_text}, which keeps within it."
            )
        elif d.status != "decided":
            kind, basis, element = "improvement", "expired", "organisation"
            window = scenario.decision_point(d.inject, d.decision)
            minutes = (window.respond_within // 60) if window and window.respond_within else None
            recommendation = (
                f"Agree who prepares the {who}'s options on “{d.prompt}” and by when"
                + (f" (the window was {minutes} min)" if minutes else "")
                + f", so that {d.key} is decided before it closes; drill it in the next exercise."
            )
        elif j.best:
            kind, basis = "strength", "best option"
        elif j.regret is not None and j.regret >= REGRET_AFI:
            kind, basis = "improvement", "regret"
            recommendation = (
                f"Replay {d.key} with the {who}: set “{d.option_label}”"
                + (f" (it cost {_and([e.consideration for e in harmed[:2]])})" if harmed else "")
                + f" beside {best_text}; agree what the role would need to see to choose the latter."
            )
        if kind is not None:
            ids = served if kind == "strength" else ([e.consideration for e in harmed] or served)
            title = (
                f"{d.key}: the {who} chose “{d.option_label or 'a written answer'}”"
                if d.status == "decided"
                else f"{d.key}: the {who} let “{d.prompt}” expire"
            )
            finding = Finding(
                id=f"{'str' if kind == 'strength' else 'afi'}:{d.key}",
                kind=kind,  # type: ignore[arg-type]
                basis=basis,  # type: ignore[arg-type]
                decision=d.key,
                role=d.role,
                consideration=None,
                objective=_objective_for(refs, d.key, ids),
                title=title,
                observation=observation,
                analysis=analysis,
                reference=reference(ids),
                recommendation=recommendation
                or (
                    f"Sustain: brief the next syndicate's {who} on why “{d.option_label}” served "
                    f"{', '.join(served) or 'this point'} at {d.key}."
                ),
                element=element,
                evaluator_notes=evaluator_words,
            )
            if kind == "strength":
                finding.contradicted = ending_contradiction(scenario, served, final_vars)
            findings.append(finding)
        # one consideration rated at this decision
        for (key, cid), rs in sorted(per_consideration.items()):
            if key != d.key or cid not in catalogue:
                continue
            verdict = consensus([r.rating for r in rs])
            c = catalogue[cid]
            cnotes = [r.note for r in rs if r.note]
            ckind = "improvement" if verdict in ("M", "U") else "strength"
            finding = Finding(
                id=f"{'str' if ckind == 'strength' else 'afi'}:{d.key}:{cid}",
                kind=ckind,  # type: ignore[arg-type]
                basis="evaluator",
                decision=d.key,
                role=d.role,
                consideration=cid,
                objective=_objective_for(refs, d.key, [cid]),
                title=f"{d.key}: {cid} rated {verdict} — {c.statement.rstrip('.')}",
                observation=observation,
                analysis=analysis
                + f" Evaluators on {cid}: "
                + ", ".join(r.rating for r in rs)
                + (" (" + " / ".join(cnotes) + ")" if cnotes else "")
                + ".",
                reference=reference([cid]),
                recommendation=(
                    f"Work with the {who} on {cid} at {d.key}: {c.statement.rstrip('.')}; "
                    f"rehearse “{d.prompt}” with it in view."
                    if ckind == "improvement"
                    else f"Sustain: show the next syndicate how the {who} served {cid} at {d.key}."
                ),
                evaluator_notes=cnotes,
            )
            if ckind == "strength":
                finding.contradicted = ending_contradiction(scenario, [cid], final_vars)
            findings.append(finding)
    return findings


def _objectives(
    scenario: LoadedScenario,
    refs: list[ObjectiveRef],
    decisions: list[DecisionScore],
    judged: dict[str, Judged],
    journalled: _Journalled,
    findings: list[Finding],
) -> list[ObjectiveAssessment]:
    out: list[ObjectiveAssessment] = []
    extra = [f for f in findings if f.objective == OTHER]
    all_refs = list(refs)
    if extra:
        all_refs.append(
            ObjectiveRef(OTHER, "Other decisions (no objective names them)", (), (), derived=True)
        )
    for ref in all_refs:
        mine = [d for d in decisions if d.key in ref.points or touches(d, ref.considerations)]
        if ref.id == OTHER:
            mine = [d for d in decisions if any(f.decision == d.key for f in extra)]
        given = {
            o.evaluator: o.rating for o in journalled.objective_ratings if o.objective == ref.id
        }
        notes = [o.note for o in journalled.objective_ratings if o.objective == ref.id and o.note]
        indicator = weighted_mean([(d.score, judged[d.key].weight) for d in mine])
        assessed = weighted_mean([(judged[d.key].assessed, judged[d.key].weight) for d in mine])
        if given:
            rating: str | None = consensus(list(given.values()))
            basis = "evaluators"
        elif assessed is not None:
            rating = rating_for(assessed)
            basis = "decisions" + (
                " (evaluator-rated)"
                if any(judged[d.key].evaluator_rating for d in mine)
                else " (indicator)"
            )
        else:
            rating, basis = None, "no decision reached"
        out.append(
            ObjectiveAssessment(
                ref=ref,
                decisions=[d.key for d in mine],
                indicator=indicator,
                assessed=assessed,
                evaluator_ratings=given,
                notes=notes,
                rating=rating,
                basis=basis,
                strengths=[f for f in findings if f.objective == ref.id and f.kind == "strength"],
                improvements=[
                    f for f in findings if f.objective == ref.id and f.kind == "improvement"
                ],
            )
        )
    return out


def _plan(
    scenario: LoadedScenario,
    objectives: list[ObjectiveAssessment],
    findings: list[Finding],
    edits: list[dict[str, Any]],
    titles: dict[str, str],
) -> list[PlanRow]:
    """One row per area for improvement, with the evaluators' edits applied (the latest value of
    each field counts); rows an evaluator added (``extra-…``) follow."""
    by_objective = {o.ref.id: o.ref for o in objectives}
    rows: dict[str, PlanRow] = {}
    for f in findings:
        if f.kind != "improvement":
            continue
        ref = by_objective.get(f.objective)
        rows[f.id] = PlanRow(
            id=f.id,
            objective=ref.text if ref else f.objective,
            capability=ref.capability if ref else "",
            issue=f.title,
            corrective_action=f.recommendation,
            capability_element=f.element,
            responsible_role=f.role,
            point_of_contact="",
            start="",
            completion="",
            status="not started",
            finding=f.id,
        )
    for edit in edits:
        row_id = str(edit.get("row", ""))
        fields = {k: str(v) for k, v in dict(edit.get("fields") or {}).items() if k in PLAN_FIELDS}
        row = rows.get(row_id)
        if row is None:
            if not fields.get("issue"):
                continue  # an edit of a row no finding produces any more, without an issue of its own
            row = rows[row_id] = PlanRow(
                id=row_id,
                objective="",
                capability="",
                issue="",
                corrective_action="",
                capability_element="training",
                responsible_role="",
                point_of_contact="",
                start="",
                completion="",
                status="not started",
                finding=None,
            )
        for name, value in fields.items():
            setattr(row, name, value)
        editor = str(edit.get("editor", ""))
        if editor and editor not in row.edited_by:
            row.edited_by.append(editor)
    for row in rows.values():
        row.responsible_role = titles.get(row.responsible_role, row.responsible_role)
    return list(rows.values())


# --- agreement ----------------------------------------------------------------------------------


def _agreement(
    ratings: list[Rating], objective_ratings: list[ObjectiveRating]
) -> list[dict[str, Any]]:
    table: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for r in ratings:
        table[(r.inject, r.decision, r.consideration)][r.evaluator] = r.rating
    for o in objective_ratings:
        table[("objective", o.objective, "")][o.evaluator] = o.rating
    evaluators = sorted({e for v in table.values() for e in v})
    out: list[dict[str, Any]] = []
    for a, b in combinations(evaluators, 2):
        common = sorted(k for k, v in table.items() if a in v and b in v)
        if common:
            first = [table[k][a] for k in common]
            second = [table[k][b] for k in common]
            for method, kappa in (
                ("Cohen", cohen_kappa(first, second)),
                ("Cohen, linearly weighted", weighted_kappa(first, second)),
            ):
                out.append(
                    {
                        "method": method,
                        "evaluators": [a, b],
                        "items": len(common),
                        "kappa": None if kappa is None else round(kappa, 3),
                        "words": describe_kappa(kappa),
                        "warning": few_items_warning(len(common)),
                    }
                )
    if len(evaluators) >= 3:
        rated_by_all = sorted(k for k, v in table.items() if len(v) == len(evaluators))
        if rated_by_all:
            kappa = fleiss_kappa([Counter(table[k].values()) for k in rated_by_all])
            out.append(
                {
                    "method": "Fleiss",
                    "evaluators": evaluators,
                    "items": len(rated_by_all),
                    "kappa": None if kappa is None else round(kappa, 3),
                    "words": describe_kappa(kappa),
                    "warning": few_items_warning(len(rated_by_all)),
                }
            )
    return out


def _timeline(exercise: Exercise, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Injects, decisions, expiries, phases and the ending, in journal order."""
    scenario = exercise.scenario
    rows: list[dict[str, Any]] = []
    for event in record["events"]:
        p, kind = event["payload"], event["kind"]

        def row(what: str, roles: list[str], text: str) -> None:
            rows.append({"at": event["exercise_time"], "kind": what, "roles": roles, "text": text})  # noqa: B023

        if kind == "inject_delivered":
            inject = scenario.injects[p["inject"]]
            row(
                "inject",
                p["roles"],
                f"{inject.id} {inject.title} ({scenario.channels.get(inject.channel, inject.channel)})"
                + (" — late: fell due while exercise control was offline" if p.get("late") else ""),
            )
        elif kind == "inject_injected_manually":
            row("inject", p["to"], f"{p['inject']} {p['title']} (by the facilitator)")
        elif kind == "decision_recorded":
            by = str(event.get("actor", ""))
            pre = f" (pre-played by {by})" if by.startswith("playthrough:") else ""
            row(
                "decision",
                [event["role"]],
                f"{p['inject']}/{p['decision']}: {p.get('option') or 'written answer'}{pre}",
            )
        elif kind == "pre_played":
            row(
                "phase",
                [],
                f"the class starts in phase {p['phase']}: the moves before it were pre-played"
                f" from playthrough {p['playthrough']}",
            )
        elif kind == "decision_expired":
            row("expired", [event["role"]], f"{p['inject']}/{p['decision']} expired")
        elif kind == "phase_changed":
            row("phase", [], f"phase {p['to']}: {scenario.phases[p['to']].title}")
        elif kind == "scenario_ended":
            row("end", [], f"ending: {p.get('title') or p.get('ending')}")
        elif kind == "recovered":
            row("recovered", [], "exercise control recovered after an interruption (clock paused)")
    return rows


__all__ = [
    "RATING_NAMES",
    "Assessment",
    "Finding",
    "ObjectiveAssessment",
    "PlanRow",
    "Rating",
    "assess",
    "consensus",
    "touches",
    "weighted_mean",
]
