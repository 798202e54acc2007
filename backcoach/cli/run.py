"""The `run` command: a guided session."""

from __future__ import annotations

from typing import Annotated

import typer

from backcoach.cli import app


@app.command("run")
def run_command(
    routine: str = typer.Argument(None, help="Routine id; default: daily.", show_default=False),
    only: Annotated[list[str] | None, typer.Option(
        "--only", help="Run just this exercise (repeatable), with its dose in the routine or "
        "its own.", show_default=False)] = None,
    speed: float = typer.Option(1.0, "--speed", help="Run time this many times faster "
                                "(demos and tests)."),
    output: str = typer.Option("auto", "--output", help="auto, rich, plain or jsonl; auto is "
                               "rich on a terminal and plain otherwise."),
    events: str = typer.Option(None, "--events", help="Also write every event as JSON lines "
                               "to this file (- for stdout).", show_default=False),
    pain_before: int = typer.Option(None, "--pain-before", min=0, max=10,
                                    help="Pain now, 0-10; skips the question.",
                                    show_default=False),
    pain_after: int = typer.Option(None, "--pain-after", min=0, max=10,
                                   help="Pain after the session, 0-10; skips the question.",
                                   show_default=False),
    no_sound: bool = typer.Option(False, "--no-sound", help="No bell and no voice."),
    voice: bool = typer.Option(False, "--voice", help="Speak short cues (espeak-ng, spd-say "
                               "or say)."),
) -> None:
    """Start a guided session: get into position, hold, rest, switch sides, with a countdown.

    Keys: space pause, n next, b back, +/- 5 s, h this hurts, e easier, q quit, ? help.

    Example: backcoach run daily --voice
    """
    from backcoach.session import SessionOptions, run_session

    options = SessionOptions(routine=routine, only=tuple(only or ()), speed=speed, output=output,
                             events_path=events, pain_before=pain_before, pain_after=pain_after,
                             sound=not no_sound, voice=voice)
    code = run_session(options)
    if code:
        raise typer.Exit(code)
