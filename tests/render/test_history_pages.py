"""The history and progress pages' own drawing: the heat strip's month names."""

from __future__ import annotations

from datetime import date, timedelta

from backcoach.history.progress import HeatWeek
from backcoach.render.history_pages import heat_rows


def test_the_last_months_name_is_never_cut() -> None:
    # Twelve weeks ending in the first days of December: the last column starts December.
    mondays = [date(2026, 9, 14) + timedelta(weeks=n) for n in range(12)]
    weeks = [HeatWeek(monday, (1, 0, 0, 0, 0, 0, 0)) for monday in mondays]
    wide = "".join(span.text for span in heat_rows(weeks, 2)[0])
    assert wide.split() == ["Sep", "Oct", "Nov", "Dec"], wide
    # One column a week: a name that would overlap the one before is left out, never cut.
    narrow = "".join(span.text for span in heat_rows(weeks, 1)[0])
    assert narrow.split() == ["Sep", "Nov", "Dec"], narrow
