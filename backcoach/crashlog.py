"""The last line of defence: an unexpected exception becomes one line for the person and a
log file with the details for a bug report (as pre-commit does), never a traceback on screen.

Only for real bugs: errors a person can cause are BackcoachErrors with their own message and
exit code, and are fixed where they arise; this catches what nobody foresaw.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

from backcoach import __version__, paths

LOG_NAME = "error.log"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) \
    | getattr(os, "O_CLOEXEC", 0)


def report_text(exc: BaseException, argv: list[str]) -> str:
    """What the log holds: versions, the command line, the time and the traceback."""
    lines = [f"backcoach {__version__} hit an internal error.",
             "Please report it with this file (check it holds nothing private first).", "",
             f"when: {datetime.now(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
             f"command: {' '.join(['backcoach', *argv[1:]])}",
             f"python: {sys.version.split()[0]} ({platform.python_implementation()})",
             f"platform: {platform.platform()}", ""]
    lines += traceback.format_exception(type(exc), exc, exc.__traceback__)
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_log(exc: BaseException, argv: list[str]) -> Path | None:
    """Write the report to error.log in the data folder, else to a new file in the temporary
    folder; its path, or None when neither could be written."""
    text = report_text(exc, argv)
    try:
        folder = paths.data_dir()
        os.makedirs(folder, exist_ok=True)
        path = folder / LOG_NAME
        fd = os.open(path, _FLAGS, 0o600)  # a link in its place is not followed
    except Exception:  # the data folder may be the very thing that is broken
        try:
            import tempfile  # here: it imports random, which every start would pay

            fd, name = tempfile.mkstemp(prefix="backcoach-error-", suffix=".log")
        except OSError:
            return None
        path = Path(name)
    try:
        with open(fd, "w", encoding="utf-8", errors="replace") as handle:
            handle.write(text)
    except OSError:
        return None
    return path


def internal_error(exc: BaseException, argv: list[str]) -> str:
    """Log the exception and return the one line to print."""
    path = write_log(exc, argv)
    if path is None:
        return (f"backcoach hit an internal error ({type(exc).__name__}); its details could "
                "not be saved; please report it")
    return f"backcoach hit an internal error; details in {path}; please report it"
