"""Writes a session to history as it goes, so a crash or a kill keeps what was done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backcoach.session import events as ev

if TYPE_CHECKING:
    from backcoach.history.store import HistoryStore
    from backcoach.session.recorder import Recorder
    from backcoach.session.result import SessionResult


class HistoryWriter:
    """A session sink: inserts the session when its first step starts and updates it after
    every step, from the recorder's result (the recorder has updated it before any sink sees
    the event). As the recorder's `history`, it sees a start after the views (the screen shows
    the first step before the insert) and every other event before them.

    After a step only the exercises the recorder may have changed are rewritten (the step's
    own, and the one the previous step belonged to), so each save costs the same however long
    the routine; the end of the session rewrites all of it once.

    A storage failure (a full disk, say) never stops the session: it is remembered and
    reported at the end.
    """

    def __init__(self, store: HistoryStore, recorder: Recorder) -> None:
        self.store = store
        self.recorder = recorder
        self.session_id: int | None = None
        self.failure: str | None = None
        self._last_position: int | None = None  # the exercise of the step last ended

    def handle(self, event: ev.Event) -> None:
        """Insert the session when its first step starts; rewrite it after every step and at
        the end."""
        if self.failure is not None or isinstance(event, ev.SessionStarted):
            return
        try:
            if self.session_id is None:  # the first step's start, or an end without a step
                self.session_id = self.store.begin(self.recorder.result)
            if isinstance(event, ev.StepEnded):
                position = event.step.exercise_index
                changed = {position} if self._last_position is None \
                    else {position, self._last_position}
                self._last_position = position
                self.store.save(self.session_id, self.recorder.result, changed)
            elif isinstance(event, ev.SessionEnded):
                self.store.save(self.session_id, self.recorder.result)
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
