"""The `run` command: a guided session."""


from typing import Annotated

import typer

from backcoach.cli.complete import complete_exercise, complete_routine

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes


@app.command("run")
def run_command(
    routine: str = typer.Argument(None, help="Routine id; default: the `routine` setting in "
                                  "config.yaml, else daily.", show_default=False,
                                  metavar="[ROUTINE]", autocompletion=complete_routine),
    only: Annotated[list[str] | None, typer.Option(
        "--only", help="Run just this exercise (repeatable), with its dose in the routine or "
        "its own.", show_default=False, metavar="ID",
        autocompletion=complete_exercise)] = None,
    speed: float = typer.Option(1.0, "--speed", help="Run time this many times faster "
                                "(demos and tests).", metavar="FACTOR"),
    output: str = typer.Option("auto", "--output", help="auto, rich, plain or jsonl; auto is "
                               "rich on a terminal and plain otherwise.",
                               metavar="auto|rich|plain|jsonl"),
    events: str = typer.Option(None, "--events", help="Also write every event as JSON lines "
                               "to this file (- for stdout; a FIFO is written into). An "
                               "existing file needs --force.", show_default=False,
                               metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Replace an existing --events file (it "
                               "stays whole until the session ends)."),
    pain_before: int = typer.Option(None, "--pain-before", min=0, max=10,
                                    help="Pain now, 0-10; skips the question.",
                                    show_default=False, metavar="0-10"),
    pain_after: int = typer.Option(None, "--pain-after", min=0, max=10,
                                   help="Pain after the session, 0-10; skips the question.",
                                   show_default=False, metavar="0-10"),
    sound: bool = typer.Option(None, "--sound/--no-sound", help="Bell at every change, or no "
                               "bell and no voice; default: the `sound` setting (on).",
                               show_default=False),
    voice: bool = typer.Option(None, "--voice/--no-voice", help="Speak the cues (espeak-ng, "
                               "spd-say or say; on Windows its own voice), brief or full as "
                               "the `voice` setting says "
                               "(full when it is off); default: the `voice` setting (off).",
                               show_default=False),
    countdown: str = typer.Option(None, "--countdown", help="big or plain digits in the live "
                                  "view; default: the `countdown` setting (big).",
                                  show_default=False, metavar="big|plain"),
) -> None:
    """Start a guided session: get into position, hold, rest, switch sides, with a countdown.

    Keys: space pause, n next, b back, +/- 5 s, h this hurts, e easier, q quit, ? help.

    Example: backcoach run daily --voice
    """
    import sys

    from backcoach.app import SessionOptions, run_session
    from backcoach.cli import report
    from backcoach.errors import BadInput, InvalidFiles
    from backcoach.library.settings import COUNTDOWNS, load_settings

    if countdown is not None and countdown not in COUNTDOWNS:
        raise BadInput(f"--countdown takes big or plain, got '{countdown}'")
    try:
        settings = load_settings()  # a broken config.yaml stops here: every problem, exit 2
        # A flag given on the command line wins over the setting.
        options = SessionOptions(routine=routine, only=tuple(only or ()), speed=speed,
                                 output=output, events_path=events, pain_before=pain_before,
                                 pain_after=pain_after,
                                 sound=settings.sound if sound is None else sound,
                                 voice=settings.voice != "off" if voice is None else voice,
                                 # --voice speaks as the setting says, full when it is off
                                 voice_detail="brief" if settings.voice == "brief" else "full",
                                 countdown=countdown or settings.countdown, settings=settings,
                                 force=force)
        code = run_session(options)
    except InvalidFiles as exc:  # the user's own files: say which command opens each one
        # scaffold (and yaml with it) is loaded only here, so a session starts without them
        from backcoach.library.scaffold import fix_hint

        code = report(exc)
        hint = fix_hint(exc.problems)
        if hint:
            print(hint, file=sys.stderr)
        raise typer.Exit(code) from None
    if code:
        raise typer.Exit(code)
