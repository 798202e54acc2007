"""The `screen` command: the red-flag questions, asked in the terminal or cleared for scripts."""


from typing import TYPE_CHECKING

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer()

if TYPE_CHECKING:
    from backcoach.history.store import HistoryStore
    from backcoach.safety.flow import ConsolePrompter


def open_store() -> "HistoryStore":
    """The history store, which also keeps consent and screens."""
    from backcoach.history.store import HistoryStore

    return HistoryStore.open()


def make_prompter() -> "ConsolePrompter":
    """Questions on the terminal: plain text on stdout, answers read from stdin."""
    from backcoach.safety.flow import ConsolePrompter

    return ConsolePrompter()


@app.command("screen")
def screen_command(
    clear: bool = typer.Option(False, "--clear", help="Record that none of the warning signs "
                               "apply, without asking (for scripts)."),
) -> None:
    """Answer the red-flag questions: warning signs that need a doctor rather than stretches.

    Sessions stop (exit 3) after an emergency or urgent answer until you answer again.

    Example: backcoach screen
    """
    from datetime import UTC, datetime

    from backcoach.errors import ExitCode
    from backcoach.safety import flow as safety_flow

    now = datetime.now(UTC)
    prompter = make_prompter()
    with open_store() as store:
        if clear:
            safety_flow.clear_screen(store, now, prompter)
            return
        safety_flow.ensure_consent(prompter, store, now)
        outcome = safety_flow.run_screen(prompter, store, now)
    if outcome.blocks:
        raise typer.Exit(int(ExitCode.SAFETY_STOP))
