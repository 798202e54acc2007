"""The bell and the voice on Windows, behind the interfaces of backcoach.session.cues.

The bell is the BEL character written to the console (CONOUT$), as /dev/tty takes it on
POSIX: one byte, never a wait. The voice is Windows' own, System.Speech, through Windows
PowerShell (in every Windows 10 and 11). cues.CuePlayer runs it like any speech program:
never waited for, cut off when the next phrase starts (TerminateProcess, as Windows has no
process groups; the voice lives inside that one process, so nothing goes on talking).

The phrase reaches PowerShell as an argument to a script file (-File), which PowerShell
passes to the script as a string and never runs: an exercise called `$(Remove-Item ~)`
is read out, not obeyed. `-Command` would run its arguments as code.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

SPEAK_SCRIPT = Path(__file__).resolve().parent / "speak.ps1"
POWERSHELL = "powershell"  # Windows PowerShell 5.1; pwsh 7 on .NET lacks System.Speech
# No profile (slow, and may print), no prompts, and this one script may run whatever the
# execution policy of the machine says about scripts in general (Group Policy still wins).
POWERSHELL_ARGS = ("-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                   "-File")


def powershell_speech(which: Callable[[str], str | None] | None = None
                      ) -> tuple[str, ...] | None:
    """The command line prefix that speaks one phrase (appended to it) with the system
    voice, or None without Windows PowerShell or the script. `which` finds a program on
    PATH (default: shutil.which, looked up when called)."""
    program = (which or shutil.which)(POWERSHELL)
    if program is None or not SPEAK_SCRIPT.is_file():
        return None
    return (program, *POWERSHELL_ARGS, str(SPEAK_SCRIPT))


def open_console_bell(opener: Callable[[str], BinaryIO] | None = None) -> BinaryIO | None:
    """The console's output, opened for the bell; None without a console (pythonw, a
    service, output redirected with no console attached)."""
    def console_output(name: str) -> BinaryIO:
        return open(name, "wb", buffering=0)  # closed in CuePlayer.close

    try:
        return (opener or console_output)("CONOUT$")
    except OSError:
        return None
