"""The after-action report an evaluator signs: the evaluator leads, findings come from regret,
breaches and ratings, seats nobody played are left out, every format has the same sections, and
nobody's typing can turn into markup."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from after_action.assessment import Assessment, assess
from after_action.report import render_report
from exercise_engine.clock import VirtualClock
from exercise_engine.exercise import Exercise
from exercise_engine.loading import load_scenario
from exercise_engine.loading.playthrough import load_playthrough
from exercise_engine.runtime import play_script
from tests.conftest import REPO, run_cli

START = 1_767_225_600.0  # 2026-01-01, so the report's dates are fixed
PLAYS = REPO / "scenarios" / "playthroughs"
ALL_PLAYTHROUGHS = sorted(
    (p.parent.name, p.stem)
    for p in PLAYS.glob("*/*.toml")
    if (REPO / "scenarios" / f"{p.parent.name}.toml").exists()
)


def played(tmp_path: Path, scenario: str, playthrough: str, name: str = "") -> Exercise:
    """A bundled playthrough played in-process on a virtual clock (open, for more commands)."""
    loaded = load_scenario(REPO / "scenarios" / f"{scenario}.toml")
    script, _ = load_playthrough(PLAYS / scenario / f"{playthrough}.toml", loaded)
    clock = VirtualClock(START)
    exercise = Exercise.create(
        tmp_path / f"{name or scenario + '-' + playthrough}.db", loaded, clock, speed=1.0
    )
    play_script(exercise, clock, script)
    return exercise


# --- the evaluator leads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "playthrough"), [("tutorial", "robust"), ("minusca-bambari", "robust")]
)
def test_a_u_on_the_highest_scored_decision_moves_the_headline(
    tmp_path: Path, scenario: str, playthrough: str
) -> None:
    exercise = played(tmp_path, scenario, playthrough)
    before = assess(exercise)
    top = max(before.decisions, key=lambda d: d.score)
    exercise.rate(evaluator="Ana", inject=top.inject, decision=top.decision, rating="u")
    after = assess(exercise)
    assert (after.mlt_score, after.mlt_rating) != (before.mlt_score, before.mlt_rating)
    assert after.mlt_score < before.mlt_score
    assert after.mlt_indicator == before.mlt_indicator  # the indicator is shown beside, unchanged
    assert after.judged[top.key].rating == "U" and after.judged[top.key].basis == "evaluators"
    # ... and the U makes an area for improvement with a plan row, though the option was the best
    assert any(f.decision == top.key and f.kind == "improvement" for f in after.findings)
    assert any(r.finding == f"afi:{top.key}" for r in after.plan)


def test_an_objective_rating_leads_the_objective_and_the_headline(tmp_path: Path) -> None:
    exercise = played(tmp_path, "tutorial", "robust")
    before = assess(exercise)
    objective = before.objectives[0]
    assert objective.basis.startswith("decisions")
    for o in before.objectives:  # every objective rated U by two evaluators
        for name in ("Ana", "Ben"):
            exercise.rate_objective(evaluator=name, objective=o.ref.id, rating="U", note="slow")
    after = assess(exercise)
    rated = next(o for o in after.objectives if o.ref.id == objective.ref.id)
    assert rated.rating == "U" and rated.basis == "evaluators"
    assert after.mlt_basis.startswith("the objectives' ratings")
    assert before.mlt_rating != "U" and after.mlt_rating == "U"


def test_best_option_decisions_stay_out_of_the_plan_unless_an_evaluator_says_m_or_u(
    tmp_path: Path,
) -> None:
    """On every bundled playthrough: no best-option decision sits in the improvement plan."""
    seen = 0
    for scenario, playthrough in ALL_PLAYTHROUGHS:
        exercise = played(tmp_path, scenario, playthrough)
        a = assess(exercise)
        planned = {r.finding for r in a.plan}
        for d in a.decisions:
            if a.judged[d.key].best:
                seen += 1
                assert f"afi:{d.key}" not in planned, f"{scenario}/{playthrough}: {d.key}"
        exercise.close()
    assert seen > 20  # the rule was exercised, not vacuously true


def test_a_strength_the_ending_contradicts_is_flagged(tmp_path: Path) -> None:
    exercise = played(tmp_path, "minusca-bambari", "unwarned")
    a = assess(exercise)
    flagged = [f for f in a.strengths if f.contradicted]
    assert flagged, "the unwarned ending (mission seen as a party) contradicts some strength"
    variables = a.record["state"]["variables"]
    for f in flagged:
        assert "the ending contradicts it" in f.contradicted
        label = f.contradicted.split(": ", 1)[1].split(" ended at ")[0]
        name = next(n for n, v in exercise.scenario.file.variables.items() if v.label == label)
        var = exercise.scenario.file.variables[name]
        final = variables[name]
        assert final < var.initial if var.good == "high" else final > var.initial
    md = render_report(a, exercise.scenario, "md")
    assert "**Flag:** the ending contradicts it" in md


def test_plan_rows_are_specific(tmp_path: Path) -> None:
    """Every corrective action names its decision and its options: no two rows say the same."""
    exercise = played(tmp_path, "minusca-bambari", "unwarned")
    plan = assess(exercise).plan
    assert len(plan) >= 3
    actions = [r.corrective_action for r in plan]
    assert len(set(actions)) == len(actions)
    for row in plan:
        assert row.finding and row.finding.removeprefix("afi:") in row.corrective_action
        assert row.responsible_role and "," not in row.responsible_role  # one primary role


# --- seats nobody played -------------------------------------------------------------------------


def test_a_seat_not_played_is_left_out_not_scored_u(tmp_path: Path) -> None:
    exercise = played(tmp_path, "unamid-saraf-umra", "indecisive")
    before = assess(exercise)
    role = next(d.role for d in before.decisions if d.status == "expired")
    exercise.set_seat(role=role, played=False)
    after = assess(exercise)
    assert all(d.role != role for d in after.decisions)
    assert {d.key for d in after.excluded} == {d.key for d in before.decisions if d.role == role}
    assert all(f.role != role for f in after.findings)
    assert after.mlt_score >= before.mlt_score  # its expiries no longer drag the MLT down
    md = render_report(after, exercise.scenario, "md")
    html = render_report(after, exercise.scenario, "html")
    assert "### Seats not played" in md and "<h3>Seats not played</h3>" in html
    assert "not played (excluded from scores)" in md
    exercise.set_seat(role=role, played=True)  # a mistake is corrected by a later entry
    assert {d.key for d in assess(exercise).decisions} == {d.key for d in before.decisions}


def test_seat_command(tmp_path: Path) -> None:
    exercise = played(tmp_path, "tutorial", "robust")
    db = exercise.journal.path
    exercise.close()
    ok = run_cli("seat", str(db), "--role", "police_commissioner", "--not-played")
    assert ok.returncode == 0 and "not played" in ok.stdout
    named = run_cli("seat", str(db), "--role", "hom", "--participant", "Col. Ana Silva")
    assert named.returncode == 0
    bad = run_cli("seat", str(db), "--role", "pilot", "--not-played")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "role: 'pilot'" in bad.stderr
    md = run_cli("report", str(db)).stdout
    assert "| Head of Mission (SRSG) | Col. Ana Silva | yes |" in md
    assert "| Police Commissioner | — | not played (excluded from scores) |" in md


# --- the rate command ----------------------------------------------------------------------------


def _journal_head(db: Path) -> tuple[int, str]:
    from exercise_engine.journal import Journal

    events = Journal.open(db).events()
    return events[-1].seq, events[-1].hash


@pytest.mark.parametrize(
    ("args", "names"),
    [
        # a rating off the scale
        (["--inject", "tut-02", "--decision", "posture", "--rating", "X"], "rating: 'X'"),
        # an objective this scenario does not have
        (["--objective", "nope", "--rating", "P"], "objective: unknown objective 'nope'"),
        # a plan field that does not exist
        (["--plan", "new", "--set", "colour=red", "--set", "issue=x"], "unknown field 'colour'"),
        # a status off the list
        (
            ["--plan", "new", "--set", "issue=x", "--set", "status=done"],
            "plan field status: 'done'",
        ),
        # a date that is not one
        (["--plan", "new", "--set", "issue=x", "--set", "start=2027-02-30"], "plan field start"),
        # two responsible roles
        (
            ["--plan", "new", "--set", "issue=x", "--set", "responsible_role=hom,dms"],
            "responsible_role",
        ),
        # a row the plan does not have
        (["--plan", "afi:nothing", "--set", "status=complete"], "plan row: no row 'afi:nothing'"),
        # an unknown consideration
        (
            [
                "--inject",
                "tut-02",
                "--decision",
                "posture",
                "--rating",
                "P",
                "--consideration",
                "x.y",
            ],
            "consideration: unknown",
        ),
    ],
)
def test_bad_rate_input_is_one_line_naming_the_field(
    tmp_path: Path, args: list[str], names: str
) -> None:
    exercise = played(tmp_path, "tutorial", "robust")
    db = exercise.journal.path
    exercise.close()
    head = _journal_head(db)
    result = run_cli("rate", str(db), "--evaluator", "Ana", *args)
    assert result.returncode == 2, result.stdout
    assert names in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert _journal_head(db) == head  # nothing journalled, nothing rewritten


def test_rate_accepts_either_case_objectives_and_plan_edits(tmp_path: Path) -> None:
    exercise = played(tmp_path, "tutorial", "robust")
    db = exercise.journal.path
    objective = assess(exercise).objectives[0].ref.id
    exercise.close()
    assert (
        run_cli(
            "rate",
            str(db),
            "--evaluator",
            "Ana",
            "--inject",
            "tut-02",
            "--decision",
            "posture",
            "--rating",
            "m",
        ).returncode
        == 0
    )
    assert (
        run_cli(
            "rate", str(db), "--evaluator", "Ana", "--objective", objective, "--rating", "s"
        ).returncode
        == 0
    )
    data = json.loads(run_cli("report", str(db), "--format", "json").stdout)
    row = next(r for r in data["improvement_plan"] if r["id"] == "afi:tut-02/posture")
    edit = run_cli(
        "rate", str(db), "--evaluator", "Ana", "--plan", row["id"],
        "--set", "status=in progress", "--set", "point_of_contact=Lt Col K. Mensah",
        "--set", "responsible_role=force_commander", "--set", "start=2027-01-10",
        "--set", "completion=2027-03-01", "--set", "capability_element=planning",
    )  # fmt: skip
    assert edit.returncode == 0, edit.stderr
    added = run_cli(
        "rate",
        str(db),
        "--evaluator",
        "Ben",
        "--plan",
        "new",
        "--set",
        "issue=Radio net fails at night",
    )
    assert added.returncode == 0 and "extra-1" in added.stdout
    data = json.loads(run_cli("report", str(db), "--format", "json").stdout)
    row = next(r for r in data["improvement_plan"] if r["id"] == "afi:tut-02/posture")
    assert row["status"] == "in progress" and row["point_of_contact"] == "Lt Col K. Mensah"
    assert row["responsible_role"] == "Force Commander" and row["capability_element"] == "planning"
    assert (
        row["start"] == "2027-01-10"
        and row["completion"] == "2027-03-01"
        and row["edited_by"] == ["Ana"]
    )
    assert any(
        r["id"] == "extra-1" and r["issue"] == "Radio net fails at night"
        for r in data["improvement_plan"]
    )
    objective_json = next(o for o in data["objectives"] if o["id"] == objective)
    assert objective_json["rating"] == "S" and objective_json["basis"] == "evaluators"
    md = run_cli("report", str(db)).stdout
    assert "Lt Col K. Mensah" in md and "Radio net fails at night" in md


# --- one model, every format ---------------------------------------------------------------------


class _Outline(HTMLParser):
    """Headings and table cells of an HTML page, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.cells: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self._in: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag in ("h1", "h2", "h3", "h4", "h5", "td", "th"):
            self._in, self._text = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            (self.cells if tag in ("td", "th") else self.headings).append(self._text.strip())
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data


def _md_outline(text: str) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Headings, table cells and (raw html / image) tokens of a Markdown document, as CommonMark
    renders it (raw HTML allowed: exactly what a careless viewer would do)."""
    tokens = MarkdownIt("commonmark", {"html": True}).enable("table").parse(text)
    headings, cells, raw = [], [], []
    for i, t in enumerate(tokens):
        if t.type == "heading_open":
            headings.append(tokens[i + 1].content)
        if t.type in ("th_open", "td_open"):
            cells.append(tokens[i + 1].content)
        if t.type in ("html_block", "html_inline"):
            raw.append((t.type, t.content))
        for child in t.children or []:
            if child.type in ("html_inline", "image"):
                raw.append((child.type, child.content))
    unescape = re.compile(r"\\(.)")
    return [unescape.sub(r"\1", h) for h in headings], [unescape.sub(r"\1", c) for c in cells], raw


def _rated_exercise(tmp_path: Path) -> tuple[Exercise, Assessment]:
    exercise = played(tmp_path, "minusca-bambari", "unwarned")
    exercise.rate(
        evaluator="Ana", inject="bmb-03n", decision="respond", rating="U", note="no warning at all"
    )
    exercise.rate(evaluator="Ben", inject="bmb-03n", decision="respond", rating="M")
    exercise.rate(evaluator="Ana", inject="bmb-17", decision="posture", rating="S")
    exercise.rate(evaluator="Ben", inject="bmb-17", decision="posture", rating="S")
    exercise.evaluator_note(
        evaluator="Ana", inject="bmb-02", decision="declare", text="The HoM hesitated"
    )
    exercise.edit_plan(
        editor="Ana", row="afi:bmb-03n/respond", fields={"point_of_contact": "Maj. Dubois"}
    )
    exercise.edit_plan(
        editor="Ben", row="extra-1", fields={"issue": "Night radio net", "status": "in progress"}
    )
    exercise.hot_wash_note("issue", "We never agreed who warns the column")
    return exercise, assess(exercise)


def test_every_format_has_the_same_sections_and_plan_rows(tmp_path: Path) -> None:
    exercise, a = _rated_exercise(tmp_path)
    md = render_report(a, exercise.scenario, "md")
    html = render_report(a, exercise.scenario, "html")
    data = json.loads(render_report(a, exercise.scenario, "json"))
    md_headings, md_cells, _ = _md_outline(md)
    page = _Outline()
    page.feed(html)
    assert md_headings == page.headings == data["sections"]
    for title in (
        "1. Exercise overview",
        "2. Analysis of objectives",
        "3. Improvement plan",
        "4. Decision ledger",
        "5. Notes",
        "Evaluators' notes",
        "Facilitator's notes",
        "Hot wash",
        "7. Agreement between evaluators",
    ):
        assert title in data["sections"]
    assert len(data["improvement_plan"]) >= 3
    for row in data["improvement_plan"]:
        for key in ("issue", "corrective_action", "capability_element", "status"):
            assert row[key] in md_cells and row[key] in page.cells, (key, row[key])
    # the JSON contract (DESIGN §9)
    assert isinstance(data["mlt"]["score"], float) and data["mlt"]["rating"] in "PSMU"
    assert all({"key", "score"} <= set(d) for d in data["decisions"])
    assert data["objectives"] and any("plan" in k for k in data)
    # notes reach Markdown and HTML, not only JSON
    for text in ("The HoM hesitated", "We never agreed who warns the column", "no warning at all"):
        assert text in md and text in html
    # the ledger shows the advice text
    advice = [a["text"] for d in data["decisions"] for a in d["advice"] if a["text"]]
    assert advice and all(text in md for text in advice)


def test_the_ledger_shows_dissenting_advice(tmp_path: Path) -> None:
    scenario = load_scenario(REPO / "scenarios" / "tutorial.toml")
    script, _ = load_playthrough(PLAYS / "tutorial" / "robust.toml", scenario)
    first = script.advice[0]
    point = scenario.decision_point(first.inject, first.decision)
    assert point is not None
    other = next(o.id for o in point.options if o.id != first.recommend)
    script = script.model_copy(
        update={"advice": (first.model_copy(update={"recommend": other}), *script.advice[1:])}
    )
    clock = VirtualClock(START)
    exercise = Exercise.create(tmp_path / "d.db", scenario, clock, speed=1.0)
    play_script(exercise, clock, script)
    a = assess(exercise)
    md = render_report(a, scenario, "md")
    html = render_report(a, scenario, "html")
    assert f"recommends {other} — dissent (not the choice made)" in md
    assert f"recommends {other} — dissent (not the choice made)" in html


def test_pdf_is_the_html_report_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF has the HTML's sections because it is the HTML, printed (no second layout)."""
    import argparse

    from after_action.report import pdf
    from exercise_engine.commands import report as report_command

    exercise, _ = _rated_exercise(tmp_path)
    db = exercise.journal.path
    exercise.close()
    printed: list[str] = []

    def fake_print(html: str, target: Path) -> None:
        printed.append(html)
        target.write_bytes(b"%PDF-1.4 printed from the HTML report")

    monkeypatch.setattr(pdf, "html_to_pdf", fake_print)
    args = argparse.Namespace(
        db=str(db), format="pdf", out=str(tmp_path), anonymize=False, allow_unverified=False
    )
    assert report_command.run(args) == 0
    html = run_cli("report", str(db), "--format", "html").stdout
    assert printed == [html]


# --- hostile text ------------------------------------------------------------------------------

FIELDS = (
    "scenario-title",
    "syndicate",
    "manual-inject-title",
    "facilitator-note",
    "rationale",
    "advice",
    "hot-wash",
    "participant",
    "evaluator",
    "rating-note",
    "evaluator-note",
    "objective-note",
    "plan-issue",
    "plan-action",
    "plan-contact",
)
"""Every free-text field a report prints, each with its own attack so a miss names the field."""


def hostile(field: str) -> str:
    return (
        f"<img src=x onerror=alert('{field}')> <script>alert('{field}')</script>"
        f'\n# Forged {field}\n| cell | "q" *b* [l](http://x.example/{field})'
    )


def _hostile_exercise(tmp_path: Path) -> Exercise:
    h = hostile
    source = (REPO / "scenarios" / "tutorial.toml").read_text(encoding="utf-8")
    title = 'title = "Tutorial: the market at Kessa"'
    assert title in source
    path = tmp_path / "tutorial.toml"
    path.write_text(source.replace(title, f"title = {json.dumps(h('scenario-title'))}", 1))
    scenario = load_scenario(path)
    script, _ = load_playthrough(PLAYS / "tutorial" / "robust.toml", scenario)
    script = script.model_copy(
        update={
            "decision": tuple(
                d.model_copy(update={"rationale": h("rationale")}) for d in script.decision
            ),
            "advice": tuple(a.model_copy(update={"text": h("advice")}) for a in script.advice),
        }
    )
    clock = VirtualClock(START)
    exercise = Exercise.create(
        tmp_path / "hostile.db", scenario, clock, speed=1.0, syndicate=h("syndicate")
    )
    exercise.open_briefing()
    exercise.start()
    exercise.inject_manually(title=h("manual-inject-title"), body="body", to=["hom"])
    exercise.note(h("facilitator-note"))
    play_script(exercise, clock, script)
    exercise.hot_wash_note("issue", h("hot-wash"))
    exercise.set_seat(role="hom", participant=h("participant"))
    exercise.rate(
        evaluator=h("evaluator"),
        inject="tut-02",
        decision="posture",
        rating="U",
        note=h("rating-note"),
    )
    exercise.evaluator_note(
        evaluator="Ben", inject="tut-03", decision="statement", text=h("evaluator-note")
    )
    objective = assess(exercise).objectives[0].ref.id
    exercise.rate_objective(
        evaluator="Ben", objective=objective, rating="M", note=h("objective-note")
    )
    exercise.edit_plan(
        editor="Ben",
        row="afi:tut-02/posture",
        fields={
            "issue": h("plan-issue"),
            "corrective_action": h("plan-action"),
            "point_of_contact": h("plan-contact"),
        },
    )
    return exercise


def test_hostile_text_stays_text_in_markdown(tmp_path: Path) -> None:
    exercise = _hostile_exercise(tmp_path)
    md = render_report(assess(exercise), exercise.scenario, "md")
    headings, _cells, raw = _md_outline(md)
    assert raw == []  # no <img>, <script>, image or raw HTML survives as markup
    for field in FIELDS:
        assert f"\\<img src=x onerror=alert('{field}')\\>" in md, field  # present, as text
        assert f"\\# Forged {field}" in md, field
        assert not any(h.startswith(f"Forged {field}") for h in headings), field
    # tables keep their shape: every plan row has the plan's nine cells
    plan = md.split("## 3. Improvement plan")[1].split("## 4.")[0]
    rows = [line for line in plan.splitlines() if line.startswith("| ")]
    assert rows and all(len(re.split(r"(?<!\\)\|", r)) == 11 for r in rows)


def test_hostile_text_stays_text_in_html(tmp_path: Path) -> None:
    exercise = _hostile_exercise(tmp_path)
    html = render_report(assess(exercise), exercise.scenario, "html")
    page = _Outline()
    page.feed(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert not any(name.startswith("on") for name, _ in page.attrs)
    for field in FIELDS:
        assert f"&lt;img src=x onerror=alert(&#x27;{field}&#x27;)&gt;" in html, field
        assert f"&lt;script&gt;alert(&#x27;{field}&#x27;)&lt;/script&gt;" in html, field
    assert "&quot;q&quot;" in html and '"q"' not in html.split("<body>")[1]


def test_compare_escapes_syndicate_names_and_leads_with_the_rating(tmp_path: Path) -> None:
    from after_action.compare import compare_data, compare_html, compare_markdown

    a = played(tmp_path, "tutorial", "robust")
    b = played(tmp_path, "tutorial", "hands-off")
    name = hostile("syndicate")
    data = compare_data([(name, assess(a)), ("B", assess(b))])
    md = compare_markdown(data)
    _headings, cells, raw = _md_outline(md)
    assert raw == [] and name.replace("\n", " ") in cells
    page = _Outline()
    page.feed(compare_html(data))
    assert "img" not in page.tags and "script" not in page.tags
    assert name.replace("\n", " ") in page.cells
    assert "MLT rating (evaluators lead)" in cells and "Indicator" in cells


def test_the_worked_example_override(tmp_path: Path) -> None:
    """docs/scoring.md, section 7: two evaluators rate the worked example's decision U."""
    from tests.test_scoring import _run

    run = _run(tmp_path)
    run.ex.advise(
        role="force_commander", inject="a", decision="d", text="Hold.", recommend="engage"
    )
    run.to("00:15")
    run.ex.decide(
        role="hom",
        inject="a",
        decision="d",
        option="engage",
        rationale="A proportionate, graduated response; the cost is that we look less impartial.",
    )
    before = assess(run.ex)
    assert (before.mlt_indicator, before.mlt_score, before.mlt_rating) == (86.6, 86.6, "P")
    assert [f.kind for f in before.findings] == ["strength"] and before.plan == []
    for name in ("Ana", "Ben"):
        run.ex.rate(evaluator=name, inject="a", decision="d", rating="U", note="advice ignored")
    after = assess(run.ex)
    (d,) = after.decisions
    assert d.score == 89.0 and after.judged[d.key].derived_rating == "P"  # shown beside
    assert after.judged[d.key].rating == "U" and after.judged[d.key].assessed == 20.0
    # headline: 86.6 + (20 - 89.0) = 17.6 -> U; the indicator stays 86.6
    assert (after.mlt_indicator, after.mlt_score, after.mlt_rating) == (86.6, 17.6, "U")
    assert [(f.kind, f.basis) for f in after.findings] == [("improvement", "evaluator")]
    assert [r.id for r in after.plan] == ["afi:a/d"]
