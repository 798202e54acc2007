"""Commands for getting better over weeks: `learn` (short lessons) and `goals` (function goals,
the Patient-Specific Functional Scale)."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes
goals_app = typer.Typer(rich_markup_mode=None)
app.add_typer(goals_app, name="goals")

if TYPE_CHECKING:
    from datetime import datetime

    from backcoach.history.store import HistoryStore
    from backcoach.safety.flow import ConsolePrompter


def make_prompter() -> "ConsolePrompter":
    """Questions on the terminal (stderr, so stdout keeps only what scripts read)."""
    from backcoach.safety.flow import ConsolePrompter

    return ConsolePrompter(sys.stderr)


def _warn(text: str) -> None:
    print(f"Warning: {text}", file=sys.stderr)


def _read_state() -> "dict[str, datetime]":
    """When each lesson was first read; empty (with a warning) when the history cannot be
    read: the lessons are still there to read."""
    from backcoach.history.store import HistoryStore, StorageError, default_path

    path = default_path()
    if not path.exists():
        return {}
    try:
        with HistoryStore.open_for_reading(path) as store:
            return store.lessons_read()
    except StorageError as exc:
        _warn(f"{exc}; which lessons you have read is not shown.")
        return {}


@app.command("learn")
def learn_command(
    topic: str = typer.Argument(None, help="A lesson's id or words of its title, such as "
                                "pacing; none lists them all.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Short lessons about living with back pain: staying active, hurt and harm, pacing, heat
    and cold, sitting, posture, lifting, sleep, pain relievers, weight and stress, when to get
    help. One that fits the day is also shown after each session.

    Example: backcoach learn pacing
    """
    import json
    from datetime import UTC, datetime

    from backcoach import paths
    from backcoach.history.store import HistoryStore, StorageError
    from backcoach.library import lessons as lesson_rules
    from backcoach.library.catalog import load_catalog
    from backcoach.render import coaching_pages as pages
    from backcoach.render.library_pages import warn_problems
    from backcoach.render.text import page_width

    catalog = load_catalog(strict=False)
    read = _read_state()
    if topic is None:
        ordered = lesson_rules.in_order(catalog.lessons.values())
        if as_json:
            typer.echo(json.dumps([pages.lesson_json(lesson, read) for lesson in ordered],
                                  indent=2))
        else:
            pages.lessons_page(ordered, read, page_width(),
                               str(paths.user_library_dirs()[2])).write()
        warn_problems(catalog)
        return
    lesson = lesson_rules.find(catalog.lessons, topic)
    if as_json:
        typer.echo(json.dumps(pages.lesson_json(lesson, read), indent=2))
    else:
        pages.lesson_page(lesson, page_width()).write()
    try:
        with HistoryStore.open() as store:
            store.mark_lesson_read(lesson.id, datetime.now(UTC), "learn")
    except StorageError as exc:
        _warn(f"{exc}; this lesson is not marked as read.")


# --- goals ------------------------------------------------------------------------------------

def _store() -> "HistoryStore":
    from backcoach.history.store import HistoryStore

    return HistoryStore.open()


def _question(activity: str) -> str:
    return (f"\"{activity}\": how well can you do it now, from 0 (unable to) to 10 (as well "
            "as before your back problem)?")


@goals_app.callback()
def goals_command() -> None:
    """Function goals: up to five everyday activities your back makes hard, each rated from 0
    (unable) to 10 (as before the problem) at the start and then weekly; `progress` shows how
    they change. This is the Patient-Specific Functional Scale (Stratford et al. 1995), free
    to use: a change of 2 points in the average is a meaningful one.

    Example: backcoach goals add "put on my socks"
    """


@goals_app.command("add")
def goals_add_command(
    activity: str = typer.Argument(..., help="The activity in your words, such as \"put on my "
                                   "socks\" or \"sit through a meeting\"."),
    score: int = typer.Option(None, "--score", help="How well you can do it now, 0-10; "
                              "asked at a terminal when left out.", show_default=False),
) -> None:
    """Add an activity your back makes hard, with how well you can do it now (0-10).

    Example: backcoach goals add "put on my socks" --score 4
    """
    from datetime import UTC, datetime

    from backcoach.errors import BadInput
    from backcoach.history import goals
    from backcoach.history.store import GoalLimit

    text = goals.check_activity(activity)
    if score is None:
        prompter = make_prompter()
        if not prompter.interactive:
            raise BadInput("give how well you can do it now with --score N (0 = unable, "
                           "10 = as before the problem)")
        score = prompter.ask_number(_question(text), 0, 10)
    goals.check_score(score)
    with _store() as store:
        try:
            store.add_goal(text, score, datetime.now(UTC), goals.MAX_GOALS)
        except GoalLimit as exc:
            raise BadInput(f"you have {exc.count} goals, the most the scale uses; set one "
                           "aside first with `backcoach goals remove N` (`backcoach goals "
                           "list` shows the numbers)") from None
        count = len(store.goals())
    typer.echo(f"Added goal {count}: {text}, {score} out of 10 now. Rate it again in a week "
               "with `backcoach goals rate`.")


@goals_app.command("rate")
def goals_rate_command(
    ratings: Annotated[list[str] | None, typer.Argument(
        help="NUMBER=SCORE for each goal to rate, such as 1=6 2=4; none asks about each goal "
        "in turn.", show_default=False, metavar="NUMBER=SCORE")] = None,
) -> None:
    """Rate your goals again (0-10): once a week is enough.

    Example: backcoach goals rate 1=6 2=4
    """
    from datetime import UTC, datetime

    from backcoach.errors import BadInput
    from backcoach.history import goals

    with _store() as store:
        active = store.goals()
        if not active:
            raise BadInput("no goals to rate yet; add one with `backcoach goals add "
                           "\"put on my socks\"`")
        scores: dict[int, int] = {}
        if ratings:
            for item in ratings:
                number, _, value = item.partition("=")
                if not (number.strip().isdigit() and value.strip().isdigit()):
                    raise BadInput(f"write each rating as NUMBER=SCORE, such as 1=6, got "
                                   f"'{item}'")
                place = int(number)
                if not 1 <= place <= len(active):
                    raise BadInput(f"there is no goal {place}; `backcoach goals list` shows "
                                   f"the numbers 1 to {len(active)}")
                scores[active[place - 1].id] = goals.check_score(int(value))
        else:
            prompter = make_prompter()
            if not prompter.interactive:
                raise BadInput("give the ratings as NUMBER=SCORE, such as `backcoach goals "
                               "rate 1=6 2=4`, or run it in a terminal to be asked")
            for goal in active:
                scores[goal.id] = prompter.ask_number(_question(goal.activity), 0, 10)
        store.rate_goals(scores, datetime.now(UTC))
        summary = goals.summarize(store.goals(), datetime.now(UTC))
    from backcoach.render import coaching_pages as pages
    from backcoach.render.text import Page, page_width

    page = Page(page_width())
    page.add(f"Rated {len(scores)} goal{'s' if len(scores) != 1 else ''}.")
    for line in pages.goal_lines(summary):
        page.hanging(" ", line)
    page.write()


@goals_app.command("list")
def goals_list_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
) -> None:
    """Show your goals, their ratings over time and what the change in the average means.

    Example: backcoach goals list
    """
    import json
    from datetime import UTC, datetime

    from backcoach.history import goals
    from backcoach.history.store import HistoryStore, default_path
    from backcoach.render import coaching_pages as pages
    from backcoach.render.text import page_width

    path = default_path()
    found = []
    if path.exists():
        with HistoryStore.open_for_reading(path) as store:
            found = store.goals()
    summary = goals.summarize(found, datetime.now(UTC))
    if as_json:
        typer.echo(json.dumps(pages.goals_json(summary, None), indent=2))
        return
    pages.goals_page(summary, page_width()).write()


@goals_app.command("remove")
def goals_remove_command(
    number: int = typer.Argument(..., help="The goal's number in `backcoach goals list`."),
) -> None:
    """Set a goal aside (its ratings are kept), to make room for another.

    Example: backcoach goals remove 2
    """
    from datetime import UTC, datetime

    from backcoach.errors import BadInput

    with _store() as store:
        active = store.goals()
        if not 1 <= number <= len(active):
            raise BadInput(f"there is no goal {number}; `backcoach goals list` shows the "
                           f"numbers{f' 1 to {len(active)}' if active else ' (none yet)'}")
        goal = active[number - 1]
        store.remove_goal(goal.id, datetime.now(UTC))
    typer.echo(f"Set aside goal {number}: {goal.activity}. Its ratings are kept.")
