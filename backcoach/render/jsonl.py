"""Events as JSON lines: one object a line, flushed at once so a reader sees them live."""

from __future__ import annotations

from typing import TextIO

from backcoach.safetext import json_line
from backcoach.session.events import Event


class JsonlSink:
    """Writes each event as one JSON object per line."""

    def __init__(self, stream: TextIO, owns_stream: bool = False) -> None:
        self.stream = stream
        self.owns_stream = owns_stream

    def handle(self, event: Event) -> None:
        """Write the event's contract object."""
        self.stream.write(json_line(event.to_json()) + "\n")
        self.stream.flush()

    def close(self) -> None:
        """Close the file if this sink opened it."""
        if self.owns_stream:
            self.stream.close()
