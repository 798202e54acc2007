"""Block fonts for the countdown, readable from the floor, in sizes from 5 to 21 rows.

Each glyph is drawn on a grid of pixels; a pixel is two columns wide and one row high (a
terminal cell is about twice as tall as it is wide, so the pixels come out square), and a
font at scale k draws each pixel k rows high and 2k columns wide. The live view picks the
largest font that fits the window with everything else it must show.
"""

from __future__ import annotations

from typing import NamedTuple

# 3 x 5 pixels: the classic small font, for ordinary windows.
_SMALL: dict[str, tuple[str, ...]] = {
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
# 5 x 7 pixels, with two-pixel strokes where a glyph would otherwise thin out: rounder
# digits for tall windows, where 3 x 5 scaled up looks coarse.
_LARGE: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "## ##", "## ##", "## ##", "## ##", "## ##", " ### "),
    "1": ("  ## ", " ### ", "  ## ", "  ## ", "  ## ", "  ## ", " ####"),
    "2": (" ### ", "## ##", "   ##", "  ## ", " ##  ", "##   ", "#####"),
    "3": ("#### ", "   ##", "   ##", " ### ", "   ##", "   ##", "#### "),
    "4": ("   ##", "  ###", " # ##", "#  ##", "#####", "   ##", "   ##"),
    "5": ("#####", "##   ", "#### ", "   ##", "   ##", "## ##", " ### "),
    "6": (" ### ", "##   ", "##   ", "#### ", "## ##", "## ##", " ### "),
    "7": ("#####", "   ##", "  ## ", "  ## ", " ##  ", " ##  ", " ##  "),
    "8": (" ### ", "## ##", "## ##", " ### ", "## ##", "## ##", " ### "),
    "9": (" ### ", "## ##", "## ##", " ####", "   ##", "   ##", " ### "),
    ":": ("  ", "  ", "##", "  ", "##", "  ", "  "),
}


class Font(NamedTuple):
    """A glyph set at a scale: `height` rows tall."""

    name: str
    glyphs: dict[str, tuple[str, ...]]
    scale: int = 1

    @property
    def height(self) -> int:
        """Rows one line of digits takes."""
        return len(self.glyphs["0"]) * self.scale

    def lines(self, text: str) -> list[str]:
        """Digits and ':' as rows of blocks; glyphs are one pixel apart."""
        gap = "  " * self.scale
        rows = []
        for row in range(len(self.glyphs["0"])):
            cells = [self.glyphs[ch][row] for ch in text if ch in self.glyphs]
            line = gap.join("".join(("██" if pixel == "#" else "  ") * self.scale
                                    for pixel in cell) for cell in cells)
            rows.extend([line] * self.scale)
        return rows

    def width(self, text: str) -> int:
        """Columns the text takes in this font."""
        return len(self.lines(text)[0]) if text else 0


SMALL = Font("5 rows", _SMALL)
# Largest first: the live view tries them in this order.
FONTS = (Font("21 rows", _LARGE, 3), Font("14 rows", _LARGE, 2), Font("10 rows", _SMALL, 2),
         Font("7 rows", _LARGE), SMALL)
