"""The considerations catalogue and the roles: complete, cited, consistent, and in the handbook."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from after_action.coverage import load_coverage
from after_action.handbook import DOCS, handbook_markdown
from exercise_engine.loading import load_catalogue, load_roles
from tests.conftest import REPO, run_cli

CATALOGUE = load_catalogue().considerations
ROLES = load_roles()


def test_catalogue_is_large_enough() -> None:
    assert len(CATALOGUE) >= 150


def test_the_set_of_ids_is_pinned() -> None:
    """Removing or renaming an id is a deliberate act: ids are stable and never reused.
    After adding considerations, regenerate tests/data/consideration_ids.txt."""
    pinned = (REPO / "tests/data/consideration_ids.txt").read_text().split()
    assert sorted(CATALOGUE) == pinned


@pytest.mark.parametrize("cid", sorted(CATALOGUE))
def test_every_consideration_is_cited_and_checkable(cid: str) -> None:
    c = CATALOGUE[cid]
    assert c.source.doc in DOCS
    assert len(c.source.section) >= 4
    if c.source.doc == "001_3fc6dd05fdfc6643.txt":
        assert re.match(r"^(§\d|Intro|Ch\. \d)", c.source.section), c.source.section
    assert c.roles and all(r in ROLES for r in c.roles)
    assert 3 <= len(c.indicators) <= 6
    assert all(i == i.lower() for i in c.indicators)
    assert cid.split(".")[0] == next(
        x.id.split(".")[0] for x in CATALOGUE.values() if x.area == c.area
    )


def test_tensions_are_symmetric_and_plentiful() -> None:
    pairs = set()
    for c in CATALOGUE.values():
        for other in c.tension_with:
            assert c.id in CATALOGUE[other].tension_with, f"{c.id} -> {other} is one-sided"
            pairs.add(tuple(sorted((c.id, other))))
    assert len(pairs) >= 30


CHAPTER_MINIMUM = {"1": 48, "2": 62, "3": 75, "4": 102, "5": 62, "6": 38}
"""Entries citing each chapter of the study (counted when the issue on coverage was done)."""


def test_every_chapter_and_both_poc_papers_are_represented() -> None:
    chapters = Counter()
    docs = Counter(c.source.doc for c in CATALOGUE.values())
    for c in CATALOGUE.values():
        match = re.match(r"^§(\d)", c.source.section) or re.match(r"^Ch\. (\d)", c.source.section)
        if c.source.doc == "001_3fc6dd05fdfc6643.txt" and match:
            chapters[match[1]] += 1
    for chapter, minimum in CHAPTER_MINIMUM.items():
        assert chapters[chapter] >= minimum, f"chapter {chapter} has {chapters[chapter]}"
    assert docs["003_86c4c17a89bd3cea.txt"] >= 5  # the POC leadership brief
    assert docs["004_973f83d869b78ba8.txt"] >= 5  # the POC and SSR chapter


def test_design_examples_exist() -> None:
    for cid in (
        "uof.political-strategy",
        "uof.warning-communicated",
        "uof.proportionate",
        "ppl.impartiality",
        "crisis.timely-decision",
    ):
        assert cid in CATALOGUE


def test_roles_cover_every_seat_with_cited_texts() -> None:
    core = {
        "hom",
        "dsrsg_pol",
        "dsrsg_rchc",
        "force_commander",
        "police_commissioner",
        "dms",
        "chief_of_staff",
    }
    assert core <= {r for r, role in ROLES.items() if role.core}
    assert {"csa", "strat_comms", "human_rights", "jmac"} <= set(ROLES)
    for role in ROLES.values():
        assert role.title and role.responsibilities and role.source is not None
        assert all(t.with_ in ROLES for t in role.tensions)


def test_handbook_is_in_step_with_the_catalogue() -> None:
    expected = handbook_markdown(CATALOGUE, ROLES, load_coverage())
    actual = (REPO / "docs/considerations.md").read_text(encoding="utf-8")
    assert actual == expected, (
        "regenerate: exercise-engine considerations --format md > docs/considerations.md"
    )


def test_browse_cli() -> None:
    result = run_cli(
        "considerations", "--area", "uof", "--role", "force_commander", "--search", "red line"
    )
    assert result.returncode == 0
    assert "uof.warning-communicated" in result.stdout
    bad = run_cli("considerations", "--role", "general")
    assert bad.returncode == 2 and "unknown role 'general'" in bad.stderr
    assert (
        run_cli(
            "validate", "after_action/considerations", "exercise_engine/data/roles.toml"
        ).returncode
        == 0
    )


def test_every_citation_has_an_anchor() -> None:
    """An anchor lets anyone find the passage an entry was written from (3-10 words, validated)."""
    missing = [cid for cid, c in CATALOGUE.items() if not c.source.anchor]
    assert not missing, missing


def test_handbook_shows_anchors_and_coverage() -> None:
    text = handbook_markdown(CATALOGUE, ROLES, load_coverage())
    some = next(iter(CATALOGUE.values()))
    assert f"at “{some.source.anchor}”" in text
    assert "| Ch. 5 Rule of law |" in text and "| **All** |" in text


def test_coverage_meets_the_targets() -> None:
    """At least 70% of the study's checkable items stated overall, 60% in every chapter 1-6."""
    chapters = {c.key: c for c in load_coverage()}
    for key in "123456":
        assert chapters[key].share >= 0.6, f"chapter {key}: {chapters[key].share:.0%}"
    total = sum(c.items for c in chapters.values())
    stated = sum(c.stated for c in chapters.values())
    assert stated / total >= 0.7, f"{stated}/{total}"


def test_coverage_claims_name_real_entries() -> None:
    """Every study item claimed as stated since the baseline is mapped to an existing entry."""
    for chapter in load_coverage():
        assert 0 <= chapter.open_at_baseline <= chapter.items
        assert chapter.stated <= chapter.items, chapter.key
        for item, cid in chapter.stated_since.items():
            assert cid in CATALOGUE, f"{chapter.key} {item}: no consideration {cid!r}"


SHARED = [REPO.parent / "shared" / "tools", REPO.parent.parent / "shared" / "tools"]
"""The shared tools sit beside a checkout (or beside its worktree folder)."""


def _shared_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    tool = next((d / name for d in SHARED if (d / name).is_file()), None)
    if tool is None:
        pytest.skip(f"../shared/tools/{name} is not beside this checkout")
    return subprocess.run(
        [sys.executable, str(tool), *args], cwd=REPO, capture_output=True, text=True, check=False
    )


def test_anchors_are_found_in_their_sections() -> None:
    result = _shared_tool("anchorcheck.py", "--require", "after_action/considerations")
    assert result.returncode == 0, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    total, inside = (int(x) for x in re.findall(r"(\d+) (?:entries|in section)", summary))
    assert inside >= 0.9 * total, summary


def test_catalogue_copies_no_source_sentences() -> None:
    result = _shared_tool("copycheck.py", "after_action", "docs/considerations.md")
    assert result.returncode == 0, result.stdout


def test_browse_cli_shows_and_searches_anchors() -> None:
    """A facilitator can go from an entry to the passage: the anchor is printed and searchable."""
    result = run_cli("considerations", "--search", "can be seen on three levels")
    assert result.returncode == 0, result.stderr
    assert "lead.hom-three-hats" in result.stdout
    assert 'at "role of the HoM can be seen on three levels"' in result.stdout
