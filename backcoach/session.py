"""One guided session from start to finish: checks, plan, timer, views, cues, history, summary.

This is the `run` command's core; the CLI only parses options and calls `run_session`.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from backcoach import events as ev
from backcoach.errors import BadInput, ExitCode, InvalidFiles
from backcoach.runner import Ended, Runner

if TYPE_CHECKING:
    from backcoach.catalog import Catalog
    from backcoach.config import Settings
    from backcoach.keys import KeySource
    from backcoach.plan import Plan
    from backcoach.result import SessionResult
    from backcoach.storage import HistoryStore

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
        """Store the result once more (pain after the session is known only now)."""
        if self.failure is None and self.session_id is not None:
            try:
                self.store.save(self.session_id, result)
            except Exception as exc:  # report it; never lose the summary
                self.failure = str(exc) or type(exc).__name__

    def close(self) -> None:
        """Nothing to release; the store is closed by its owner."""


@contextlib.contextmanager
def _signals_end_session() -> Iterator[None]:
    """SIGTERM and SIGHUP end the session like Ctrl-C does: the partial session is saved."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Ended("terminated" if signum == signal.SIGTERM else "hangup")

    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {signum: signal.signal(signum, handler) for signum in wanted}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _choose_output(requested: str) -> str:
    if requested != "auto":
        return requested
    import os

    dumb = os.environ.get("TERM", "") in ("dumb", "unknown")
    return "rich" if sys.stdout.isatty() and not dumb else "plain"


def _open_events(path: str) -> tuple[TextIO, bool]:
    if path == "-":
        return sys.stdout, False
    try:
        return open(path, "w", encoding="utf-8"), True  # closed by the sink
    except OSError as exc:
        raise BadInput(f"cannot write events to {path}: {exc.strerror}") from None


def _easier_lookup(catalog: Catalog) -> Any:
    def easier(exercise: Any) -> Any:
        return catalog.exercises.get(exercise.easier) if exercise.easier else None

    return easier


def build_plan(catalog: Catalog, options: SessionOptions, hidden: dict[str, str]) -> Plan:
    """The routine's plan, without the exercises the screen says to leave out."""
    from dataclasses import replace

    from backcoach.plan import compile_plan

    routine = catalog.routine(options.routine_id)
    for ident in options.only:
        catalog.exercise(ident)  # unknown ids are bad input, said before anything starts
    kept = tuple(item for item in routine.items if item.exercise_id not in hidden)
    only = tuple(ident for ident in options.only if ident not in hidden)
    if options.only and not only:
        raise BadInput("every exercise you chose is left out today after your answers to the "
                       "safety questions; `backcoach show ID` says why")
    if not kept and not only:
        raise BadInput(f"every exercise of '{routine.id}' is left out today after your answers "
                       "to the safety questions; ask a clinician which exercises suit you")
    return compile_plan(replace(routine, items=kept), catalog, only)


def run_session(options: SessionOptions) -> int:
    """Run a guided session end to end; return the exit code of the command-line contract."""
    from rich.console import Console

    from backcoach import safety_flow
    from backcoach.catalog import load_catalog
    from backcoach.clock import MonotonicClock, utc_now
    from backcoach.cues import CuePlayer, find_speech_program, open_bell_device
    from backcoach.keys import NoKeys, TerminalKeys
    from backcoach.render.jsonl import JsonlSink
    from backcoach.render.plain import PlainRenderer
    from backcoach.storage import HistoryStore, StorageError

    check_options(options)
    output = _choose_output(options.output)
    # Keep stdout clean for machines when it carries JSON lines.
    talk_to_stderr = output == "jsonl" or options.events_path == "-"
    talk = Console(stderr=talk_to_stderr, highlight=False, emoji=False)
    interactive = sys.stdin.isatty()
    catalog = load_catalog(strict=True)
    if options.routine is None and options.settings is not None:
        # A default routine that does not exist is a mistake in config.yaml: say where.
        from backcoach.config import routine_problems

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
    plan = build_plan(catalog, options, pre.hidden)

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
    sinks.append(cues)
    runner.sinks = sinks

    try:
        with _signals_end_session(), keys_context:
            result = runner.run()
    finally:
        for sink in sinks:
            sink.close()

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
    from backcoach.summary import print_summary

    print_summary(talk, result, store, history_problem, routine.schedule)
    if store is not None:
        store.close()
    return code
