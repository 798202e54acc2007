"""The `screen` command: the red-flag questions, asked in the terminal or cleared for scripts."""


from typing import TYPE_CHECKING

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes

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
    clear: bool = typer.Option(False, "--clear", help="For scripts: record that none of the "
                               "warning signs or conditions apply, without asking (it lists "
                               "them). A person at a terminal answers the questions instead."),
    onset: bool = typer.Option(False, "--onset", help="Only say again when this bout of pain "
                               "began (the advice over weeks counts from then)."),
) -> None:
    """Answer the red-flag questions: warning signs that need a doctor rather than stretches,
    and conditions that leave some exercises out; then when this bout of pain began.

    Sessions stop (exit 3) after an emergency or urgent answer until you answer again. A
    doctor's or physiotherapist's OK for a lifelong answer (cancer, an unstable neck) is kept
    with its date.

    Example: backcoach screen
    """
    from datetime import UTC, datetime

    from backcoach.errors import BadInput, ExitCode
    from backcoach.safety import flow as safety_flow

    if clear and onset:
        raise BadInput("--clear and --onset do different things; use one of them")
    now = datetime.now(UTC)
    prompter = make_prompter()
    with open_store() as store:
        if clear:
            safety_flow.clear_screen(store, now, prompter)
            return
        safety_flow.ensure_consent(prompter, store, now)
        if onset:
            if not prompter.interactive:
                raise BadInput("`backcoach screen --onset` asks when this bout of pain began: "
                               "run it in a terminal and answer")
            safety_flow.ask_onset(prompter, store, now, again=True)
            return
        outcome = safety_flow.run_screen(prompter, store, now)
    if outcome.blocks:
        raise typer.Exit(int(ExitCode.SAFETY_STOP))
