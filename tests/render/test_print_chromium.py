"""A real browser prints the handout and the report: headless Chromium makes a PDF at A4 and
at Letter, poppler's pdfinfo reads its pages and pdftoppm turns them into PNGs. Skipped, with
the reason, where Chromium or poppler-utils is not installed (Debian: apt-get install chromium
poppler-utils). Set BACKCOACH_PRINT_DIR to keep the PDFs and PNGs to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.history.store import default_path
from tests.history_helpers import result, store_results

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser",
                                                 "google-chrome") if shutil.which(name)), None)
# Points (1/72 inch) of each paper, as pdfinfo prints them.
SIZES = {"a4": (595, 842), "letter": (612, 792)}


def tools() -> str:
    if BROWSER is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    if not (shutil.which("pdfinfo") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils (pdfinfo, pdftoppm) is not installed")
    return BROWSER


def print_pdf(browser: str, page: Path, pdf: Path, profile: Path) -> None:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", page.resolve().as_uri()]
    subprocess.run([browser, *flags], capture_output=True, timeout=120, check=False)
    assert pdf.exists() and pdf.stat().st_size > 1000, f"Chromium printed no PDF of {page}"


def pdf_pages(pdf: Path) -> tuple[int, tuple[int, int]]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout, re.M)
    assert size is not None
    return pages, (round(float(size.group(1))), round(float(size.group(2))))


def pngs(pdf: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(pdf.with_suffix(""))],
                   check=True, timeout=120)
    found = sorted(pdf.parent.glob(pdf.stem + "-*.png"))
    for png in found:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000
    return found


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    kept = os.environ.get("BACKCOACH_PRINT_DIR")
    folder = Path(kept) if kept else tmp_path / "print"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_chromium_prints_the_handout_and_the_report(paper: str, out_dir: Path,
                                                     tmp_path: Path) -> None:
    browser = tools()
    now = datetime.now(UTC)
    store_results(default_path(), [
        result(now - timedelta(days=back), pain=(6 - back // 10, 3),
               exercise_statuses=("done", "stopped") if back % 9 == 0 else ("done", "done"))
        for back in range(56, 0, -1) if back % 5])
    runner = CliRunner()
    for name, args in (("handout", ["handout", "daily"]), ("report", ["report"])):
        page = out_dir / f"{name}-{paper}.html"
        done = runner.invoke(app, [*args, "-o", str(page), "--paper", paper, "--force"])
        assert done.exit_code == 0, done.output
        pdf = page.with_suffix(".pdf")
        pdf.unlink(missing_ok=True)
        print_pdf(browser, page, pdf, tmp_path / f"profile-{name}")
        pages, size = pdf_pages(pdf)
        assert size == SIZES[paper], f"{name} printed on {size}, not {paper}"
        if name == "report":
            assert pages == 1, f"the report takes {pages} pages at {paper}"
        else:
            assert 2 <= pages <= 8
        assert len(pngs(pdf)) == pages
