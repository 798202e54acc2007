"""Lengths of time as people read them, the one way every page, the summary and the live view
show them. Light to import: pages that only print a length need not load the library model."""

from __future__ import annotations


def format_duration(seconds: float) -> str:
    """Render a length of time for people, the one way every page and the summary show it:
    `51 s`, `2 min`, `1 min 30 s`; from an hour on, to the minute: `2 h 5 min`."""
    whole = round(seconds)
    if whole >= 3600:
        hours, minutes = divmod(round(whole / 60), 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    minutes, secs = divmod(whole, 60)
    if minutes == 0:
        return f"{secs} s"
    if secs == 0:
        return f"{minutes} min"
    return f"{minutes} min {secs} s"


def format_clock(seconds: float) -> str:
    """Render seconds as a clock: `04:12`, or `1:02:03` past an hour."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


__all__ = ["format_clock", "format_duration"]
