"""A five-line block font for the countdown, readable from the floor."""

from __future__ import annotations

_GLYPHS = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
}
HEIGHT = 5


def big_lines(text: str) -> list[str]:
    """Render digits and ':' as five lines of blocks, each glyph cell two columns wide."""
    rows = []
    for row in range(HEIGHT):
        cells = [_GLYPHS[ch][row] for ch in text if ch in _GLYPHS]
        rows.append("  ".join("".join("██" if c == "#" else "  " for c in cell)
                              for cell in cells))
    return rows


def width_of(text: str) -> int:
    """Columns the big rendering of `text` takes."""
    return len(big_lines(text)[0])
