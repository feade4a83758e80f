"""After-action reports from real playthroughs, through the real CLI: formats, golden files,
anonymizing, comparing syndicates, and the HTML rendered in a headless browser."""

from __future__ import annotations

import json
import re
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest

from tests.conftest import REPO, chromium_binary, run_cli
from tests.golden_files import check_golden

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


GOLDEN_PLAYS = [
    ("tutorial", "robust"),
    ("tutorial", "hands-off"),
    ("minusca-bambari", "robust"),
    ("unamid-saraf-umra", "negotiated"),
]


@pytest.fixture(scope="module")
def golden_journals(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Each golden playthrough played once for the module (every format reads the same journal)."""
    folder = tmp_path_factory.mktemp("golden-plays")
    return {(s, p): _play(folder, s, p) for s, p in GOLDEN_PLAYS}


@pytest.mark.parametrize(("scenario", "playthrough"), GOLDEN_PLAYS)
@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_golden_reports(
    golden_journals: dict[tuple[str, str], Path], scenario: str, playthrough: str, fmt: str
) -> None:
    """The same playthrough always produces the same report, in every text format
    (``UPDATE_GOLDEN=1`` regenerates them; any other value compares)."""
    db = golden_journals[(scenario, playthrough)]
    result = run_cli("report", str(db), "--format", fmt, "--anonymize")
    assert result.returncode == 0, result.stderr
    # Nothing of this run may leak into a golden file: no path, no wall-clock date.
    assert str(db.parent) not in result.stdout and db.name not in result.stdout
    assert time.strftime("%Y-%m-%d") not in result.stdout
    check_golden(f"{scenario}-{playthrough}.{fmt}", result.stdout)


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


def _headless(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        timeout=120,
    )


@pytest.mark.requires("chromium")
def test_html_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    """The browser loads the report (exit 0) and its DOM holds the report's own words: a missing
    file or an error page gives an empty or foreign DOM, not the scenario and its decisions."""
    browser = chromium_binary()
    assert browser is not None
    db = _play(tmp_path, "tutorial", "robust")
    assert run_cli("report", str(db), "--format", "html", "--out", str(tmp_path)).returncode == 0
    page = (tmp_path / "tutorial-robust.html").as_uri()
    dom = _headless(browser, tmp_path / "profile", "--dump-dom", page)
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    text = dom.stdout.decode("utf-8")
    assert "<title>" in text and "Tutorial: the market at Kessa" in text
    assert "tut-02/posture" in text and "visible-deterrence" in text
    assert text.count("<svg") == 3  # the charts are in the rendered page
    shot = tmp_path / "report.png"
    drawn = _headless(
        browser, tmp_path / "profile", "--window-size=1000,2400", f"--screenshot={shot}", page
    )
    assert drawn.returncode == 0, drawn.stderr.decode(errors="replace")[-2000:]
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_pdf_report_needs_an_out_folder(tmp_path: Path) -> None:
    db = _play(tmp_path, "tutorial", "robust")
    no_out = run_cli("report", str(db), "--format", "pdf")
    assert no_out.returncode == 2 and "give --out DIR" in no_out.stderr
    assert "Traceback" not in no_out.stderr


@pytest.mark.requires("chromium")
def test_pdf_report(tmp_path: Path) -> None:
    """A real PDF: it parses, has pages, and its text is the report's (title, a decision)."""
    from pypdf import PdfReader

    db = _play(tmp_path, "tutorial", "robust")
    result = run_cli("report", str(db), "--format", "pdf", "--out", str(tmp_path / "pdf"))
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "pdf" / "tutorial-robust.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2  # the tutorial's report runs over several A4 pages
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    text = re.sub(r"-\s+", "-", text)  # a line broken after a hyphen joins again
    assert "After-action report and improvement plan: Tutorial: the market at Kessa" in text
    assert "tut-02/posture: visible-deterrence" in text
    # the PDF has the sections every other format has (it is the HTML report, printed)
    data = json.loads(run_cli("report", str(db), "--format", "json").stdout)

    def flat(words: str) -> str:
        """PDF text extraction drops spaces, may change quotes and keeps ligatures (ﬀ)."""
        return re.sub(r"[\s\"“”‘’']", "", unicodedata.normalize("NFKC", words))

    missing = [h for h in data["sections"] if flat(h) not in flat(text)]
    assert missing == [], missing
