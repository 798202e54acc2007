"""Sound cues for someone who cannot see the screen: a bell, and optionally a spoken phrase.

Nothing here may delay the timer: the bell is one byte written to the terminal, and speech
runs in its own process that is never waited for during a session (a still-speaking one is
cut off when the next phrase starts, so cues never pile up). A speech program that hangs is
killed with everything it started; the last phrase gets a few seconds at the end, no more.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from typing import BinaryIO

from backcoach.safetext import stripped
from backcoach.session import events as ev
from backcoach.session.phrases import spoken
from backcoach.session.plan import HOLD, SWITCH

# Speech programs, best first, with the arguments that make them speak one phrase.
SPEECH_PROGRAMS = (("espeak-ng", ("-s", "150")), ("espeak", ("-s", "150")),
                   ("spd-say", ("--wait",)), ("say", ()))
LAST_SECONDS = 3
LAST_PHRASE_SECONDS = 3.0  # at the end, the last phrase may finish; a hung program may not


def find_speech_program() -> tuple[str, ...] | None:
    """The command line prefix of the first installed speech program, or None."""
    override = os.environ.get("BACKCOACH_SPEECH")
    if override:
        return tuple(override.split())
    for name, args in SPEECH_PROGRAMS:
        path = shutil.which(name)
        if path:
            return (path, *args)
    if sys.platform == "win32":  # the system voice, through PowerShell
        from backcoach.session.wincues import powershell_speech

        return powershell_speech()
    return None


def open_bell_device() -> BinaryIO | None:
    """The controlling terminal (the console on Windows), opened for the bell; None when
    there is no terminal."""
    if sys.platform == "win32":
        from backcoach.session.wincues import open_console_bell

        return open_console_bell()
    try:
        return open("/dev/tty", "wb", buffering=0)  # closed in CuePlayer.close
    except OSError:
        return None


class CuePlayer:
    """A session sink that rings and speaks at the moments that matter."""

    def __init__(self, bell: BinaryIO | None, speech: tuple[str, ...] | None) -> None:
        self.bell_device = bell
        self.speech = speech
        self._speaking: subprocess.Popen[bytes] | None = None
        self._cut_off: list[subprocess.Popen[bytes]] = []  # killed, waiting to be reaped
        self._last_count: int | None = None
        self.rings = 0  # counted for tests
        self.spoken: list[str] = []

    def handle(self, event: ev.Event) -> None:
        """Ring at hold start and end, at a side switch and in a hold's last seconds."""
        if isinstance(event, ev.StepStarted):
            self._last_count = None
            if event.step.kind in (HOLD, SWITCH):
                self.ring()
            self.say(spoken(event.step))
        elif isinstance(event, ev.Tick) and event.step.kind == HOLD:
            count = round(event.remaining or 0)
            if 0 < count <= LAST_SECONDS and count != self._last_count:
                self._last_count = count
                self.ring()
        elif isinstance(event, ev.StepEnded) and event.step.kind == HOLD \
                and event.status == ev.DONE:
            self.ring()
        elif isinstance(event, ev.Paused):
            self.say("Paused")
        elif isinstance(event, ev.SessionEnded):
            self.say("Well done. Session complete" if event.status == "done" else "Stopped")

    def ring(self) -> None:
        """One terminal bell."""
        self.rings += 1
        if self.bell_device is None:
            return
        try:
            self.bell_device.write(b"\a")
        except OSError:
            self.bell_device = None

    def say(self, phrase: str) -> None:
        """Speak a phrase in the background, cutting off one still being spoken."""
        # No control characters (a NUL cannot even be an argument), and never a leading '-':
        # an exercise called "-w/home/me/.bashrc" would be an option (espeak-ng -w writes a
        # sound file there), not words to say.
        phrase = stripped(phrase).lstrip("- ")
        if not phrase or self.speech is None:
            return
        self.spoken.append(phrase)
        self._stop_speaking()
        try:
            self._speaking = subprocess.Popen(
                [*self.speech, phrase], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            self.speech = None  # the program vanished or cannot run: carry on silently

    def _stop_speaking(self) -> None:
        # Reap earlier phrases without ever blocking: a hung speech program must not stall cues.
        self._cut_off = [proc for proc in self._cut_off if proc.poll() is None]
        if self._speaking is not None and self._speaking.poll() is None:
            _kill_group(self._speaking)
            self._cut_off.append(self._speaking)
        self._speaking = None

    def close(self) -> None:
        """Give the last phrase a few seconds to finish, then stop it; close the terminal."""
        if self._speaking is not None:
            try:
                self._speaking.wait(LAST_PHRASE_SECONDS)
            except subprocess.TimeoutExpired:
                _kill_group(self._speaking)
                self._speaking.wait()
            self._speaking = None
        for proc in self._cut_off:
            proc.wait()  # killed already: reaped at once
        self._cut_off = []
        if self.bell_device is not None:
            self.bell_device.close()
            self.bell_device = None


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill a speech process and whatever it started (it leads its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # the group is gone already, or no process groups
        proc.kill()
