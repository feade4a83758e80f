"""The report's layout: the typed report model turned into one list of blocks (headings,
paragraphs, labelled lists, tables) that Markdown and HTML merely print.

Why a layout between the model and the formats: every heading, finding and plan row is placed
once, here, so the Markdown, the HTML and the PDF printed from it have the same sections in the
same order (a parity test holds them to it), and escaping happens in exactly one place per format
(:mod:`after_action.report.escape`). Blocks hold plain text only; nothing here is markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from after_action.report.model import DecisionLine, FindingRow, Report

FACTOR_NAMES = {
    "evidence": "Option evidence",
    "timeliness": "Timeliness",
    "consultation": "Consultation",
    "rationale": "Rationale",
    "polarity": "Polarities",
}

SECTION_TITLES = (
    "1. Exercise overview",
    "2. Analysis of objectives",
    "3. Improvement plan",
    "4. Decision ledger",
    "5. Notes",
    "6. Timeline",
    "7. Agreement between evaluators",
    "Appendix: evidence by consideration (indicator)",
)

PLAN_HEADERS = (
    "Objective / capability",
    "Issue",
    "Corrective action",
    "Capability element",
    "Primary responsible role",
    "Point of contact",
    "Start",
    "Completion",
    "Status",
)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Quote:
    text: str
    strong: str = ""
    """Words printed in bold before ``text`` (a warning's headline)."""


@dataclass(frozen=True)
class Fields:
    """A labelled list: ``label: value`` per line (sub-items indented under a value)."""

    items: tuple[tuple[str, str], ...]
    sub: dict[int, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    ratings: tuple[int, ...] = ()
    """Columns holding a P/S/M/U rating (coloured in HTML)."""
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A place for an HTML-only chart (inline SVG); Markdown shows nothing here."""

    name: str


Block = Heading | Para | Quote | Fields | Bullets | Table | Chart


def _num(value: float | None, unit: str = "") -> str:
    return "—" if value is None else f"{value:g}{unit}"


def _rated(rating: str | None, name: str = "") -> str:
    return "not rated" if rating is None else (f"{rating} ({name})" if name else rating)


def _finding(f: FindingRow) -> list[Block]:
    items = [
        ("Observation", f.observation),
        ("Analysis and root cause", f.analysis),
        ("Reference", f.reference),
        ("Recommendation", f.recommendation),
        ("Basis", f.basis),
    ]
    if f.contradicted:
        items.append(("Flag", f.contradicted))
    return [Heading(5, f.title), Fields(tuple(items))]


def _decision(d: DecisionLine) -> list[Block]:
    advice_items = tuple(
        f"{a.role} at {a.at}"
        + (f", recommends {a.recommend}" if a.recommend else "")
        + (" — dissent (not the choice made)" if a.dissent else "")
        + (f": {a.text}" if a.text else "")
        for a in d.advice
    )
    evaluators = ", ".join(f"{k}: {v}" for k, v in d.evaluator_ratings.items())
    items: list[tuple[str, str]] = [
        (
            "Deciding role",
            d.role_title + (" (recorded by the facilitator, hot seat)" if d.hot_seat else ""),
        ),
        (
            "When",
            f"delivered {d.opened_at}; window to {d.deadline or '—'}; {d.status} {d.closed_at or ''}".rstrip(),
        ),
        ("Choice", d.option_label or d.option or "—"),
        ("Best option offered", " / ".join(d.best_labels) or "—"),
        ("Regret", _num(d.regret) + (" (the best option)" if d.best_option else "")),
        ("Rationale", d.rationale or "—"),
        ("Knew (injects received)", ", ".join(d.knew) or "—"),
        ("Consultation expected", ", ".join(d.consult) or "nobody"),
        ("Advice heard", "none recorded" if not d.advice else f"{len(d.advice)} (below)"),
    ]
    if d.claimed_not_recorded:
        items.append(("Claimed, not recorded", ", ".join(d.claimed_not_recorded)))
    if d.denied:
        items.append(
            (
                "Named only to deny (not credited)",
                "; ".join(f"{x['consideration']} — “{x['quote']}”" for x in d.denied),
            )
        )
    if d.breach:
        items.append(("Breach", f"{d.breach} (caps the rating at {d.cap or 'M'})"))
    items += [
        (
            "Factors",
            ", ".join(f"{FACTOR_NAMES.get(k, k)} {v:g}" for k, v in d.factors.items()) or "—",
        ),
        (
            "Indicator",
            f"{d.score:g} (without the rationale {d.score_without_rationale:g}) — derived rating "
            f"{d.derived_rating}; weight {d.weight:g}" + (", critical point" if d.critical else ""),
        ),
        ("Evaluators", evaluators or "none yet"),
        ("Rating", f"{d.rating} ({d.rating_basis})"),
    ]
    sub: dict[int, tuple[str, ...]] = {}
    if advice_items:
        sub[8] = advice_items
    if d.evidence:
        items.append(("Evidence", f"{len(d.evidence)} item(s)"))
        sub[len(items) - 1] = tuple(
            f"{e['consideration']} {e['weight']:+d} ({e['source']})"
            + (f" — “{e['quote']}”" if e.get("quote") else "")
            for e in d.evidence
        )
    if d.polarities:
        items.append(
            ("Polarities", "; ".join(f"{p['a']} ↔ {p['b']}: {p['engaged']}" for p in d.polarities))
        )
    return [Heading(3, f"{d.key} — {d.prompt}"), Fields(tuple(items), sub)]


def layout(report: Report) -> list[Block]:
    """The report as blocks; also records every heading in ``report.sections``."""
    o, mlt = report.overview, report.mlt
    blocks: list[Block] = [
        Heading(1, report.title),
        Para(
            f"A training exercise modelled on {o.mission or 'a fictional mission'}; not a record of events.",
            emphasis=True,
        ),
        Heading(2, SECTION_TITLES[0]),
    ]
    if o.verification:
        blocks.append(
            Quote(f"({o.verification}).", strong="Warning: the journal fails verification")
        )
    blocks += [
        Fields(
            (
                ("Exercise", o.exercise_name),
                ("Scenario", f"{o.scenario_title} ({o.scenario_id})"),
                ("Dates", o.dates),
                ("Scenario time", o.scenario_dates),
                ("Duration", o.duration),
                ("Syndicate", o.syndicate or "—"),
                (
                    "Evaluators",
                    ", ".join(o.evaluators) or "none yet (the ratings are the indicator's)",
                ),
                ("Status", o.status),
                ("Ending", o.ending),
                ("MLT rating", f"{mlt.rating} ({mlt.rating_name}); basis: {mlt.basis}"),
                ("MLT score", f"{mlt.score:g} / 100"),
                (
                    "Indicator",
                    f"{mlt.indicator:g} / 100 — {mlt.indicator_rating} (derived, before evaluator ratings)",
                ),
                ("Decision points", o.decision_points),
            )
        ),
        Para(f"Journal head: {o.journal_head}.", emphasis=True),
    ]
    if o.summary:
        blocks += [Heading(3, "Scenario summary"), Para(o.summary)]
    if o.ending_summary:
        blocks.append(Quote(o.ending_summary))
    blocks += [
        Heading(3, "Seats"),
        Table(
            ("Seat", "Who sat it", "Played"),
            tuple(
                (
                    s.title,
                    s.participant or "—",
                    "yes" if s.played else "not played (excluded from scores)",
                )
                for s in o.seats
            ),
        ),
        Heading(3, "Objectives and capabilities"),
        Table(
            ("Objective", "Text", "Capability"),
            tuple(
                (
                    ob.id,
                    ob.text + (" (derived from a catalogue area)" if ob.derived else ""),
                    ob.capability or "—",
                )
                for ob in o.objectives
            ),
        ),
        Heading(3, "World state"),
        Table(
            ("Variable", "Start", "End"),
            tuple(
                (str(v["label"]), f"{v['initial']:g}", f"{v['final']:g}")
                for v in report.outcome["variables"].values()
            ),
            numeric=(1, 2),
        ),
        Chart("timeline"),
        Heading(3, "Indicator by area"),
        Table(
            ("Area", "Share of evidence that was positive"),
            tuple((area, _num(v, "%")) for area, v in report.areas.items()),
            numeric=(1,),
        ),
        Chart("areas"),
        Heading(3, "Indicator by role"),
        Table(
            ("Role", "Decisions", "Expired", "Mean indicator", "Ratings", "Median latency (min)"),
            tuple(
                (
                    role,
                    str(v["decisions"]),
                    str(v["expired"]),
                    f"{v['score']:g}",
                    str(v.get("ratings", "")),
                    "—" if v["median_latency"] is None else f"{v['median_latency'] / 60:.1f}",
                )
                for role, v in report.roles.items()
            ),
            numeric=(1, 2, 3, 5),
        ),
        Chart("latency"),
        Heading(2, SECTION_TITLES[1]),
    ]
    for ob in report.objectives:
        blocks += [
            Heading(3, f"Objective {ob.id}: {ob.text}"),
            Fields(
                (
                    ("Capability", ob.capability or "—"),
                    ("Rating", f"{_rated(ob.rating, ob.rating_name)}; basis: {ob.basis}"),
                    ("Indicator", f"{_num(ob.indicator)} ({ob.indicator_rating or '—'})"),
                    (
                        "Evaluators",
                        ", ".join(f"{k}: {v}" for k, v in ob.evaluator_ratings.items())
                        or "none yet",
                    ),
                    ("Decisions", ", ".join(ob.decisions) or "none reached"),
                )
                + ((("Evaluators' notes", " / ".join(ob.notes)),) if ob.notes else ())
            ),
            Heading(4, "Strengths"),
        ]
        if not ob.strengths:
            blocks.append(Para("None recorded."))
        for f in ob.strengths:
            blocks += _finding(f)
        blocks.append(Heading(4, "Areas for improvement"))
        if not ob.improvements:
            blocks.append(Para("None recorded."))
        for f in ob.improvements:
            blocks += _finding(f)
    blocks += [
        Heading(2, SECTION_TITLES[2]),
        Table(
            PLAN_HEADERS,
            tuple(
                (
                    p.objective + (f" / {p.capability}" if p.capability else ""),
                    p.issue,
                    p.corrective_action,
                    p.capability_element,
                    p.responsible_role or "—",
                    p.point_of_contact or "to be named",
                    p.start or "to be set",
                    p.completion or "to be set",
                    p.status,
                )
                for p in report.improvement_plan
            ),
        ),
    ]
    if not report.improvement_plan:
        blocks.append(Para("No area for improvement: nothing to plan."))
    blocks.append(Heading(2, SECTION_TITLES[3]))
    blocks.append(
        Table(
            ("Decision", "Role", "Choice", "Indicator", "Derived", "Evaluators", "Rating"),
            tuple(
                (
                    d.key,
                    d.role_title,
                    d.option_label or d.status,
                    f"{d.score:g}",
                    d.derived_rating,
                    ", ".join(f"{k}: {v}" for k, v in d.evaluator_ratings.items()) or "—",
                    d.rating,
                )
                for d in report.decisions
            ),
            ratings=(4, 6),
            numeric=(3,),
        )
    )
    for d in report.decisions:
        blocks += _decision(d)
    if report.not_played:
        blocks += [
            Heading(3, "Seats not played"),
            Para(
                "The facilitator marked these seats as not played: their decision points are shown "
                "here and left out of every score, rating and finding (not scored U)."
            ),
            Bullets(
                tuple(
                    f"{d.key} — {d.role_title}: {d.prompt} ({d.status})" for d in report.not_played
                )
            ),
        ]
    if report.pre_play:
        blocks += [
            Heading(3, "Moves pre-played"),
            Para(
                report.pre_play
                + " Their decisions were the playthrough's, not the seats': they are listed here"
                " and left out of every score, rating and finding."
            ),
            Bullets(
                tuple(
                    f"{d.key} — {d.role_title}: {d.option_label or d.status}"
                    for d in report.pre_played
                )
            ),
        ]
    blocks.append(Heading(2, SECTION_TITLES[4]))
    for source, title in (
        ("evaluator", "Evaluators' notes"),
        ("facilitator", "Facilitator's notes"),
        ("hot wash", "Hot wash"),
    ):
        blocks.append(Heading(3, title))
        rows = [n for n in report.notes if n.source == source]
        blocks.append(
            Bullets(
                tuple(
                    " · ".join(x for x in (n.at, n.author, n.about) if x) + f": {n.text}"
                    for n in rows
                )
            )
            if rows
            else Para("None recorded.")
        )
    blocks += [
        Heading(2, SECTION_TITLES[5]),
        Table(
            ("Time", "Event", "Roles"),
            tuple((r["at"], r["text"], ", ".join(r["roles"])) for r in report.timeline),
        ),
        Heading(2, SECTION_TITLES[6]),
    ]
    if report.agreement:
        blocks.append(
            Table(
                ("Method", "Evaluators", "Items", "Kappa", "Landis and Koch", "Caution"),
                tuple(
                    (
                        a["method"],
                        ", ".join(a["evaluators"]),
                        str(a["items"]),
                        "—" if a["kappa"] is None else f"{a['kappa']:.2f}",
                        a["words"],
                        a.get("warning") or "—",
                    )
                    for a in report.agreement
                ),
                numeric=(2, 3),
            )
        )
    else:
        blocks.append(Para("No two evaluators rated the same item yet."))
    blocks += [
        Heading(2, SECTION_TITLES[7]),
        Table(
            ("Consideration", "Area", "Net", "+", "−", "Decisions"),
            tuple(
                (
                    cid,
                    c["area"],
                    f"{c['net']:+d}",
                    str(c["positive"]),
                    str(c["negative"]),
                    ", ".join(c["decisions"]),
                )
                for cid, c in sorted(
                    report.considerations.items(), key=lambda kv: (kv[1]["area"], kv[0])
                )
            ),
            numeric=(2, 3, 4),
        ),
        Para(
            "Scoring method: docs/scoring.md. The indicator's weights: "
            + ", ".join(
                f"{FACTOR_NAMES.get(k, k)} {v:.0%}" for k, v in report.method["weights"].items()
            )
            + ". The evaluators' ratings lead; the indicator is prepared for them.",
            emphasis=True,
        ),
    ]
    report.sections = [b.text for b in blocks if isinstance(b, Heading)]
    return blocks
