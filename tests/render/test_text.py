"""Pages of plain text (render/text.py): wrapping, tables, colour and width, without rich."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.render.text import (
    Column,
    Page,
    Span,
    cell_width,
    page_width,
    together,
    wants_color,
    wrap,
)


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_is_written_as_it_is_never_as_markup_or_emoji() -> None:
    page = Page(80)
    page.add(":smile: [bold]42[/bold] https://example.org")
    out = io.StringIO()
    page.write(out)
    assert out.getvalue() == ":smile: [bold]42[/bold] https://example.org\n"


def test_control_characters_from_files_are_shown_not_obeyed() -> None:
    page = Page(80)
    page.add("name\x1b]0;pwned\x07 \u202etxt")
    assert page.text(color=False) == "name\\u001b]0;pwned\\u0007 \\u202etxt\n"


def test_the_width_follows_columns_and_ignores_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "47")
    assert page_width(io.StringIO()) == 47
    for value in ("0", "-3", "wide", ""):
        monkeypatch.setenv("COLUMNS", value)
        assert page_width(io.StringIO()) == 80  # a pipe: the classic width


def test_colour_only_on_a_terminal_and_never_with_no_color(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wants_color(Tty()) and not wants_color(io.StringIO())
    page = Page(40)
    page.spans(Span("done", "green"), Span(" 4/4"))
    tty = Tty()
    page.write(tty)
    assert tty.getvalue() == "\x1b[32mdone\x1b[0m 4/4\n"
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(Tty())
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not wants_color(Tty())


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghijé漢-", min_size=1, max_size=12), max_size=20),
       width=st.integers(min_value=24, max_value=60))  # wider than any one word
def test_wrapping_never_cuts_a_word_that_fits_a_line(words: list[str], width: int) -> None:
    lines = wrap(" ".join(words), width)
    assert all(cell_width(line) <= width for line in lines)
    assert [w for line in lines for w in line.split(" ") if w] == words


def test_wide_characters_take_two_columns() -> None:
    assert cell_width("漢字") == 4 and cell_width("é") == 1 and cell_width("e\u0301") == 1


def test_words_kept_together_break_only_where_allowed() -> None:
    assert wrap(together("3 x 30 s") + " " + together("each side"), 10) == [
        "3\u00a0x\u00a030\u00a0s", "each\u00a0side"]
    page = Page(40)
    page.add(together("3 x 30 s"))
    assert page.text(color=False) == "3 x 30 s\n"  # printed with plain spaces


COLUMNS = [Column("id"), Column("name", wrap=True), Column("dose", wrap=True),
           Column("time", right=True)]
ROWS = [["piriformis-figure-four", "Piriformis stretch (figure four)",
         together("3 x 30 s") + " " + together("each side"), "03:45"],
        ["chin-tuck", "Chin tuck", together("10 x 5 s"), "01:45"]]


@pytest.mark.parametrize("width", [80, 60, 52])
def test_tables_fit_the_width_and_never_cut_a_word(width: int) -> None:
    page = Page(width)
    assert page.table(COLUMNS, ROWS)
    lines = page.text(color=False).splitlines()
    assert all(cell_width(line) <= width for line in lines), lines
    words = {w for row in ROWS for cell in row for w in cell.replace("\u00a0", " ").split()}
    text_words = {w for line in lines[2:] for w in line.split()}
    assert words <= text_words  # every word whole, somewhere
    assert lines[0].split() == ["id", "name", "dose", "time"]
    assert set(lines[1]) <= {"─", " "}
    assert lines[-1].rstrip().endswith("01:45")  # right-aligned numbers end the line


def test_a_table_too_wide_for_its_longest_words_says_so_and_adds_nothing() -> None:
    page = Page(30)
    assert not page.table(COLUMNS, ROWS)
    assert page.lines == []


def test_hanging_lines_stay_under_their_text() -> None:
    page = Page(24)
    page.hanging("  1.", "Lie on your back with both knees bent.")
    assert page.text(color=False).splitlines() == [
        "  1. Lie on your back", "     with both knees", "     bent."]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "bb", "word", "x" * 13, " ", "  ", "\n", "漢字",
                                      "é"]), max_size=30).map("".join),
       width=st.integers(min_value=1, max_value=30))
def test_line_count_agrees_with_wrap(text: str, width: int) -> None:
    """Fitting a table counts lines without wrapping; the count must be wrap's."""
    from backcoach.render.text import line_count

    assert line_count(text)(width) == len(wrap(text, width))
