"""Text from files, shown on a terminal: nothing in it may act on the terminal.

The validator refuses control characters in exercise and routine files; this is the second
line, for every view: escape sequences (ESC, the C1 controls), bidi overrides, line and
paragraph separators and lone surrogates are shown as `\\uXXXX`, never passed through.
"""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult

# Control, format, surrogate and line/paragraph separator characters. The zero-width joiner
# (format) stays: it only joins emoji and letters.
_UNSAFE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_KEEP = frozenset({"\u200d", "\u00ad"})  # and the soft hyphen: harmless, one cell


def _unsafe(ch: str) -> bool:
    return ch not in _KEEP and unicodedata.category(ch) in _UNSAFE


def visible(text: str) -> str:
    """`text` with every character that could act on a terminal shown as `\\uXXXX`."""
    if text.isprintable():  # nearly always: no per-character look-up
        return text
    return "".join(f"\\u{ord(ch):04x}" if _unsafe(ch) else ch for ch in text)


def json_line(data: object) -> str:
    """One JSON object on one line, readable UTF-8, but with the characters `visible` escapes
    written as JSON escapes (json.dumps leaves DEL, C1 controls and bidi marks raw)."""
    line = json.dumps(data, ensure_ascii=False)
    if line.isprintable():
        return line
    # Such characters can only be inside JSON strings, where an escape means the same.
    return "".join(json.dumps(ch)[1:-1] if _unsafe(ch) else ch for ch in line)


def stripped(text: str) -> str:
    """`text` without the characters `visible` escapes; a lone surrogate becomes U+FFFD.

    For text already laid out by rich, which gives those characters no width (a surrogate one
    cell), so removing them moves nothing on screen.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch == "\n" or not _unsafe(ch) else
                   "\ufffd" if unicodedata.category(ch) == "Cs" else "" for ch in text)


class Stripped:
    """A rich renderable drawn with `stripped` text. The escape sequences rich writes itself
    (cursor, screen, colours) are control segments or styles and pass untouched."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            if segment.control or segment.text.isprintable():
                yield segment
            else:
                yield Segment(stripped(segment.text), segment.style, segment.control)
