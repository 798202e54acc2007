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
from backcoach.session.phrases import (
    PAIN_KINDS_SPOKEN,
    PAIN_LEVEL_SPOKEN,
    cue_for,
    moving,
    spoken,
)
from backcoach.session.plan import HOLD, SWITCH, Step

# Speech programs, best first, with the arguments that make them speak one phrase.
SPEECH_PROGRAMS = (("espeak-ng", ("-s", "150")), ("espeak", ("-s", "150")),
                   ("spd-say", ("--wait",)), ("say", ()))
LAST_SECONDS = 3
# At the end, the last phrase (the summary) may finish; a hung program may not hold the exit
# up for longer: it gets about as long as the phrase takes to say, from 3 to 10 seconds.
LAST_PHRASE_SECONDS = 3.0
LONGEST_LAST_PHRASE = 10.0
# espeak-ng at 150 words a minute with its pauses: measured 0.35 to 0.5 s a word (the summary,
# 16 words with numbers, took 8.0 s).
SECONDS_A_WORD = 0.5
MID_HOLD_CUE_FROM = 10  # a hold at least this long (planned seconds) gets one spoken cue


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
    """A session sink that rings and speaks at the moments that matter.

    With a voice, each step is said as it starts (`phrases.spoken`), the last three seconds
    of a hold are counted "3, 2, 1" (the bell counts them without one), one of the exercise's
    cues is said halfway through a hold (`full` only), and so are the answers to "this hurts"
    and what a stop leaves out. The summary is said by whoever prints it (`say`).
    """

    def __init__(self, bell: BinaryIO | None, speech: tuple[str, ...] | None,
                 detail: str = "full") -> None:
        self.bell_device = bell
        self.speech = speech
        self.detail = detail  # brief or full (phrases.VOICES)
        self._speaking: subprocess.Popen[bytes] | None = None
        self._cut_off: list[subprocess.Popen[bytes]] = []  # killed, waiting to be reaped
        self._last_count: int | None = None
        self._length = 0.0  # the current hold's length now (after + or -)
        self._cue_said = False
        self._last_words = 0  # words of the phrase last started, for the grace at the end
        self.rings = 0  # counted for tests
        self.spoken: list[str] = []

    def handle(self, event: ev.Event) -> None:
        """Ring and speak at the changes: step starts, a hold's last seconds and its end."""
        if isinstance(event, ev.StepStarted):
            self._last_count, self._cue_said = None, False
            self._length = event.step.seconds
            if event.step.kind in (HOLD, SWITCH):
                self.ring()
            self.say(spoken(event.step, self.detail))
        elif isinstance(event, ev.Tick) and event.step.kind == HOLD and not moving(event.step):
            # A moving rep lasts a few seconds: its number at the start is all there is time
            # for; a "3, 2, 1" inside it would be heard as rep numbers.
            self._during_hold(event.step, event.remaining or 0.0)
        elif isinstance(event, ev.Adjusted):
            self._length = event.length
        elif isinstance(event, ev.StepEnded) and event.step.kind == HOLD \
                and event.status == ev.DONE:
            self.ring()
        elif isinstance(event, ev.Paused):
            self.say("Paused")
        elif isinstance(event, ev.PainAsked):
            self._pain_question(event)
        elif isinstance(event, ev.PainAnswered):
            self.say(event.message)  # the advice, in brief too: it says what to do
        elif isinstance(event, ev.LeftOut):
            self.say(f"Left out for your safety: {', '.join(event.names)}")

    def _during_hold(self, step: Step, remaining: float) -> None:
        count = round(remaining)
        if 0 < count <= LAST_SECONDS:
            if count != self._last_count:
                self._last_count = count
                if self.speech is not None:
                    self.say(str(count))
                else:
                    self.ring()
            return
        held = self._length - remaining
        if (self.detail == "full" and not self._cue_said and step.exercise.cues
                and self._length >= MID_HOLD_CUE_FROM and held >= self._length / 2):
            self._cue_said = True
            self.say(cue_for(step, held))

    def _pain_question(self, event: ev.PainAsked) -> None:
        if event.phase == "follow-up":
            self.say(event.question)  # a safety question: said in brief too
        elif self.detail == "full":
            self.say(PAIN_KINDS_SPOKEN if event.phase == "ask" else PAIN_LEVEL_SPOKEN)

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
        self._last_words = len(phrase.split())
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
        """Give the last phrase time to finish (3 to 10 seconds, by its length), then stop it;
        close the terminal."""
        if self._speaking is not None:
            grace = min(LONGEST_LAST_PHRASE,
                        max(LAST_PHRASE_SECONDS, self._last_words * SECONDS_A_WORD))
            try:
                self._speaking.wait(grace)
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
