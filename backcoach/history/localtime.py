"""The time zone dates are shown in: the one asked for, else this computer's, else UTC.

History is stored in UTC and only turned into local days for display (streaks, weeks, the
`history` table). A TZ such as `UTC+25` names an offset of a day or more, which Python's
datetime cannot represent: every local date would fail. Such a zone is replaced by UTC, and
the person is told once.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, tzinfo


def usable_zone(tz: tzinfo | None) -> tuple[tzinfo | None, str]:
    """The zone to show dates in (None: this computer's) and a warning, '' when all is well.

    A zone asked for by name is used as it is; this computer's is tried on the current time
    and replaced by UTC when it cannot be used.
    """
    if tz is not None:
        return tz, ""
    try:
        datetime.now(UTC).astimezone()
    except (ValueError, OverflowError, OSError):
        named = os.environ.get("TZ", "")
        where = f"TZ={named}" if named else "this computer's time zone"
        return UTC, (f"{where} is a day or more away from UTC, which no time zone is; dates "
                     "are shown in UTC. Set TZ to a zone such as Europe/London, or pass --tz")
    return None, ""
