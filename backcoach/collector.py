"""When Python's cyclic garbage collector runs: seldom while a command starts, as usual in the
long-running loops (a session's timer, desk breaks).

Starting a command builds some 26,000 objects that live until the process ends (modules,
classes, functions of typer, rich and backcoach) and next to no cyclic garbage. At CPython's
default threshold (a pass every 700 new objects) the collector still runs about fifty times on
the way to a session's first frame, and every pass finds nothing: 10 to 30 ms of each command,
measured with `gc.callbacks` and by `python -m tests.perf`. Reference counting, which frees
almost everything, is not affected; only the search for cycles waits.

`quiet_start` raises the first threshold above what a command keeps alive, so a pass runs only
when that much more has been made (a few ms each; memory stays bounded). mypy raises it too,
to 200,000, for its whole run. `settle`, called where a loop that may last hours begins, moves
everything made so far out of the collector's view (`gc.freeze`) and restores the usual
thresholds for what comes after. Cyclic garbage made before then, if any, is frozen with the
rest and kept: start-up makes next to none, and it is bounded by the threshold.
"""

import gc

# Above the objects a command keeps alive (about 26,000 before a session's first frame, more
# for ten years of history); a pass over that many takes a few ms.
START_THRESHOLD = 100_000

_usual: tuple[int, int, int] | None = None  # the thresholds before quiet_start


def quiet_start() -> None:
    """Let the collector run only after START_THRESHOLD new objects (the process's start)."""
    global _usual
    if _usual is None:
        _usual = gc.get_threshold()
    gc.set_threshold(START_THRESHOLD, *_usual[1:])


def settle() -> None:
    """Freeze what start-up made and collect as usual from now on (before a long loop)."""
    global _usual
    if _usual is None:  # not started by quiet_start (tests, an embedding program)
        return
    gc.freeze()
    gc.set_threshold(*_usual)
    _usual = None
