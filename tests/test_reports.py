"""After-action reports from real playthroughs, through the real CLI: formats, golden files,
anonymizing, comparing syndicates, and the HTML rendered in a headless browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

GOLDEN = REPO / "tests" / "golden"
PLAYS = REPO / "scenarios" / "playthroughs"


def _play(tmp_path: Path, scenario: str, playthrough: str) -> Path:
    db = tmp_path / f"{scenario}-{playthrough}.db"
    result = run_cli(
        "play",
        scenario,
        "--decisions",
        str(PLAYS / scenario / f"{playthrough}.toml"),
        "--exercise",
        str(db),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return db


@pytest.mark.parametrize(
    ("scenario", "playthrough"),
    [
        ("tutorial", "robust"),
        ("tutorial", "hands-off"),
        ("minusca-bambari", "robust"),
        ("unamid-saraf-umra", "negotiated"),
    ],
)
def test_golden_reports(tmp_path: Path, scenario: str, playthrough: str) -> None:
    """The same playthrough always produces the same report (regenerate with UPDATE_GOLDEN=1)."""
    if not (PLAYS / scenario / f"{playthrough}.toml").exists():
        pytest.skip(f"{scenario}/{playthrough} is not bundled")
    db = _play(tmp_path, scenario, playthrough)
    result = run_cli("report", str(db), "--format", "md", "--anonymize")
    assert result.returncode == 0, result.stderr
    golden = GOLDEN / f"{scenario}-{playthrough}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_every_format_and_out_dir(tmp_path: Path) -> None:
    db = _play(tmp_path, "tutorial", "robust")
    for fmt in ("md", "html", "json"):
        result = run_cli("report", str(db), "--format", fmt, "--out", str(tmp_path / "out"))
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "out" / f"tutorial-robust.{fmt}").is_file()
    data = json.loads((tmp_path / "out" / "tutorial-robust.json").read_text())
    assert data["outcome"]["ending"] == "calm-restored"
    assert {d["key"] for d in data["decisions"]} == {
        "tut-01/verify",
        "tut-02/posture",
        "tut-03/statement",
        "tut-08/distribution",
        "tut-09/road",
        "tut-04/intervene",
        "tut-10/warning-shots",
        "tut-12/custody",
        "tut-06/assessment",
        "tut-14/cable",
    }
    html = (tmp_path / "out" / "tutorial-robust.html").read_text()
    assert (
        html.count("<svg") == 3
        and "<script" not in html
        and "http" not in html.split("</style>")[0]
    )


def test_anonymize_hides_names(tmp_path: Path) -> None:
    db = _play(tmp_path, "tutorial", "robust")
    assert (
        run_cli(
            "rate",
            str(db),
            "--evaluator",
            "Colonel Ana Silva",
            "--inject",
            "tut-02",
            "--decision",
            "posture",
            "--rating",
            "S",
        ).returncode
        == 0
    )
    plain = run_cli("report", str(db), "--format", "json").stdout
    hidden = run_cli("report", str(db), "--format", "json", "--anonymize").stdout
    assert "Colonel Ana Silva" in plain and "Robust and even-handed" in plain
    assert "Colonel Ana Silva" not in hidden and "Robust and even-handed" not in hidden
    assert "Evaluator 1" in hidden


def test_bad_ratings_are_one_clear_line(tmp_path: Path) -> None:
    db = _play(tmp_path, "tutorial", "robust")
    bad = run_cli(
        "rate",
        str(db),
        "--evaluator",
        "Ana",
        "--inject",
        "tut-99",
        "--decision",
        "x",
        "--rating",
        "P",
    )
    assert (
        bad.returncode == 2
        and "not a decision point" in bad.stderr
        and "Traceback" not in bad.stderr
    )


def test_compare_syndicates(tmp_path: Path) -> None:
    a = _play(tmp_path, "tutorial", "robust")
    b = _play(tmp_path, "tutorial", "hands-off")
    result = run_cli("compare", str(a), str(b))
    assert result.returncode == 0, result.stderr
    assert "| tut-02/posture **≠** | visible-deterrence | stand-back |" in result.stdout
    html = run_cli("compare", str(a), str(b), "--format", "html")
    assert html.returncode == 0 and "<table>" in html.stdout
    other = (
        _play(tmp_path, "unamid-saraf-umra", "indecisive")
        if (PLAYS / "unamid-saraf-umra").is_dir()
        else None
    )
    if other is not None:
        mixed = run_cli("compare", str(a), str(other))
        assert mixed.returncode == 2 and "different scenarios" in mixed.stderr


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "Chromium is not installed (Debian package 'chromium'); the HTML is checked for structure elsewhere"
        )
    db = _play(tmp_path, "tutorial", "robust")
    assert run_cli("report", str(db), "--format", "html", "--out", str(tmp_path)).returncode == 0
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1000,2400",
            f"--screenshot={shot}",
            (tmp_path / "tutorial-robust.html").as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.is_file() and shot.stat().st_size > 20_000  # a real page, not a blank one


def test_pdf_report(tmp_path: Path) -> None:
    db = _play(tmp_path, "tutorial", "robust")
    no_out = run_cli("report", str(db), "--format", "pdf")
    assert no_out.returncode == 2 and "give --out DIR" in no_out.stderr
    if _chromium() is None:
        pytest.skip("Chromium is not installed: `report --format pdf` says how to install it")
    result = run_cli("report", str(db), "--format", "pdf", "--out", str(tmp_path / "pdf"))
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "pdf" / "tutorial-robust.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
