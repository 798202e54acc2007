"""One guided session from start to finish: checks, plan, timer, views, cues, history, summary.

This is the `run` command's core; the CLI only parses options and calls `run_session`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from backcoach.errors import BadInput, ExitCode, InvalidFiles
from backcoach.session import events as ev
from backcoach.session.runner import Ended, Runner

if TYPE_CHECKING:
    from backcoach.history.store import HistoryStore
    from backcoach.library.catalog import Catalog
    from backcoach.library.config import Settings
    from backcoach.library.model import Exercise, Routine
    from backcoach.session.keys import KeySource
    from backcoach.session.plan import Plan
    from backcoach.session.result import SessionResult

OUTPUTS = ("auto", "rich", "plain", "jsonl")
MAX_SPEED = 1000.0
# Exit codes for the signals that end a session early (128 + signal number, as shells do).
SIGNAL_EXIT = {"interrupted": ExitCode.INTERRUPTED, "terminated": 143, "hangup": 129}


@dataclass(frozen=True)
class SessionOptions:
    """What the person asked for on the command line, over their settings (config.yaml)."""

    routine: str | None = None
    only: tuple[str, ...] = ()
    speed: float = 1.0
    output: str = "auto"
    events_path: str | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    sound: bool = True
    voice: bool = False
    countdown: str = "big"  # the live view's digits: big or plain
    settings: Settings | None = None  # the default routine and re-screen days come from here

    @property
    def routine_id(self) -> str:
        """The routine named, else the one the settings name, else daily."""
        return self.routine or (self.settings.routine if self.settings else "daily")


def check_options(options: SessionOptions) -> None:
    """Refuse option values that make no sense, with how to fix them."""
    if not 0 < options.speed <= MAX_SPEED:
        raise BadInput(f"--speed must be above 0 and at most {MAX_SPEED:g}, got {options.speed:g}")
    if options.output not in OUTPUTS:
        raise BadInput(f"--output must be one of {', '.join(OUTPUTS)}, got '{options.output}'")
    for flag, value in (("--pain-before", options.pain_before),
                        ("--pain-after", options.pain_after)):
        if value is not None and not 0 <= value <= 10:
            raise BadInput(f"{flag} must be from 0 (no pain) to 10 (worst imaginable), got {value}")


class HistorySink:
    """Writes the session to history as it goes, so a crash or a kill keeps what was done.

    A storage failure (a full disk, say) never stops the session: it is remembered and
    reported at the end.
    """

    def __init__(self, store: HistoryStore, runner: Runner) -> None:
        self.store = store
        self.runner = runner
        self.session_id: int | None = None
        self.failure: str | None = None

    def handle(self, event: ev.Event) -> None:
        """Insert the session at its start; rewrite it after every step."""
        if self.failure is not None:
            return
        try:
            if event.event == ev.SESSION_START:
                self.session_id = self.store.begin(self.runner.result)
            elif event.event in (ev.STEP_END, ev.SESSION_END) and self.session_id is not None:
                self.store.save(self.session_id, self.runner.result)
        except Exception as exc:  # never let history stop the timer
            self.failure = str(exc) or type(exc).__name__

    def save_final(self, result: SessionResult) -> None:
        """Store the result once more (pain after the session is known only now). After an
        earlier failure this is one more try to store all of it: a file that was busy or a
        disk that was full may be fine again by now, and each save writes the whole session."""
        try:
            if self.session_id is None:
                self.session_id = self.store.begin(result)
            self.store.save(self.session_id, result)
            self.failure = None
        except Exception as exc:  # report it; never lose the summary
            self.failure = str(exc) or type(exc).__name__

    def close(self) -> None:
        """Nothing to release; the store is closed by its owner."""


@dataclass
class _Ending:
    """How a session is ending early, shared by the signal handlers and the view guards, so
    that only the first cause interrupts the runner and the rest let it save in peace."""

    reason: str | None = None
    output_gone: bool = False  # the terminal closed or the pipe's reader quit


# Write errors that mean the output has gone for good: a closed terminal, a closed pipe.
_GONE = (errno.EIO, errno.EPIPE, errno.ENXIO)


class _Guarded:
    """A view that cannot stop the session with a traceback.

    When its output has gone, the session ends as on a hangup (what was done is saved, the
    exit code says why); any other failure (a full disk under --events FILE) drops the view.
    """

    def __init__(self, sink: ev.Sink, ending: _Ending, terminal: bool, label: str) -> None:
        self.sink = sink
        self.label = label  # what it writes, for the warning when it fails
        self.ending = ending
        self.terminal = terminal  # writes to stdout or the terminal
        self.dropped = False
        self.failure = ""  # why it was dropped, said after the session

    def handle(self, event: ev.Event) -> None:
        """Pass the event on; turn a failed write into the end of the session or a dropped view."""
        if self.dropped or (self.terminal and self.ending.output_gone):
            return
        try:
            self.sink.handle(event)
        except OSError as exc:
            self.dropped = True
            self.failure = exc.strerror or str(exc)
            if self.terminal and exc.errno in _GONE:
                self.ending.output_gone = True
                if self.ending.reason is None:
                    self.ending.reason = "hangup"
                    raise Ended("hangup") from None

    def close(self) -> None:
        """Close the view (a live view gives the terminal back); its output may be gone."""
        try:
            self.sink.close()
        except OSError:
            if self.terminal:
                self.ending.output_gone = True


def _detach_output() -> None:
    """Send what is left of stdout and stderr nowhere: the terminal is gone, and a failing
    write or the flush at exit would otherwise turn the exit code into 1 or 120."""
    null = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        os.dup2(null, fd)
    os.close(null)


@contextlib.contextmanager
def _signals_end_session(ending: _Ending | None = None) -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP end the session: the partial session is saved. Only the first
    one interrupts; a second Ctrl-C while the session is being saved is ignored."""
    ending = ending if ending is not None else _Ending()

    def handler(signum: int, frame: FrameType | None) -> None:
        if ending.reason is not None:
            return  # already ending: let it save
        if signum == signal.SIGINT:
            ending.reason = "interrupted"
            raise KeyboardInterrupt
        ending.reason = "terminated" if signum == signal.SIGTERM else "hangup"
        raise Ended(ending.reason)

    wanted = [signal.SIGINT, signal.SIGTERM] + (
        [signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, handler) for signum in wanted}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _choose_output(requested: str) -> str:
    if requested != "auto":
        return requested
    dumb = os.environ.get("TERM", "") in ("dumb", "unknown")
    return "rich" if sys.stdout.isatty() and not dumb else "plain"


def _open_events(path: str) -> tuple[TextIO, bool]:
    if path == "-":
        return sys.stdout, False
    try:
        return open(path, "w", encoding="utf-8"), True  # closed by the sink
    except OSError as exc:
        raise BadInput(f"cannot write events to {path}: {exc.strerror}") from None


def _easier_lookup(catalog: Catalog) -> Callable[[Exercise], Exercise | None]:
    def easier(exercise: Exercise) -> Exercise | None:
        return catalog.exercises.get(exercise.easier) if exercise.easier else None

    return easier


def build_plan(catalog: Catalog, routine: Routine, chosen: tuple[str, ...],
               hidden: dict[str, str]) -> Plan:
    """The routine's plan (or just the `chosen` exercises), without the exercises the screen
    says to leave out. The routine and the chosen ids have been checked already."""
    from dataclasses import replace

    from backcoach.session.plan import compile_plan

    kept = tuple(item for item in routine.items if item.exercise_id not in hidden)
    only = tuple(ident for ident in chosen if ident not in hidden)
    if chosen and not only:
        raise BadInput("every exercise you chose is left out today after your answers to the "
                       "safety questions; `backcoach show ID` says why")
    if not kept and not only:
        raise BadInput(f"every exercise of '{routine.id}' is left out today after your answers "
                       "to the safety questions; ask a clinician which exercises suit you")
    return compile_plan(replace(routine, items=kept), catalog, only)


def run_session(options: SessionOptions) -> int:
    """Run a guided session end to end; return the exit code of the command-line contract."""
    from rich.console import Console

    from backcoach.history.store import HistoryStore, StorageError
    from backcoach.library.catalog import load_catalog
    from backcoach.render.jsonl import JsonlSink
    from backcoach.render.plain import PlainRenderer
    from backcoach.safety import flow as safety_flow
    from backcoach.session.clock import MonotonicClock, utc_now
    from backcoach.session.cues import CuePlayer, find_speech_program, open_bell_device
    from backcoach.session.keys import NoKeys, TerminalKeys

    check_options(options)
    output = _choose_output(options.output)
    # Keep stdout clean for machines when it carries JSON lines.
    talk_to_stderr = output == "jsonl" or options.events_path == "-"
    talk = Console(stderr=talk_to_stderr, highlight=False, emoji=False)
    interactive = sys.stdin.isatty()
    catalog = load_catalog(strict=True)
    if options.routine is None and options.settings is not None:
        # A default routine that does not exist is a mistake in config.yaml: say where.
        from backcoach.library.config import routine_problems

        problems = routine_problems(options.settings, catalog.routines, catalog.exercises)
        if problems:
            raise InvalidFiles(problems)
    routine = catalog.routine(options.routine_id)  # bad names fail before any question
    for ident in options.only:
        catalog.exercise(ident)

    store: HistoryStore | None = None
    history_problem = ""
    try:
        store = HistoryStore.open()
    except StorageError as exc:
        history_problem = str(exc)
        talk.print(f"Warning: {history_problem}\nThis session will run, but it will not be "
                   "saved to your history.", markup=False)
    safety_store = store if store is not None else safety_flow.MemorySafetyStore()
    prompter = safety_flow.ConsolePrompter(talk, interactive=interactive)
    rescreen = {"rescreen_days": options.settings.rescreen_days} if options.settings else {}
    pre = safety_flow.before_session(prompter, safety_store, utc_now(), options.pain_before,
                                     exercises=catalog.exercises.values(), **rescreen)
    planned = set(options.only) or {item.exercise_id for item in routine.items}
    for ident, reason in pre.hidden.items():
        if ident in planned:
            talk.print(f"Leaving out {catalog.exercises[ident].name} today: {reason}.",
                       markup=False)
    plan = build_plan(catalog, routine, options.only, pre.hidden)

    speech = None
    if options.voice and options.sound:
        speech = find_speech_program()
        if speech is None:
            talk.print("No speech program found (espeak-ng, spd-say or say); using the bell "
                       "only. Install espeak-ng for spoken cues.", markup=False)
    cues = CuePlayer(open_bell_device() if options.sound else None, speech)

    keys_context: contextlib.AbstractContextManager[Any]
    keys: KeySource
    if interactive:
        terminal_keys = TerminalKeys()
        keys, keys_context = terminal_keys, terminal_keys
    else:
        keys, keys_context = NoKeys(), contextlib.nullcontext()

    runner = Runner(plan, MonotonicClock(), keys, speed=options.speed, wall=utc_now,
                    assess=safety_flow.hurt_assessor(), easier=_easier_lookup(catalog))
    runner.result.pain_before = pre.pain_before
    runner.result.screen_tier = pre.tier.name
    history = HistorySink(store, runner) if store is not None else None
    # History first: whatever a view reports as done is already on disk.
    sinks: list[ev.Sink] = [history] if history is not None else []
    if output == "rich":
        from backcoach.render.live import LiveView

        sinks.append(LiveView(Console(highlight=False, emoji=False), runner,
                              big_digits=options.countdown != "plain"))
    elif output == "plain":
        sinks.append(PlainRenderer(sys.stdout))
    else:
        sinks.append(JsonlSink(sys.stdout))
    if options.events_path is not None:
        stream, owned = _open_events(options.events_path)
        sinks.append(JsonlSink(stream, owns_stream=owned))
    # A view whose terminal or pipe has gone ends the session as a hangup, never a traceback.
    ending = _Ending()
    views = sinks[1:] if history is not None else sinks  # the view, then --events
    sinks = [*sinks[:len(sinks) - len(views)],
             *(_Guarded(view, ending, terminal=place == 0 or options.events_path == "-",
                        label="the session view" if place == 0 else
                        f"the events file {options.events_path}")
               for place, view in enumerate(views))]
    sinks.append(cues)
    runner.sinks = sinks

    try:
        with _signals_end_session(ending), keys_context:
            result = runner.run()
    finally:
        for sink in sinks:
            sink.close()
    if ending.output_gone:
        _detach_output()

    code = int(SIGNAL_EXIT.get(result.end_reason, ExitCode.OK))
    if code == ExitCode.OK:
        result.pain_after = options.pain_after
        if result.pain_after is None and interactive and result.exercises_done > 0:
            result.pain_after = prompter.ask_number(
                "How is your pain now, from 0 (none) to 10 (worst imaginable)?", 0, 10)
    else:
        result.pain_after = options.pain_after
    if history is not None:
        history.save_final(result)
        if history.failure:
            history_problem = history.failure
    from backcoach.render.summary import print_summary

    try:
        for sink in sinks:
            if isinstance(sink, _Guarded) and sink.failure and not ending.output_gone:
                talk.print(f"Warning: writing {sink.label} failed during the session: "
                           f"{sink.failure}", markup=False)
        # Steps saved before a failure are kept: say so rather than "not saved".
        partly = history is not None and history.session_id is not None
        print_summary(talk, result, store, history_problem, routine.schedule, partly)
    except OSError:  # the terminal closed just now: no one is there to read it
        _detach_output()
    if store is not None:
        store.close()
    return code
