"""Small pieces of sentences the safety modules share: regions and lists as they read.

Kept apart from `rules` so that `redflags` (which every page that lists exercises loads) does
not load the pain rules to say "hip and low back".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def regions_words(regions: Iterable[str]) -> str:
    """Regions as they read in a sentence: `hip and low back`."""
    return join_words(sorted(region.replace("-", " ") for region in regions))


def join_words(items: Sequence[str], word: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
