"""What a session keeps of the safety questions: the red-flag screen as answered, and when
this bout of pain began. On their own so that a command that only reads the last screen
(`show`) does not load the whole session result."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import NamedTuple

# No clearance: one empty mapping that cannot be changed, shared as a default.
NONE_CLEARED: Mapping[str, datetime] = MappingProxyType({})


class ScreenRecord(NamedTuple):
    """One red-flag screen: when, its outcome tier, each question's answer by id (follow-ups
    as `id:only-if`), and the clinician's clearances in force, by question id, with the date
    each was first recorded."""

    taken_at: datetime
    tier: str
    answers: dict[str, bool]
    cleared: Mapping[str, datetime] = NONE_CLEARED  # read-only: shared by every record


# When this bout of pain began, as asked with the first screen: the id stored, and the words.
ONSETS = {
    "under-2-weeks": "less than 2 weeks ago",
    "2-6-weeks": "2 to 6 weeks ago",
    "6-12-weeks": "6 to 12 weeks ago",
    "over-12-weeks": "more than 12 weeks ago",
}


class PainOnset(NamedTuple):
    """When the person said this bout of pain began (one of ONSETS), and when they said it."""

    recorded_at: datetime
    onset: str
