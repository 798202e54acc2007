"""The `backcoach` program: `python -m backcoach`, and the console script.

`backcoach due` (what shell prompts and tmux status bars run) is answered here from its state
file when that is up to date, without loading the command line's framework; everything else,
and `due` whenever the state file is missing or old, goes to the full command line.

When the command is over, the process ends without tearing the interpreter down (`leave`).
"""

import atexit
import os
import sys


def main() -> None:
    """Console entry point."""
    from backcoach.collector import quiet_start

    quiet_start()  # no cycle search while the command starts (backcoach.collector says why)
    leave(_run())


def _run() -> str | int | None:
    """Run the command; its exit code, as `sys.exit` was given it (None: success)."""
    try:
        if sys.argv[1:2] == ["due"]:
            from backcoach.reminders.due import fast_due

            code = fast_due(sys.argv[1:])
            if code is not None:
                return code
        from backcoach.cli import main as full

        full()
    except SystemExit as done:
        return done.code
    return None


def leave(code: str | int | None) -> None:
    """End the process with `code`, as `sys.exit(code)` would, but skip the interpreter's
    teardown when nothing is left for it to do.

    Tearing down frees every object and module one by one: after a command that read ten years
    of history or the whole library, that took 15 to 45 ms, as long as some commands take to
    run (mypy ends the same way, for the same reason). Everything backcoach writes is written
    and closed by then: files and the history in `with` blocks, a pager waited for. So the
    output is flushed and the process ends at once, unless something else still has work: a
    thread other than this one, an `atexit` handler (coverage, multiprocessing, logging
    register them), or an exit code that is not a number from 0 to 255 (Python prints text);
    then Python exits the usual way.
    """
    status = 0 if code is None else code
    if not isinstance(status, int) or not 0 <= status <= 255:
        sys.exit(code)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe: the usual exit reports it as it always did
        sys.exit(code)
    if _others_still_running():
        sys.exit(code)
    os._exit(status)


def _others_still_running() -> bool:
    """Whether a thread or an `atexit` handler still needs the interpreter's usual exit."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return True
    count = getattr(atexit, "_ncallbacks", None)  # CPython's; without it, assume handlers
    return count is None or count() > 0


if __name__ == "__main__":
    main()
