"""PDF reports: the self-contained HTML report printed by headless Chromium.

Why Chromium and not a Python PDF library: the HTML report already is the print layout (with
print CSS), so printing it keeps one design; and Debian's ``chromium`` package works offline on
a course laptop. Without Chromium the command says how to get it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to do."""


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def html_to_pdf(html: str, target: Path) -> None:
    browser = find_browser()
    if browser is None:
        raise PdfError(
            "PDF reports need Chromium: install it (Debian: apt-get install chromium) or use --format html and print from a browser"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PdfError(f"cannot write to {target.parent}: {exc.strerror or exc}") from None
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target.resolve()}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfError(f"Chromium failed to print the report: {exc}") from None
    if not target.is_file() or target.stat().st_size == 0:
        raise PdfError("Chromium did not produce a PDF (is it a working headless build?)")
