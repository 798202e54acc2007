"""Whole runs in process: an Environment with a fake clock, scripted keys and scripted answers,
the real catalog and a real history file in the test's home."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from backcoach import app
from backcoach.history.store import HistoryStore
from backcoach.session.keys import KeySource
from tests.fakes import FakeClock, ScriptedKeys, ScriptedPrompter

T0 = datetime(2026, 3, 10, 7, 30, tzinfo=UTC)


class Walls:
    """The wall clock for history stamps: a minute later on every read."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def environment(*, keys: list[tuple[float, str]] | None = None,
                answers: list[Any] | Callable[[str], Any] = (),
                interactive: bool = True, stdout: io.StringIO | None = None,
                start: datetime = T0) -> tuple[
                    app.Environment, io.StringIO, io.StringIO, ScriptedPrompter]:
    """An environment with a fake clock; keys are pressed at seconds of fake time; history
    is stamped from `start` on."""
    clock = FakeClock()
    out, err = stdout or io.StringIO(), io.StringIO()
    prompter = ScriptedPrompter(answers, interactive=interactive)

    @contextlib.contextmanager
    def scripted() -> Iterator[KeySource]:
        yield ScriptedKeys(clock, keys or [])

    env = app.Environment(
        stdin=io.StringIO(), stdout=out, stderr=err, interactive=interactive,
        stdout_is_terminal=False, term="xterm", clock=clock, wall=Walls(start), keys=scripted,
        open_store=HistoryStore.open, find_speech=lambda: None, open_bell=lambda: None,
        prompter=lambda out: prompter, handle_signals=False)
    return env, out, err, prompter
