"""Printable, self-contained HTML pages: the handout and the report.

A page loads nothing: its styles are inline, its fonts are the reader's own (a list of common
ones, then the generic family), its charts are inline SVG, and it has no script. Print CSS
lays it out for A4 or Letter (`@page`); `paper` fixes the size, else the printer's is used.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from backcoach.library.pictures import Segment, marked_rows
from backcoach.safetext import visible

PAPERS = ("a4", "letter")
_PAGE_SIZE = {"a4": "A4", "letter": "letter"}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 11pt/1.4 "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  color: #111; background: #fff; margin: 0 auto; max-width: 46rem; padding: 1.5rem; }
h1 { font-size: 1.7em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; margin: 1em 0 .35em; border-bottom: 2px solid #333;
  padding-bottom: .1em; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 1.05em; margin: 0 0 .25em; break-after: avoid; page-break-after: avoid; }
p, ul, ol { margin: .3rem 0; }
ul, ol { padding-left: 1.4rem; }
.meta { color: #333; margin: .1rem 0; }
.meta b { display: inline-block; min-width: 7.5rem; }
.exercise { border: 1px solid #999; border-radius: 4px; padding: .6rem .8rem;
  margin: .7rem 0; break-inside: avoid; page-break-inside: avoid; }
.dose { font-weight: bold; margin: .2rem 0 .4rem; }
.figures { display: flex; flex-wrap: wrap; gap: 1.2rem; margin: .4rem 0 .5rem; }
.figure { margin: 0; }
.figure figcaption { font-size: .85em; color: #333; font-weight: bold; }
pre.drawing { font: 15px/1.0 "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono",
  monospace; margin: 0; color: #222; }
pre.drawing .moving { font-weight: bold; color: #0b5394; }
.careful { border-left: 4px solid #b26b00; padding-left: .5rem; }
.stop { border-left: 4px solid #b00020; padding-left: .5rem; }
.label { font-weight: bold; }
.help { border: 2px solid #b00020; border-radius: 4px; padding: .4em .8em; }
.help h3 { color: #b00020; margin-top: .4em; }
.help ul { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #666; padding: .2rem .35rem; text-align: left; vertical-align: top; }
th { background: #eee; }
td.box { height: 1.5rem; width: 2.6rem; }
td.num, th.num { text-align: right; }
.small { font-size: .85em; color: #333; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.chart { width: 100%; height: auto; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(text: object) -> str:
    """Text made safe for HTML: markup characters escaped, terminal control characters shown
    as visible marks (text can come from a user's files)."""
    return html.escape(visible(str(text)), quote=True)


def page_css(paper: str | None) -> str:
    """The page's styles: the shared ones and the paper size for print."""
    size = _PAGE_SIZE.get(paper or "", "auto")
    return _CSS + f"@page {{ size: {size}; margin: 14mm 13mm; }}\n"


def document(title: str, body: Iterable[str], paper: str | None = None, css: str = "",
             body_class: str = "") -> str:
    """A whole HTML page: doctype, title, inline styles (the shared ones, then `css`) and the
    body's parts."""
    shown_class = f' class="{esc(body_class)}"' if body_class else ""
    return ("<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{page_css(paper)}{css}</style>\n</head>\n"
            f"<body{shown_class}>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _segments_html(line: list[Segment]) -> str:
    return "".join(f'<span class="moving">{esc(text)}</span>' if moving else esc(text)
                   for text, moving in line)


def figures(drawings: tuple[tuple[str, ...], ...], name: str) -> str:
    """The drawings of a position as figures side by side (wrapping on narrow paper), each
    with its caption; the part that moves in bold. Screen readers get a sentence, not the
    box-drawing characters: the steps say the same in words."""
    from backcoach.library.pictures import captions

    names = captions(len(drawings))
    marked = marked_rows(drawings)
    height = max(len(rows) for rows in marked)
    parts = []
    # Blank rows on top of the shorter drawing keep the floors level, side by side.
    padded: list[list[list[Segment]]] = [[[] for _ in range(height - len(rows))] + rows
                                         for rows in marked]
    for caption, rows in zip(names, padded, strict=True):
        label = f"{name}, {caption.lower()} position" if caption else f"{name}, the position"
        text = "\n".join(_segments_html(row) for row in rows)
        shown = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
        # A browser drops one line break right after <pre>: this one, not the first padding
        # row (which would put the shorter drawing's floor a row higher than the other's).
        parts.append(f'<figure class="figure">{shown}<span class="visually-hidden">Drawing of '
                     f"{esc(label)}; the steps describe it.</span>"
                     f'<pre class="drawing" aria-hidden="true">\n{text}</pre></figure>')
    return f'<div class="figures">{"".join(parts)}</div>'
