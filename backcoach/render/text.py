"""Pages of text for a terminal or a pipe: styled lines, word wrap and tables, without rich.

`list`, `show`, `history`, `progress` and the other printing commands build a `Page` and write
it once. Importing rich costs more than the whole rest of such a command, and a page needs
little of it: colour where it helps a terminal reader, words never cut in the middle, columns
that line up. Text from files is made harmless on the way out (`safetext.visible`), so a name
or a step can never act on the terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, TextIO

from backcoach.safetext import visible

# SGR codes for the few styles pages use; colour only ever supports words.
_SGR = {"bold": "1", "dim": "2", "italic": "3", "reverse": "7", "red": "31", "green": "32",
        "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}
DEFAULT_WIDTH = 80  # a pipe or a file has no width: the classic terminal's
# Joins words that must stay on one line ("30 s"); printed as a space.
KEEP_TOGETHER = "\u00a0"


class Span(NamedTuple):
    """A piece of text in one style (space-separated names from _SGR, or '')."""

    text: str
    style: str = ""


Line = tuple[Span, ...]
Cell = str | Span | Sequence[Span]


def together(text: str) -> str:
    """The words of `text` joined so that a line never breaks between them."""
    return text.replace(" ", KEEP_TOGETHER)


def cell_width(text: str) -> int:
    """Columns the text takes on a terminal: wide (CJK) characters take two, combining ones
    none."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap to `width` columns. Lines break only at spaces (kept as written inside a
    line), and a word breaks only when it alone is wider than a line."""
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        parts = _SPACES.split(paragraph)  # words, and the runs of spaces between them
        line, used = parts[0], cell_width(parts[0])
        while used > width:  # a first word longer than the line: fold it
            head, line = _split_at(line, width)
            lines.append(head)
            used = cell_width(line)
        for space, word in zip(parts[1::2], parts[2::2], strict=True):
            if not word:  # spaces at the end of the paragraph
                continue
            size = cell_width(word)
            if used + len(space) + size <= width:
                line += space + word
                used += len(space) + size
                continue
            if line.strip():
                lines.append(line)
            while size > width:
                head, word = _split_at(word, width)
                lines.append(head)
                size = cell_width(word)
            line, used = word, size
        lines.append(line)
    return lines


_SPACES = re.compile(r"( +)")


def line_count(text: str) -> Callable[[int], int]:
    """How many lines `wrap(text, width)` makes, as a function of the width: the words are
    measured once, so trying many widths (fitting a table) costs a few additions each."""
    paragraphs = []
    for paragraph in text.split("\n"):
        parts = _SPACES.split(paragraph)
        words = [(0, parts[0], cell_width(parts[0]))]
        words += [(len(space), word, cell_width(word))
                  for space, word in zip(parts[1::2], parts[2::2], strict=True) if word]
        paragraphs.append(words)

    def folded(word: str, size: int, width: int) -> tuple[int, int]:
        """Lines a word wider than the line fills before its last part, and that part's
        width (as wrap folds it)."""
        lines = 0
        while size > width:
            _, word = _split_at(word, width)
            size = cell_width(word)
            lines += 1
        return lines, size

    def count(width: int) -> int:
        width = max(1, width)
        lines = 0
        for paragraph in paragraphs:
            used = 0
            for index, (space, word, size) in enumerate(paragraph):
                if index and used + space + size <= width:
                    used += space + size
                    continue
                if index and used:
                    lines += 1
                if size > width:
                    extra, size = folded(word, size, width)
                    lines += extra
                used = size
            lines += 1
        return lines

    return count


def _split_at(word: str, width: int) -> tuple[str, str]:
    taken = 0
    for index, ch in enumerate(word):
        taken += cell_width(ch)
        if taken > width:
            return word[:max(1, index)], word[max(1, index):]
    return word, ""


def _spans(cell: Cell) -> list[Span]:
    if isinstance(cell, str):
        return [Span(cell)]
    if isinstance(cell, Span):
        return [cell]
    return list(cell)


def _plain(cell: Cell) -> str:
    return "".join(span.text for span in _spans(cell))


class Column(NamedTuple):
    """A table column. A column that may `wrap` gets narrower (down to its longest word) when
    the table does not fit; the others keep their width."""

    header: str
    right: bool = False
    wrap: bool = False
    style: str = ""


class Page:
    """Lines of styled text, written at once to a stream."""

    def __init__(self, width: int) -> None:
        self.width = max(20, width)
        self.lines: list[Line] = []

    def add(self, text: str = "", style: str = "") -> None:
        """One paragraph, word-wrapped to the page."""
        for part in wrap(text, self.width) if text else [""]:
            self.lines.append((Span(part, style),))

    def spans(self, *spans: Span) -> None:
        """One line made of several styled pieces, as it is (no wrapping)."""
        self.lines.append(tuple(spans))

    def hanging(self, marker: str, text: str, style: str = "") -> None:
        """`marker` then `text`, whose wrapped lines hang under the text, not the marker."""
        indent = cell_width(marker) + 1
        for number, part in enumerate(wrap(text, self.width - indent)):
            lead = marker + " " if number == 0 else " " * indent
            self.lines.append((Span(lead), Span(part, style)))

    def table(self, columns: Sequence[Column], rows: Iterable[Sequence[Cell]],
              gap: int = 2) -> bool:
        """A table with a header and a rule under it, fitted to the page: wrapping columns
        narrow to their longest word. Returns False (adding nothing) when even that does not
        fit, so the caller can show the rows another way."""
        table = [list(row) for row in rows]
        natural = [max([cell_width(c.header), *(cell_width(_plain(r[i])) for r in table)])
                   for i, c in enumerate(columns)]
        widths = _fit(columns, table, natural, self.width - gap * (len(columns) - 1))
        if widths is None:
            return False
        self.lines.append(_row_line([[Span(c.header, "bold")] for c in columns], columns,
                                    widths, gap)[0])
        self.lines.append((Span((" " * gap).join("─" * w for w in widths), "dim"),))
        for row in table:
            cells = [[Span(s.text, s.style or c.style) for s in _spans(cell)]
                     for cell, c in zip(row, columns, strict=True)]
            self.lines.extend(_row_line(cells, columns, widths, gap))
        return True

    def text(self, color: bool) -> str:
        """The page as text; with SGR colour codes when `color`."""
        out = []
        for line in self.lines:
            parts = []
            for span in line:
                shown = visible(span.text)
                codes = ";".join(_SGR[name] for name in span.style.split() if name in _SGR)
                parts.append(f"\x1b[{codes}m{shown}\x1b[0m" if color and codes and shown
                             else shown)
            out.append("".join(parts).rstrip().replace(KEEP_TOGETHER, " "))
        return "\n".join(out) + "\n" if out else ""

    def write(self, stream: TextIO | None = None, pager: bool = False) -> None:
        """Write the page to a stream (stdout by default), in colour on a terminal. With
        `pager`, a page taller than the terminal goes through $PAGER (else less, else more);
        never when the stream is not a terminal."""
        stream = stream if stream is not None else _stdout()
        text = self.text(color=wants_color(stream))
        if pager and _too_tall(text, stream) and _page(text):
            return
        stream.write(text)
        stream.flush()


def _fit(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], natural: list[int],
         room: int) -> list[int] | None:
    """Column widths that fit `room`, with as few wrapped lines as a greedy search finds: each
    step takes one column of width from the wrapping column where that adds fewest lines (the
    widest on a tie), never below its longest word nor its header. None when even that is too
    wide."""
    if sum(natural) <= room:
        return natural
    texts = [[_plain(row[i]) for row in rows] for i in range(len(columns))]
    floors = [max([cell_width(c.header), *(cell_width(w) for t in texts[i] for w in t.split(" ")),
                   1]) if c.wrap else natural[i] for i, c in enumerate(columns)]
    if sum(floors) > room:
        return None
    counters = [[line_count(text) for text in column] if c.wrap else []
                for c, column in zip(columns, texts, strict=True)]
    widths = list(natural)
    heights = [[count(widths[i]) for count in counters[i]] or [1] * len(rows)
               for i in range(len(columns))]

    def total(changed: int, column_heights: list[int]) -> int:
        return sum(max(column_heights[r] if i == changed else heights[i][r]
                       for i in range(len(columns))) for r in range(len(rows)))

    tried: dict[tuple[int, int], list[int]] = {}  # (column, width): each cell's line count

    def lines_at(column: int, width: int) -> list[int]:
        if (column, width) not in tried:
            tried[column, width] = [count(width) for count in counters[column]]
        return tried[column, width]

    for _ in range(sum(widths) - room):
        best: tuple[int, int, int, list[int]] | None = None
        for i in range(len(columns)):
            if widths[i] <= floors[i]:
                continue
            trial = lines_at(i, widths[i] - 1)
            key = (total(i, trial), -widths[i], i, trial)
            if best is None or key[:3] < best[:3]:
                best = key
        assert best is not None  # the floors fit, so some column can still give
        _, _, index, trial = best
        widths[index] -= 1
        heights[index] = trial
    return widths


def _row_line(cells: list[list[Span]], columns: Sequence[Column], widths: list[int],
              gap: int) -> list[Line]:
    """One table row as terminal lines: each cell wrapped to its width, padded, aligned."""
    wrapped: list[list[list[Span]]] = []
    for spans, width in zip(cells, widths, strict=True):
        style = spans[0].style if len(spans) == 1 else ""
        if len(spans) == 1:
            wrapped.append([[Span(part, style)] for part in wrap(spans[0].text, width)])
        else:  # a cell of several styles stays on one line (short status cells)
            wrapped.append([spans])
    height = max(len(parts) for parts in wrapped)
    lines: list[Line] = []
    for number in range(height):
        line: list[Span] = []
        for index, (parts, width) in enumerate(zip(wrapped, widths, strict=True)):
            spans = parts[number] if number < len(parts) else []
            pad = " " * max(0, width - sum(cell_width(s.text) for s in spans))
            if columns[index].right:
                line += [Span(pad), *spans]
            else:
                line += [*spans, Span(pad)]
            if index < len(widths) - 1:
                line.append(Span(" " * gap))
        lines.append(tuple(line))
    return lines


def _too_tall(text: str, stream: TextIO) -> bool:
    """Whether `text` is for a terminal (not a pipe, not TERM=dumb) that it does not fit."""
    try:
        if not stream.isatty() or os.environ.get("TERM", "") in ("dumb", "unknown"):
            return False
        rows = os.get_terminal_size(stream.fileno()).lines
    except (AttributeError, ValueError, OSError):
        return False
    return text.count("\n") > max(1, rows - 1)


def pager_command() -> list[str] | None:
    """The pager to use: $PAGER (empty or `cat`: none), else less, else more; None if none."""
    import shlex

    wanted = os.environ.get("PAGER")
    if wanted is not None:
        try:
            words = shlex.split(wanted)
        except ValueError:
            return None
        return words if words and words != ["cat"] else None
    for name in ("less", "more"):
        if shutil.which(name):
            return [name]
    return None


def _page(text: str) -> bool:
    """Show text through the pager; False when there is none (then it is printed as it is).

    less gets LESS=FRX unless set (quit when the text fits after all, keep colours, leave it
    on the screen). Ctrl-C belongs to the pager while it runs; quitting it early is fine."""
    import signal
    import subprocess

    command = pager_command()
    if command is None:
        return False
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env,
                                       encoding="utf-8", errors="replace")
        except OSError:
            return False
        try:
            assert process.stdin is not None
            process.stdin.write(text)
            process.stdin.close()
        except (BrokenPipeError, OSError):  # quit before reading it all
            pass
        process.wait()
        return True
    finally:
        signal.signal(signal.SIGINT, previous)


def _stdout() -> TextIO:
    import sys

    return sys.stdout


def wants_color(stream: TextIO) -> bool:
    """Colour only for a terminal, and never with NO_COLOR set or TERM=dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM", "") in ("dumb", "unknown"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def page_width(stream: TextIO | None = None) -> int:
    """Columns to lay a page out in: COLUMNS when it is a positive number, else the terminal's
    width, else 80 (a pipe or a file)."""
    value = os.environ.get("COLUMNS", "")
    if value.isdigit() and 0 < int(value) < 10_000:
        return int(value)
    stream = stream if stream is not None else _stdout()
    try:
        if stream.isatty():
            return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns or DEFAULT_WIDTH
    except (AttributeError, ValueError, OSError):
        pass
    return DEFAULT_WIDTH
