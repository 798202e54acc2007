"""One guided session from start to finish: checks, plan, timer, views, cues, history, summary.

This is the `run` command's core; the CLI only parses options and calls `run_session`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from types import FrameType
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TextIO

from backcoach.errors import BadInput, ExitCode, InvalidFiles, Problem
from backcoach.session import events as ev
from backcoach.session.runner import Ended

if TYPE_CHECKING:
    from rich.console import Console

    from backcoach.history.progress import Progress
    from backcoach.history.store import HistoryStore
    from backcoach.history.writer import HistoryWriter
    from backcoach.library.catalog import Catalog
    from backcoach.library.model import Exercise, Routine
    from backcoach.library.settings import Settings
    from backcoach.outfiles import Target
    from backcoach.render.summary import HistoryNotes
    from backcoach.safety import rules
    from backcoach.safety.flow import PreSession, Prompter, Reminder, SafetyStore
    from backcoach.session.clock import Clock
    from backcoach.session.cues import CuePlayer
    from backcoach.session.keys import KeySource
    from backcoach.session.plan import Plan
    from backcoach.session.recorder import Recorder
    from backcoach.session.result import PainOnset, SessionResult

OUTPUTS = ("auto", "rich", "plain", "jsonl")
MIN_SPEED = 0.1  # ten times slower; slower still, a 5-minute hold would last over 8 hours
MAX_SPEED = 1000.0
# Exit codes for the signals that end a session early (128 + signal number, as shells do).
SIGNAL_EXIT = {"interrupted": ExitCode.INTERRUPTED, "terminated": ExitCode.TERMINATED,
               "hangup": ExitCode.HANGUP}


class SessionOptions(NamedTuple):
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
    voice_detail: str = "full"  # what the voice says: brief or full (phrases.VOICES)
    countdown: str = "big"  # the live view's digits: big or plain
    settings: Settings | None = None  # the default routine and re-screen days come from here
    force: bool = False  # an existing --events file may be replaced

    @property
    def routine_id(self) -> str:
        """The routine named, else the one the settings name, else daily."""
        return self.routine or (self.settings.routine if self.settings else "daily")


def check_options(options: SessionOptions) -> None:
    """Refuse option values that make no sense, with how to fix them."""
    if not MIN_SPEED <= options.speed <= MAX_SPEED:
        raise BadInput(f"--speed must be from {MIN_SPEED:g} to {MAX_SPEED:g} (times real "
                       f"time), got {options.speed:g}")
    if options.output not in OUTPUTS:
        raise BadInput(f"--output must be one of {', '.join(OUTPUTS)}, got '{options.output}'")
    for flag, value in (("--pain-before", options.pain_before),
                        ("--pain-after", options.pain_after)):
        if value is not None and not 0 <= value <= 10:
            raise BadInput(f"{flag} must be from 0 (no pain) to 10 (worst imaginable), got {value}")


# The records of a run below are plain classes, not dataclasses: each is made once per run,
# never compared or printed, and a dataclass compiles its methods as the module loads (0.2 to
# 0.8 ms each, before every session's first frame).

class _Ending:
    """How a session is ending early, shared by the signal handlers and the view guards, so
    that only the first cause interrupts the runner and the rest let it save in peace."""

    __slots__ = ("output_gone", "reason")

    def __init__(self) -> None:
        self.reason: str | None = None
        self.output_gone = False  # the terminal closed or the pipe's reader quit


# Write errors that mean the output has gone for good: a closed terminal, a closed pipe,
# standard output closed before the start (`backcoach run >&-`).
_GONE = (errno.EIO, errno.EPIPE, errno.ENXIO, errno.EBADF)


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
        """Close the view (a live view gives the terminal back); its output may be gone, or
        a file it writes may fail to take its place (said after the session)."""
        try:
            self.sink.close()
        except OSError as exc:
            if self.terminal:
                self.ending.output_gone = True
            elif not self.failure:
                self.failure = exc.strerror or str(exc)


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


def _easier_lookup(catalog: Catalog, hidden: Mapping[str, str]
                   ) -> Callable[[Exercise], Exercise | None]:
    """Key e's easier variant of an exercise, never one left out of today's session: by the
    screen's answers, or by the person after last time's stop (`hidden`). The runner leaves
    out, in addition, what this session's own stops rule out."""
    def easier(exercise: Exercise) -> Exercise | None:
        if not exercise.easier or exercise.easier in hidden:
            return None
        return catalog.exercises.get(exercise.easier)

    return easier


def build_plan(catalog: Catalog, routine: Routine, chosen: tuple[str, ...],
               hidden: dict[str, str]) -> Plan:
    """The routine's plan (or just the `chosen` exercises), without the exercises the screen
    says to leave out. The routine and the chosen ids have been checked already."""

    from backcoach.session.plan import compile_plan

    kept = tuple(item for item in routine.items if item.exercise_id not in hidden)
    only = tuple(ident for ident in chosen if ident not in hidden)
    if chosen and not only:
        raise BadInput("every exercise you chose is left out today after your answers to the "
                       "safety questions; `backcoach show ID` says why")
    if not kept and not only:
        raise BadInput(f"every exercise of '{routine.id}' is left out today after your answers "
                       "to the safety questions; ask a clinician which exercises suit you")
    plan = compile_plan(routine._replace(items=kept), catalog, only)
    if chosen:  # just these exercises: its own entry in history, not a session of the routine
        return plan.on_their_own()
    return plan



# ---------------------------------------------------------------------- what a run touches

class Environment:
    """Everything one run touches outside itself, passed in so a whole run can be tested in
    process: streams, whether a person is there, time, keys, the history file, sound.

    `Environment.real()` is the terminal the program runs in.
    """

    def __init__(self, *, stdin: TextIO, stdout: TextIO, stderr: TextIO, interactive: bool,
                 stdout_is_terminal: bool, term: str, clock: Clock,
                 wall: Callable[[], datetime],
                 keys: Callable[[], contextlib.AbstractContextManager[KeySource]],
                 open_store: Callable[[], HistoryStore],
                 find_speech: Callable[[], tuple[str, ...] | None],
                 open_bell: Callable[[], BinaryIO | None],
                 prompter: Callable[[TextIO], Prompter], handle_signals: bool = True,
                 detach_output: Callable[[], None] = lambda: None,
                 open_reader: Callable[[], HistoryStore] | None = None,
                 open_terminal: Callable[[], TextIO | None] = lambda: None) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        # A person can answer questions and press keys (stdin is a terminal).
        self.interactive = interactive
        self.stdout_is_terminal = stdout_is_terminal
        self.term = term  # $TERM
        self.clock = clock
        self.wall = wall
        self.keys = keys
        self.open_store = open_store
        self.find_speech = find_speech
        self.open_bell = open_bell
        self.prompter = prompter  # questions and answers, on this stream
        # Ctrl-C, SIGTERM and SIGHUP end the session (main thread only).
        self.handle_signals = handle_signals
        self.detach_output = detach_output  # after the terminal has gone
        # The history opened to read only, for its safety answers when it cannot be written.
        self.open_reader = open_reader
        # The terminal, for questions when the messages' stream is not one (`run > file`).
        self.open_terminal = open_terminal

    @classmethod
    def real(cls) -> Environment:
        """The terminal this program runs in, the monotonic clock, the real history file."""
        from backcoach.history.store import HistoryStore
        from backcoach.safety.flow import ConsolePrompter
        from backcoach.session.clock import MonotonicClock, utc_now
        from backcoach.session.cues import find_speech_program, open_bell_device

        interactive = sys.stdin.isatty()
        return cls(stdin=sys.stdin, stdout=sys.stdout, stderr=sys.stderr,
                   interactive=interactive, stdout_is_terminal=sys.stdout.isatty(),
                   term=os.environ.get("TERM", ""), clock=MonotonicClock(), wall=utc_now,
                   keys=_terminal_keys if interactive else _no_keys,
                   open_store=HistoryStore.open, find_speech=find_speech_program,
                   open_bell=open_bell_device,
                   prompter=lambda out: ConsolePrompter(out, interactive=interactive),
                   detach_output=_detach_output, open_reader=HistoryStore.open_for_reading,
                   open_terminal=_open_terminal)

    def console(self, stream: TextIO) -> Console:
        """A rich console on one of the streams (NO_COLOR and COLUMNS are respected)."""
        from backcoach.render.console import console

        return console(file=stream)


def _open_terminal() -> TextIO | None:
    """The controlling terminal, for writing questions; None when there is none."""
    try:
        # Kept open for the questions of this run; closed when the process ends.
        return open("/dev/tty", "w", encoding="utf-8", errors="replace")
    except OSError:
        return None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _terminal_keys() -> contextlib.AbstractContextManager[KeySource]:
    from backcoach.session.keys import terminal_keys  # the Windows console or a terminal

    return terminal_keys()


@contextlib.contextmanager
def _no_keys() -> Iterator[KeySource]:
    from backcoach.session.keys import NoKeys

    yield NoKeys()


# ---------------------------------------------------------------------- one run, in four steps

class Prepared:
    """A run that is ready to start: the plan, where history goes, the safety answers."""

    def __init__(self, options: SessionOptions, output: str, talk: Console, catalog: Catalog,
                 routine: Routine, plan: Plan, prompter: Prompter, pre: PreSession,
                 store: HistoryStore | None, history_problem: str = "",
                 hidden: dict[str, str] | None = None,
                 safety_store: SafetyStore | None = None, events: Target | None = None,
                 notices: list[str] | None = None) -> None:
        self.options = options
        self.output = output  # rich, plain or jsonl
        self.talk = talk  # messages and questions for the person
        self.catalog = catalog
        self.routine = routine
        self.plan = plan
        self.prompter = prompter
        self.pre = pre
        self.store = store
        self.history_problem = history_problem
        self.hidden = hidden if hidden is not None else {}  # left out today, and why
        # The store, or memory when history is unusable.
        self.safety_store = safety_store
        self.events = events  # where --events goes, checked before anything started
        # What the run has to say before the session (left out today, a reminder, a
        # warning): on the live view's first screen, where nothing covers it; printed before
        # plain lines.
        self.notices = notices if notices is not None else []


class Sinks:
    """Where a run's events go: the recorder first, then history, the views and the cues (a
    start reaches history after the views: `Recorder` says why)."""

    def __init__(self, recorder: Recorder, history: HistoryWriter | None,
                 views: list[_Guarded], cues: CuePlayer, ending: _Ending) -> None:
        self.recorder = recorder
        self.history = history
        self.views = views
        self.cues = cues
        self.ending = ending

    def close(self) -> None:
        """Close every sink but the cues (a live view gives the terminal back): the cues say
        the summary, and are closed after it (`close_cues`)."""
        if self.history is not None:
            self.history.close()
        for sink in self.recorder.sinks:
            if sink is not self.cues:
                sink.close()

    def close_cues(self) -> None:
        """Let the last phrase finish (a few seconds at most) and close the bell."""
        self.cues.close()


def choose_output(requested: str, env: Environment) -> str:
    """`auto` is the live view on a terminal that can draw it, plain lines otherwise."""
    if requested != "auto":
        return requested
    dumb = env.term in ("dumb", "unknown")
    return "rich" if env.stdout_is_terminal and not dumb else "plain"


def prepare(options: SessionOptions, env: Environment) -> Prepared:
    """Check the options and files, open history, ask the safety questions, make the plan.

    Raises BadInput, InvalidFiles (exit 2) or SafetyStop (exit 3) before anything starts.
    """
    from backcoach.history.store import StorageError
    from backcoach.library.catalog import load_catalog
    from backcoach.safety import flow as safety_flow

    check_options(options)
    output = choose_output(options.output, env)
    events_on_stdout = False
    if options.events_path is not None:
        from backcoach import outfiles  # only a run that writes its events needs it

        # Keep stdout clean for machines when it carries JSON lines.
        events_on_stdout = outfiles.is_stdout(options.events_path)
    talk_stream = env.stderr if output == "jsonl" or events_on_stdout else env.stdout
    talk = env.console(talk_stream)
    prompter = env.prompter(_question_stream(env, talk_stream))
    events = None
    if options.events_path is not None:  # a refused or existing file: before any question
        from backcoach import outfiles

        events = outfiles.check(options.events_path, force=options.force, option="--events",
                                confirm=prompter.ask_yes_no if prompter.interactive else None)
    # A file of the user's with problems stops only the runs that use it (InvalidFiles with
    # its problems, from catalog.routine or .exercise); other runs start with a warning.
    catalog = load_catalog(strict=False)
    if options.routine is None and options.settings is not None \
            and options.settings.routine not in catalog.broken \
            and options.settings.routine not in catalog.routines:  # known: nothing to check
        # A default routine that does not exist is a mistake in config.yaml: say where.
        from backcoach.library.config import routine_problems

        problems = routine_problems(options.settings, catalog.routines, catalog.exercises)
        if problems:
            raise InvalidFiles(problems)
    routine = catalog.routine(options.routine_id)  # bad names fail before any question
    # Exercises named by another name (`--only lunge`) run under their id.
    only = tuple(catalog.exercise(ident).id for ident in options.only)
    # Said on the live view's first screen, where nothing covers them (printed now when the
    # lines that follow are plain, or when no session comes after all).
    notices: list[str] = []

    def notice(text: str) -> None:
        if output == "rich":
            notices.append(text)
        else:
            talk.print(text, markup=False)

    if catalog.problems:
        notice(unused_files_warning(catalog.problems))

    store: HistoryStore | None = None
    history_problem = ""
    try:
        store = env.open_store()
    except StorageError as exc:
        history_problem = str(exc)
        notice(f"Warning: {history_problem}\nThis session will run, but it will not be saved "
               "to your history.")
    safety_store = store if store is not None else _safety_answers_kept(env)
    rescreen = {"rescreen_days": options.settings.rescreen_days} if options.settings else {}
    try:
        pre = safety_flow.before_session(prompter, safety_store, env.wall(),
                                         options.pain_before,
                                         exercises=catalog.exercises.values(), **rescreen)
        choice = safety_flow.check_pain_now(prompter, pre.pain_before,
                                            gentle_already=routine.id == GENTLE and not only)
        if choice.rest:
            prompter.say("No session today, then. `backcoach run` starts one when the pain has "
                         "eased.")
            raise RestToday()
        for text in pre.notices:
            notice(text)
        if choice.gentle:
            routine, only = catalog.routine(GENTLE), ()
            notice(f"Switching to the {routine.name.lower()} today.")
        planned = only or tuple(item.exercise_id for item in routine.items)
        hidden = dict(pre.hidden)
        reminders = _reminders(store, catalog, planned, hidden)
        hidden.update(safety_flow.remind_stops(prompter, reminders))
        for ident in dict.fromkeys(planned):
            if ident in hidden:
                notice(f"Leaving out {catalog.exercises[ident].name} today: {hidden[ident]}.")
        plan = build_plan(catalog, routine, only, hidden)
    except BaseException:
        for text in notices:  # no session to show them: they are said before the error
            talk.print(text, markup=False)
        if store is not None:
            store.close()
        raise
    return Prepared(options, output, talk, catalog, routine, plan, prompter, pre, store,
                    history_problem, hidden, safety_store, events, notices)


def _question_stream(env: Environment, talk: TextIO) -> TextIO:
    """Where questions go: with the messages, unless those go to a file or a pipe while a
    person is at the terminal (`backcoach run > session.log`): then to the terminal."""
    if not env.interactive or _is_terminal(talk) or (
            talk is env.stdout and env.stdout_is_terminal):
        return talk
    terminal = env.open_terminal()
    return terminal if terminal is not None else talk


def _safety_answers_kept(env: Environment) -> SafetyStore:
    """When the history cannot be written (read-only), the statement and the last screen are
    still read from it, for this run; new answers are kept in memory. A file that cannot even
    be read holds none: the questions are asked again."""
    from backcoach.history.store import StorageError
    from backcoach.safety.flow import MemorySafetyStore

    if env.open_reader is None:
        return MemorySafetyStore()
    try:
        with env.open_reader() as store:
            screen = store.last_screen()
            return MemorySafetyStore(store.consent_accepted_at(),
                                     [screen] if screen is not None else [])
    except StorageError:
        return MemorySafetyStore()


def unused_files_warning(problems: list[Problem]) -> str:
    """One warning for the files with problems that this run does not use."""
    files = list(dict.fromkeys(problem.path for problem in problems))
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    if len(files) == 1:
        return (f"Warning: {shown} has problems, so what it holds is not used; this session "
                "does not need it. `backcoach validate` lists the problems.")
    return (f"Warning: {len(files)} of your files have problems, so what they hold is not "
            f"used: {shown}; this session does not need them. `backcoach validate` lists the "
            "problems.")


GENTLE = "gentle"  # the routine for a day of high pain


class RestToday(Exception):
    """The person chose to rest today after the severe-pain advice: no session, exit 0."""


def _reminders(store: HistoryStore | None, catalog: Catalog, planned: tuple[str, ...],
               hidden: Mapping[str, str]) -> list[Reminder]:
    """Today's exercises (not already left out) that were stopped, or left out for safety,
    the last time: the history says which, why and when."""
    from backcoach.history.store import StorageError
    from backcoach.safety.flow import Reminder
    from backcoach.session.result import EX_SKIPPED, EX_STOPPED

    wanted = [ident for ident in dict.fromkeys(planned) if ident not in hidden]
    if store is None or not wanted:
        return []
    try:
        last = store.last_results(wanted)
    except StorageError:
        return []
    return [Reminder(ident, catalog.exercises[ident].name, result.stop_reason or "",
                     result.started_at)
            for ident, result in ((i, last.get(i)) for i in wanted)
            if result is not None and result.stop_reason and result.status in
            (EX_STOPPED, EX_SKIPPED)]


def build_sinks(prepared: Prepared, env: Environment) -> Sinks:
    """The recorder, then history, the view, the events file and the cues, in that order (a
    start reaches history last: `Recorder` says why)."""
    from backcoach.history.writer import HistoryWriter
    from backcoach.session.cues import CuePlayer
    from backcoach.session.recorder import Recorder

    options, talk = prepared.options, prepared.talk
    notices = list(prepared.notices)  # kept for the live view; plain lines said them already
    speech = None
    if options.voice and options.sound:
        speech = env.find_speech()
        if speech is None:
            missing = ("No speech program found (espeak-ng, spd-say or say); using the bell "
                       "only. Install espeak-ng for spoken cues.")
            if prepared.output == "rich":
                notices.append(missing)
            else:
                talk.print(missing, markup=False)
    cues = CuePlayer(env.open_bell() if options.sound else None, speech,
                     detail=options.voice_detail)

    recorder = Recorder(prepared.plan, speed=options.speed, wall=env.wall)
    recorder.result.pain_before = prepared.pre.pain_before
    recorder.result.screen_tier = prepared.pre.tier.name
    history = HistoryWriter(prepared.store, recorder) if prepared.store is not None else None
    view: ev.Sink
    if prepared.output == "rich":
        from backcoach.render.live import LiveView

        view = LiveView(env.console(env.stdout), big_digits=options.countdown != "plain",
                        notices=notices)
    elif prepared.output == "plain":
        from backcoach.render.plain import PlainRenderer

        view = PlainRenderer(env.stdout)
    else:
        from backcoach.render.jsonl import JsonlSink

        view = JsonlSink(env.stdout)
    # A view whose terminal or pipe has gone ends the session as a hangup, never a traceback.
    ending = _Ending()
    views = [_Guarded(view, ending, terminal=True, label="the session view")]
    if prepared.events is not None:
        from backcoach import outfiles
        from backcoach.render.jsonl import JsonlSink

        stream, owned = outfiles.open_stream(prepared.events, env.stdout)
        views.append(_Guarded(JsonlSink(stream, owns_stream=owned), ending,
                              terminal=prepared.events.kind == outfiles.STDOUT,
                              label=f"the events file {options.events_path}"))
    # History first (but for a start): whatever a view reports as done is already on disk.
    recorder.history = history
    recorder.sinks = [*views, cues]
    return Sinks(recorder, history, views, cues, ending)


def run(prepared: Prepared, sinks: Sinks, env: Environment) -> SessionResult:
    """Run the timer with the person's keys until the plan ends or the session is ended."""
    from backcoach.collector import settle
    from backcoach.safety import flow as safety_flow
    from backcoach.session.runner import Runner

    options = prepared.options
    signals = (_signals_end_session(sinks.ending) if env.handle_signals
               else contextlib.nullcontext())
    settle()  # a session may last an hour: the collector as usual from here
    try:
        with signals, env.keys() as keys:
            runner = Runner(prepared.plan, env.clock, keys, sinks.recorder.handle,
                            speed=options.speed, assess=safety_flow.hurt_assessor(),
                            easier=_easier_lookup(prepared.catalog, prepared.hidden))
            result = sinks.recorder.finish(runner.run())
    finally:
        sinks.close()
    if sinks.ending.output_gone:
        env.detach_output()
    return result


def finish(prepared: Prepared, sinks: Sinks, result: SessionResult, env: Environment) -> int:
    """Ask pain now, save the session for the last time, print the summary; the exit code."""
    from backcoach.render.summary import print_summary, spoken_summary
    from backcoach.safety import flow as safety_flow
    from backcoach.session.result import SAFETY_END

    options = prepared.options
    code = int(SIGNAL_EXIT.get(result.end_reason, ExitCode.OK))
    result.pain_after = options.pain_after
    if result.end_reason == SAFETY_END:
        code = int(ExitCode.SAFETY_STOP)
        if prepared.safety_store is not None:  # no session until the questions are answered
            safety_flow.record_emergency(prepared.safety_store, env.wall())
    # Pain after is asked whenever a hold began: a session stopped for pain or dizziness
    # is the one whose score matters most.
    if code == ExitCode.OK and result.pain_after is None and env.interactive \
            and result.holds_started > 0:
        sinks.cues.say(SPOKEN_PAIN_AFTER)
        result.pain_after = prepared.prompter.ask_number(pain_after_question(result), 0, 10)
    problem = prepared.history_problem
    if sinks.history is not None:
        sinks.history.save_final(result)
        if sinks.history.failure:
            problem = sinks.history.failure
    talk = prepared.talk
    try:
        for view in sinks.views:
            if view.failure and not sinks.ending.output_gone:
                talk.print(f"Warning: writing {view.label} failed during the session: "
                           f"{view.failure}", markup=False)
        session_id = sinks.history.session_id if sinks.history is not None else None
        notes = history_notes(prepared, result, problem, partly=session_id is not None,
                              session_id=session_id)
        print_summary(talk, result, notes)
        sinks.cues.say(spoken_summary(result, notes, options.voice_detail))
    except OSError:  # the terminal closed just now: no one is there to read it
        env.detach_output()
    sinks.close_cues()
    if prepared.store is not None:
        prepared.store.close()
        refresh_due_state(prepared)
    return code


def refresh_due_state(prepared: Prepared) -> None:
    """Rewrite the state file shell prompts and `backcoach due` read (today's routine, done or
    due, the streak). A hint for a prompt never fails a session: any problem leaves the old
    file, and `backcoach due` works the answer out again."""
    from backcoach.library.settings import Settings
    from backcoach.reminders import today

    with contextlib.suppress(Exception):  # see the docstring
        settings = prepared.options.settings or Settings()
        today.refresh_state(today.gather(None, settings, prepared.catalog))


PAIN_AFTER_QUESTION = "How is your pain now, from 0 (none) to 10 (worst imaginable)?"
SPOKEN_PAIN_AFTER = "Session over. How is your pain now, from 0 to 10?"


def pain_after_question(result: SessionResult) -> str:
    """The pain-after question, in words that fit how the session went."""
    from backcoach.session.result import EX_STOPPED, SESSION_DONE

    stopped = [ex.name for ex in result.exercises if ex.status == EX_STOPPED]
    if stopped:
        return f"You stopped {stopped[0]} early. {PAIN_AFTER_QUESTION}"
    if result.status != SESSION_DONE:
        return f"Before you go: {PAIN_AFTER_QUESTION[0].lower()}{PAIN_AFTER_QUESTION[1:]}"
    return PAIN_AFTER_QUESTION


def run_session(options: SessionOptions, env: Environment | None = None) -> int:
    """Run a guided session end to end; return the exit code of the command-line contract."""
    env = env if env is not None else Environment.real()
    try:
        prepared = prepare(options, env)
    except RestToday:  # the severe-pain advice was given, and the person chose to rest
        return int(ExitCode.OK)
    sinks: Sinks | None = None
    try:
        sinks = build_sinks(prepared, env)
        result = run(prepared, sinks, env)
    except BaseException:
        if sinks is not None:
            sinks.close_cues()
        if prepared.store is not None:
            prepared.store.close()
        raise
    return finish(prepared, sinks, result, env)


# ---------------------------------------------------------------------- after the session

# Enough history for a streak or a long-term trend; older sessions do not change what we say.
HISTORY_WINDOW = timedelta(days=200)


def history_notes(prepared: Prepared, result: SessionResult, problem: str,
                  partly: bool, session_id: int | None = None) -> HistoryNotes:
    """What history adds to the summary: the streak and this week, and the one piece of pain
    advice (`rules.advise`), from this session, the earlier ones and the trend over weeks."""
    from backcoach.render.summary import HistoryNotes
    from backcoach.safety import rules

    store = prepared.store
    saved = "all" if store is not None and not problem else "partly" if partly and problem \
        else "none"
    lines: list[str] = []
    facts = rules.Facts(pain_before=result.pain_before, pain_after=result.pain_after,
                        stops=_stops(result), on_gentle=result.routine_id == GENTLE)
    if saved == "all" and store is not None:
        lines, facts = _with_history(store, prepared, result, facts, session_id)
    advice = rules.advise(facts)
    coaching: list[str] = []
    lesson: list[str] = []
    if saved == "all" and store is not None and advice.kind is not rules.AdviceClass.EMERGENCY:
        coaching, lesson = _coaching(store, prepared, result, facts, advice.kind, session_id)
    if saved == "all" and store is not None:
        skipped = store.skipped_note()  # rows another program wrote, left out above
        if skipped:
            lines.append(f"Warning: {skipped}.")
    return HistoryNotes(saved, problem, lines, advice.lines, coaching, lesson)


def _coaching(store: HistoryStore, prepared: Prepared, result: SessionResult,
              facts: rules.Facts, kind: rules.AdviceClass, session_id: int | None
              ) -> tuple[list[str], list[str]]:
    """What the summary adds for getting better over weeks: the step up or down this routine
    has earned (decided from this session with the same advice class as the advice above, so
    the two agree), a nudge to rate the goals when a week has passed, and one unread lesson
    that fits the day, marked read."""
    from backcoach.history import coaching, goals
    from backcoach.history.store import StorageError
    from backcoach.library import lessons
    from backcoach.render.coaching_pages import APPLY_HINT, lesson_lines

    now = result.ended_at or result.started_at
    lines: list[str] = []
    try:
        routine = prepared.catalog.routines.get(result.routine_id)
        if routine is not None and session_id is not None:
            sessions, classified = coaching.with_windows(
                store, coaching.recent_sessions(store, now), [routine.id])
            classes = coaching.classify_sessions(sessions, facts.trend, only=classified)
            classes[session_id] = kind  # this session: exactly as the advice above
            verdict = coaching.verdict_for(store, prepared.catalog, routine, sessions, classes)
            if verdict.step is not None:
                lines.append(verdict.line)
                if verdict.step.appliable:
                    lines.append(APPLY_HINT)
        summary = goals.summarize(store.goals(), now)
        if summary.due:
            lines.append("A week or more since you rated your goals: `backcoach goals rate`.")
        read = store.lessons_read()
    except StorageError:
        return lines, []
    chosen = lessons.pick(prepared.catalog.lessons.values(), read, kind.value,
                          facts.first_session)
    if chosen is None:
        return lines, []
    with contextlib.suppress(StorageError):  # shown all the same; it may come again
        store.mark_lesson_read(chosen.id, now, "summary")
    return lines, [*lesson_lines(chosen), "(`backcoach learn` lists every lesson.)"]


def _stops(result: SessionResult) -> tuple[rules.Stop, ...]:
    from backcoach.safety import rules
    from backcoach.session.result import EX_SKIPPED, EX_STOPPED

    # Skipped with a reason: left out after another exercise's stop.
    return tuple(rules.Stop(ex.name, ex.stop_reason) for ex in result.exercises
                 if ex.stop_reason and ex.status in (EX_STOPPED, EX_SKIPPED))


def _with_history(store: HistoryStore, prepared: Prepared, result: SessionResult,
                  facts: rules.Facts, session_id: int | None
                  ) -> tuple[list[str], rules.Facts]:
    """The streak lines, and the facts with what history adds: the earlier sessions (by id,
    never this one: stored times are cut to the second, so a time test would count this
    session as its own predecessor), the trend over this bout of pain, and when it began."""

    from backcoach.history import progress
    from backcoach.history.localtime import usable_zone
    from backcoach.reminders.today import installed_days
    from backcoach.safety import rules

    zone, warning = usable_zone(None)  # TZ=UTC+25 and the like: UTC, with a warning
    now = result.ended_at or result.started_at
    sessions = store.sessions(since=now - HISTORY_WINDOW, with_exercises=False)
    today = now.astimezone(zone).date()
    # A session of single exercises counts toward no routine's plan.
    schedules = {result.routine_id: prepared.routine.schedule} if result.routine_id else {}
    summary = progress.summarize(sessions, [], schedules, today, zone, chart_days=7,
                                 heat_weeks=1, onset=_onset(prepared),
                                 planned_days=installed_days())
    earlier = [s for s in sessions if s.id != session_id and s.started_at <= result.started_at]
    recent = list(reversed(earlier[:10]))
    stopped = _stopped_sessions(store, [s.id for s in recent[-rules.RECENT_SESSIONS:]])
    facts = facts._replace(earlier=tuple(
        rules.EarlierSession(s.pain_before, s.pain_after, s.id in stopped) for s in recent),
        trend=summary.trend, episode_start=summary.episode_start, today=today,
        first_session=not earlier and store.count() <= 1)
    lines = _streak_lines(summary, result)
    if warning:
        lines.append(f"Warning: {warning}.")
    return lines, facts


def _onset(prepared: Prepared) -> PainOnset | None:
    store = prepared.safety_store
    return store.pain_onset() if store is not None else None


def _stopped_sessions(store: HistoryStore, ids: list[int]) -> set[int]:
    """Which of these sessions had an exercise stopped."""
    from backcoach.session.result import EX_STOPPED

    return {row.session_id for row in store.exercise_rows(ids) if row.status == EX_STOPPED}


def _streak_lines(summary: Progress, result: SessionResult) -> list[str]:
    from backcoach.render.history_pages import plural

    lines = []
    streak = summary.streaks.current
    parts = [f"Streak: {plural(streak, 'day')}"] if streak else []
    for target in summary.targets:
        if target.routine_id == result.routine_id and target.planned:
            parts.append(f"this week {target.done} of {target.planned} planned sessions")
    if parts:
        line = " · ".join(parts)
        lines.append(line[0].upper() + line[1:])
    return lines
