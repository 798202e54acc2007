"""How the library looks in a terminal and as JSON: the `list` table and the `show` pages.

Text from YAML files is always passed to rich as Text, never as markup, so a `[bold]` in a
step is printed as written.
"""

from __future__ import annotations

import sys
from dataclasses import asdict
from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from backcoach.library.catalog import (
    Catalog,
    Definition,
    order_warning,
    timeline,
    total_seconds,
)
from backcoach.library.model import Exercise, Routine, format_clock, format_duration
from backcoach.render.console import console


def _source(definition: Definition, catalog: Catalog) -> str:
    label = definition.origin.label
    if not definition.origin.builtin and definition.id in catalog.replaced:
        label += " (replaces built-in)"
    return label


def catalog_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """One row per exercise and routine in force: id, name, kind, position, dose, time, source."""
    rows: list[dict[str, Any]] = []
    for routine in catalog.routines.values():
        entries = timeline(routine, catalog)
        positions = list(dict.fromkeys(entry.exercise.position for entry in entries))
        rows.append({"id": routine.id, "name": routine.name, "kind": "routine",
                     "position": ", ".join(positions), "dose": f"{len(entries)}",
                     "total_seconds": entries[-1].end if entries else 0,
                     "source": _source(routine, catalog), "path": routine.origin.path})
    for exercise in catalog.exercises.values():
        also = f" (also: {', '.join(exercise.aliases)})" if exercise.aliases else ""
        rows.append({"id": exercise.id, "name": exercise.name + also, "kind": "exercise",
                     "aliases": list(exercise.aliases),
                     "position": exercise.position, "dose": exercise.dose.describe(),
                     "total_seconds": exercise.dose.total_seconds(),
                     "source": _source(exercise, catalog), "path": exercise.origin.path})
    return rows


def print_catalog(rows: list[dict[str, Any]]) -> None:
    """The `list` output: a table of routines, then one of exercises (the kind is the section)."""
    out = console()
    for kind, title, dose_header in (("routine", "Routines", "exercises"),
                                     ("exercise", "Exercises", "dose")):
        # A light box leaves the columns room for the words at 80 columns.
        table = Table(title=title, title_justify="left", title_style="bold", expand=False,
                      box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False)
        table.add_column("id", no_wrap=True)
        table.add_column("name", overflow="fold", min_width=14)
        table.add_column("position", overflow="fold")
        table.add_column(dose_header, overflow="fold")
        table.add_column("time", justify="right", no_wrap=True)
        table.add_column("source", no_wrap=True, min_width=8)
        for row in (r for r in rows if r["kind"] == kind):
            table.add_row(*(Text(str(value)) for value in (
                row["id"], row["name"], row["position"], row["dose"],
                format_clock(row["total_seconds"]), row["source"])))
        out.print(table)
    out.print(Text("Run a routine with `backcoach run ID`; see any item with `backcoach show ID`."))


def warn_problems(catalog: Catalog) -> None:
    """Tell the user, on stderr, about their files that could not be used."""
    if not catalog.problems:
        return
    # Plain lines, never wrapped, like the validator's: one `path:line:col: message` a line.
    print(f"Warning: {len(catalog.problems)} problem(s) in your files; what they define is not "
          "in force until fixed:", file=sys.stderr)
    for problem in catalog.problems:
        print(problem, file=sys.stderr)


def to_json(definition: Definition, catalog: Catalog) -> dict[str, Any]:
    """A definition as plain JSON data, with its kind, total time and source."""
    data = asdict(definition)
    data["kind"] = "routine" if isinstance(definition, Routine) else "exercise"
    data["total_seconds"] = total_seconds(definition, catalog)
    data["source"] = _source(definition, catalog)
    if isinstance(definition, Routine):
        data["sequence"] = [
            {"exercise": entry.exercise.id, "name": entry.exercise.name,
             "position": entry.exercise.position, **asdict(entry.dose),
             "total_seconds": entry.seconds}
            for entry in timeline(definition, catalog)]
        order = order_warning(definition, catalog)
        data["warnings"] = [order] if order is not None else []
    return data


def _bullets(title: str, lines: tuple[str, ...], numbered: bool = False) -> Group | None:
    """A titled list whose wrapped lines hang under their own text, not under the marker."""
    if not lines:
        return None
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for index, line in enumerate(lines, start=1):
        grid.add_row(Text(f"  {index}." if numbered else "  -"), Text(line))
    return Group(Text(""), Text(title, style="bold"), grid)


def exercise_page(exercise: Exercise, catalog: Catalog,
                  hidden: dict[str, str] | None = None) -> Group:
    """Everything about one exercise, as a printable group; `hidden` says if it is left out."""
    dose = exercise.dose
    parts: list[Any] = [Text(exercise.name, style="bold")]
    if exercise.summary:
        parts.append(Text(exercise.summary))
    if hidden and exercise.id in hidden:
        parts.append(Text(f"Left out of your sessions: {hidden[exercise.id]}", style="yellow"))
    parts.append(Text(""))
    facts = [f"Dose: {dose.describe()}, rest {format_duration(dose.rest)} between reps"
             f" · about {format_duration(dose.total_seconds())} in all",
             f"Position: {exercise.position} · family: {exercise.family}"
             + (f" · loads: {', '.join(sorted(exercise.loads)).replace('-', ' ')}"
                if exercise.loads else "")]
    if exercise.aliases:
        facts.append(f"Also found as: {', '.join(exercise.aliases)}")
    if exercise.equipment:
        facts.append(f"You need: {', '.join(exercise.equipment)}")
    parts.append(Text("\n".join(facts)))
    for block in (_bullets("Steps", exercise.steps, numbered=True),
                  _bullets("During the hold", exercise.cues),
                  _bullets("Careful", exercise.cautions),
                  _bullets("Stop if", exercise.stop_if)):
        if block is not None:
            parts.append(block)
    if exercise.contraindications:
        parts.append(Text("\nAsk a clinician before doing this if you have: "
                          + ", ".join(t.replace("-", " ") for t in exercise.contraindications)))
    variants = [f"{label}: {catalog.exercises[ident].name} ({ident})"
                for label, ident in (("Easier", exercise.easier), ("Harder", exercise.harder))
                if ident and ident in catalog.exercises]
    if variants:
        parts.append(Text("\n" + "\n".join(variants)))
    if exercise.sources:
        parts.append(_bullets("Sources", exercise.sources))
    parts.append(Text(f"\nFile: {exercise.origin.path} ({_source(exercise, catalog)})",
                      style="dim"))
    return Group(*parts)


def routine_page(routine: Routine, catalog: Catalog,
                 hidden: dict[str, str] | None = None) -> Group:
    """A routine's sequence with the start time and length of each exercise; `hidden` names
    the exercises a session will leave out."""
    entries = timeline(routine, catalog)
    total = entries[-1].end if entries else 0
    header = Text(routine.name, style="bold")
    intro = Text()
    if routine.description:
        intro.append(routine.description + "\n")
    schedule = routine.schedule
    intro.append(f"\n{len(entries)} exercises · about {format_duration(total)} · "
                 f"{schedule.per_day}x a day, {schedule.days_per_week} days a week · "
                 f"{format_duration(routine.rest_between)} between exercises")
    table = Table(expand=False, show_edge=False)
    for column in ("#", "starts", "exercise", "position", "dose", "time"):
        table.add_column(column, justify="right" if column in ("#", "starts", "time") else "left")
    for index, entry in enumerate(entries, start=1):
        table.add_row(Text(str(index)), Text(_clock(entry.start)), Text(entry.exercise.name),
                      Text(entry.exercise.position), Text(entry.dose.describe()),
                      Text(format_duration(entry.seconds)))
    left_out = [f"{entry.exercise.name}: {hidden[entry.exercise.id]}" for entry in entries
                if hidden and entry.exercise.id in hidden]
    footer = Text()
    for line in left_out:
        footer.append(f"Left out of your sessions: {line}\n", style="yellow")
    order = order_warning(routine, catalog)
    if order is not None:
        footer.append(f"Warning: {order}\n", style="yellow")
    footer.append(f"Total: {format_duration(total)}. Start it with `backcoach run {routine.id}`."
                  f"\nFile: {routine.origin.path} ({_source(routine, catalog)})")
    return Group(header, intro, Text(""), table, Text(""), footer)


def _clock(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


def print_definition(definition: Definition, catalog: Catalog,
                     hidden: dict[str, str] | None = None) -> None:
    """The `show` page of an exercise or routine."""
    page = (routine_page(definition, catalog, hidden) if isinstance(definition, Routine)
            else exercise_page(definition, catalog, hidden))
    console().print(page)
    sys.stdout.flush()
