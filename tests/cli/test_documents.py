"""handout, report and export --format fhir through the real commands, with a fresh home and a
home with history: every exercise, caution, stop sign, red flag and the disclaimer on the page;
nothing loaded from the network; the report's numbers are `progress`'s; the FHIR Bundle is R4."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.history.store import default_path
from backcoach.library.catalog import load_catalog, timeline
from backcoach.render import handout
from backcoach.safety.redflags import Tier, load_questions
from tests.history_helpers import result, store_results


def cli(*args: str, columns: int = 200) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": str(columns)})


class Page(HTMLParser):
    """The text of a page (without its style), its tags and every attribute that can load."""

    LOADING = ("src", "href", "action", "poster", "srcset", "data", "xlink:href", "formaction")

    def __init__(self, text: str) -> None:
        super().__init__()
        self.words: list[str] = []
        self.tags: list[str] = []
        self.loads: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(text)
        self.text = " ".join(" ".join(self.words).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in self.LOADING and value:
                self.loads.append(value)
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.words).append(data)


def assert_self_contained(page: Page) -> None:
    assert page.loads == [], "nothing is loaded: no src, href or similar"
    for banned in ("script", "link", "img", "iframe", "object", "embed", "base"):
        assert banned not in page.tags
    css = " ".join(page.styles)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "http" not in css


def words(text: str) -> str:
    return " ".join(text.split())


# --- handout -----------------------------------------------------------------------------------

@pytest.mark.parametrize("routine_id", ["daily", "gentle", "desk-break", "neck-and-shoulders",
                                        "strength"])
def test_handout_holds_every_exercise_caution_stop_sign_red_flag_and_the_disclaimer(
        routine_id: str, tmp_path: Path) -> None:
    out = tmp_path / "h.html"
    done = cli("handout", routine_id, "-o", str(out))
    assert done.exit_code == 0, done.output
    page = Page(out.read_text(encoding="utf-8"))
    assert_self_contained(page)
    catalog = load_catalog(strict=False)
    routine = catalog.routines[routine_id]
    assert routine.name in page.text
    for entry in timeline(routine, catalog):
        exercise = entry.exercise
        assert exercise.name in page.text
        for line in (*exercise.steps, *exercise.cautions, *exercise.stop_if):
            assert words(line) in page.text, line
        assert handout.dose_words(entry.dose) in page.text
    for _, items in handout.GET_HELP.values():
        for _, line in items:
            assert words(line) in page.text
    assert words(handout.DISCLAIMER) in page.text
    assert "Weekly chart" in page.text and page.tags.count("td") >= 7 * handout.WEEKS
    drawings = sum(len(e.exercise.picture.drawings) for e in timeline(routine, catalog)
                   if e.exercise.picture)
    assert page.tags.count("pre") == drawings
    for source in handout.GENERAL_SOURCES:
        assert source in page.text


def shown_drawings(html: str) -> list[list[list[str]]]:
    """Each exercise's drawings as a browser lays them out: the rows of every <pre>, after the
    one line break a browser drops right after <pre> (HTML's rule), per group of figures."""
    groups = []
    for group in re.findall(r'<div class="figures">(.*?)</div>', html, re.S):
        drawings = []
        for text in re.findall(r"<pre[^>]*>(.*?)</pre>", group, re.S):
            text = text.removeprefix("\n")
            drawings.append(re.sub(r"<[^>]+>", "", text).split("\n"))
        groups.append(drawings)
    return groups


def test_handout_start_and_end_stand_on_one_floor_line(tmp_path: Path) -> None:
    # The strength routine's bridge is a row taller at the end than at the start: the start is
    # padded with a blank row on top, which must survive the browser's reading of <pre>.
    out = tmp_path / "h.html"
    assert cli("handout", "strength", "-o", str(out)).exit_code == 0
    groups = shown_drawings(out.read_text(encoding="utf-8"))
    catalog = load_catalog(strict=False)
    pictured = [e.exercise for e in timeline(catalog.routines["strength"], catalog)
                if e.exercise.picture]
    assert len(groups) == len(pictured)
    assert any(len(set(map(len, e.picture.drawings))) > 1 for e in pictured if e.picture)
    for drawings, exercise in zip(groups, pictured, strict=True):
        assert len({len(rows) for rows in drawings}) == 1, f"{exercise.id}: floors not level"
        for rows in drawings:
            assert set(rows[-1].strip()) == {"\u2594"}, f"{exercise.id}: the floor is last"


def test_every_red_flag_that_acts_has_a_line_on_the_handout() -> None:
    listed = {qid for _, items in handout.GET_HELP.values() for qid, _ in items}
    acting = {q.id for q in load_questions() if q.tier is not Tier.CLEARANCE}
    assert listed == acting
    for tier, (_, items) in handout.GET_HELP.items():
        for qid, _ in items:
            assert next(q for q in load_questions() if q.id == qid).tier is tier


def test_a_clinicians_routine_prints_who_set_it_for_whom_and_the_notes(
        backcoach_home: Path, tmp_path: Path) -> None:
    folder = backcoach_home / "routines"
    folder.mkdir(parents=True)
    (folder / "for-sam.yaml").write_text(
        "id: for-sam\nname: Sam's back programme\nprescribed_by: Jo Smith, physiotherapist\n"
        "prescribed_for: Sam Example\nnotes:\n  - Start with one set and add one each week.\n"
        "  - Heat before the session can help.\nschedule: {per_day: 2, days_per_week: 5}\n"
        "exercises:\n  - id: knee-to-chest\n    hold: 20s\n  - chin-tuck\n", encoding="utf-8")
    out = tmp_path / "sam.html"
    assert cli("handout", "for-sam", "-o", str(out), "--paper", "a4").exit_code == 0
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert "Prescribed by Jo Smith, physiotherapist" in page.text
    assert "For Sam Example" in page.text
    assert "Start with one set and add one each week." in page.text
    assert "Twice a day, 5 days a week" in page.text
    assert "3 x 20 s each side" in page.text  # the routine's dose, not the exercise's own
    assert "Week 1, session 2" in page.text
    assert "@page { size: A4;" in text
    other = tmp_path / "other.md"
    assert cli("handout", "for-sam", "-o", str(other), "--for", "Alex").exit_code == 0
    markdown = other.read_text(encoding="utf-8")
    assert "- **For:** Alex" in markdown and "```text" in markdown
    assert "Start with one set and add one each week." in markdown


def test_handout_markdown_has_the_same_content(tmp_path: Path) -> None:
    out = tmp_path / "daily.md"
    assert cli("handout", "daily", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    catalog = load_catalog(strict=False)
    for entry in timeline(catalog.routines["daily"], catalog):
        assert f"### {entry.exercise.name}" in text.replace("### 1. ", "### ").replace(
            "### 2. ", "### ").replace("### 3. ", "### ").replace("### 4. ", "### ")
        assert entry.exercise.picture is not None
        assert "\n".join(entry.exercise.picture.start) in text
    assert words(handout.DISCLAIMER) in words(text)
    assert "| Week 4 |" in text


def test_handout_files_go_through_the_safe_writer(tmp_path: Path, backcoach_home: Path) -> None:
    out = tmp_path / "h.html"
    out.write_text("mine", encoding="utf-8")
    refused = cli("handout", "daily", "-o", str(out))
    assert refused.exit_code == 2
    assert "already exists; add --force" in refused.output
    assert out.read_text(encoding="utf-8") == "mine"
    assert cli("handout", "daily", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    store_results(default_path(), [result(datetime(2024, 6, 3, 8, tzinfo=UTC))])
    own = cli("handout", "daily", "-o", str(default_path()), "--force")
    assert own.exit_code == 2 and "never writes --output over its own data" in own.output
    to_stdout = cli("handout", "daily", "-o", "-", "--format", "md")
    assert to_stdout.exit_code == 0 and to_stdout.stdout.startswith("# Daily lower-back")


@pytest.mark.parametrize(("args", "message"), [
    (["handout", "nope", "-o", "x.html"], "no routine called 'nope'"),
    (["handout", "daily", "-o", "x.html", "--format", "pdf"], "--format takes html or md"),
    (["handout", "daily", "-o", "x.html", "--paper", "a5"], "--paper takes a4 or letter"),
    (["report", "-o", "x.html", "--since", "last week"], "--since takes a date such as"),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.chdir(tmp_path)
    done = cli(*args)
    assert done.exit_code == 2, done.output
    assert message.lower() in done.output.lower()
    assert not (tmp_path / "x.html").exists()


# --- report ------------------------------------------------------------------------------------

def history(days: int = 30) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    results = []
    for back in range(days, 0, -1):
        if back % 4 == 0:
            continue
        statuses = ("done", "stopped") if back in (9, 20) else ("done", "done")
        results.append(result(now - timedelta(days=back, hours=1), routine="daily",
                              pain=(5 - back % 3, 3), exercise_statuses=statuses))
    store_results(default_path(), results)


def test_report_numbers_are_the_ones_progress_shows(tmp_path: Path) -> None:
    history()
    out = tmp_path / "r.html"
    done = cli("report", "-o", str(out))
    assert done.exit_code == 0, done.output
    progress = cli("progress").stdout.splitlines()
    text = out.read_text(encoding="utf-8")
    page = Page(text)
    assert_self_contained(page)
    figures = re.findall(r'<li data-figure="(?:headline|trend)">(.*?)</li>', text)
    assert len(figures) >= 4
    for line in figures:
        assert line.replace("&#x27;", "'") in progress, line
    assert "Streak:" in figures[0] and "Time:" in " ".join(figures)
    assert "<svg" in text and "polyline" in text
    assert "Exercise 1" in page.text and "hurts" in page.text  # the stops and why
    assert "Knee-to-chest stretch" in page.text  # the current doses of the routine in use
    assert "2 x 30 s each side" in page.text


def test_report_since_a_day_counts_that_period(tmp_path: Path) -> None:
    history()
    out = tmp_path / "r.html"
    since = (datetime.now(UTC).astimezone() - timedelta(days=7)).date()
    assert cli("report", "-o", str(out), "--since", since.isoformat()).exit_code == 0
    page = Page(out.read_text(encoding="utf-8"))
    sessions = int(re.search(r": (\d+) sessions?\.", page.text).group(1))  # type: ignore[union-attr]
    assert 4 <= sessions <= 7
    assert f"From {since.day} {since:%B %Y}" in page.text


def test_report_in_a_fresh_home_says_there_is_nothing_yet(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert cli("report", "-o", str(out)).exit_code == 0
    page = Page(out.read_text(encoding="utf-8"))
    assert "No sessions recorded yet." in page.text
    assert not default_path().exists()


# --- FHIR --------------------------------------------------------------------------------------

def test_fhir_export_is_a_valid_r4_bundle_with_loinc_pain_scores(tmp_path: Path) -> None:
    from fhir.resources import __fhir_version__
    from fhir.resources.bundle import Bundle

    assert __fhir_version__ == "4.0.1"
    history(12)
    out = tmp_path / "b.json"
    done = cli("export", "--format", "fhir", "-o", str(out))
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text(encoding="utf-8"))
    bundle = Bundle.parse_obj(data)  # raises on any structural error
    assert bundle.type == "collection"
    urls = [entry.fullUrl for entry in bundle.entry]
    assert len(set(urls)) == len(urls)
    kinds = [entry.resource.resource_type for entry in bundle.entry]
    assert kinds.count("Patient") == 1
    sessions = [e.resource for e in bundle.entry if e.resource.resource_type == "Procedure"
                and not e.resource.partOf]
    observations = [e.resource for e in bundle.entry
                    if e.resource.resource_type == "Observation"]
    assert len(sessions) == 9
    pain_scores = 2 * len(sessions) + 1  # before and after each, and the stop (day 9) with a pain
    assert len(observations) == pain_scores
    for obs in observations:
        assert obs.status == "final"
        assert obs.code.coding[0].system == "http://loinc.org"
        assert obs.code.coding[0].code == "72514-3"
        assert 0 <= obs.valueInteger <= 10
        assert obs.partOf[0].reference in urls and obs.subject.reference == urls[0]
    for entry in bundle.entry:
        if entry.resource.resource_type == "Procedure":
            assert entry.resource.status in ("completed", "stopped", "not-done")
            for part in entry.resource.partOf or []:
                assert part.reference in urls
    again = tmp_path / "b2.json"
    assert cli("export", "--format", "fhir", "-o", str(again)).exit_code == 0
    assert [e["fullUrl"] for e in json.loads(again.read_text())["entry"]] == urls


def test_fhir_export_of_an_empty_history_is_a_bundle_with_the_patient_only() -> None:
    from fhir.resources.bundle import Bundle

    done = cli("export", "--format", "fhir")
    assert done.exit_code == 0, done.output
    bundle = Bundle.parse_obj(json.loads(done.stdout))
    assert [e.resource.resource_type for e in bundle.entry] == ["Patient"]
