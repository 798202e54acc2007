"""How the library looks in a terminal and as JSON: the `list` tables and the `show` pages.

Pages are plain text (render/text.py): text from YAML files is printed as written (a `[bold]`
in a step is shown as typed) and can never act on the terminal.
"""

from __future__ import annotations

import sys
from typing import Any

from backcoach.library.catalog import (
    Catalog,
    Definition,
    order_warning,
    timeline,
    total_seconds,
)
from backcoach.library.model import Exercise, Routine, format_duration
from backcoach.library.pictures import picture_lines
from backcoach.render.text import Column, Page, Span, page_width, together


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


def catalog_page(rows: list[dict[str, Any]], width: int) -> Page:
    """The `list` output: a table of routines, then one of exercises (the kind is the section).

    Names and positions wrap at spaces when the table is too wide; below the width that takes,
    each item is shown as two short lines instead.
    """
    page = Page(width)
    for kind, title, dose_header in (("routine", "Routines", "exercises"),
                                     ("exercise", "Exercises", "dose")):
        items = [r for r in rows if r["kind"] == kind]
        page.add(title, "bold")
        columns = [Column("id"), Column("name", wrap=True), Column("position", wrap=True),
                   Column(dose_header, wrap=True), Column("time", right=True),
                   Column("source", wrap=True)]
        cells = [[row["id"], row["name"], row["position"], _dose_words(row["dose"]),
                  together(format_duration(row["total_seconds"])), row["source"]]
                 for row in items]
        if not page.table(columns, cells):
            for row in items:  # too narrow for columns: each item on two lines
                page.add(f"{row['id']} · {format_duration(row['total_seconds'])}")
                page.hanging(" ", f"{row['name']}; {row['position']}; "
                                  f"{_dose_words(row['dose'])}; {row['source']}")
        page.add()
    page.add("Run a routine with `backcoach run ID`; see any item with `backcoach show ID`.")
    return page


def print_catalog(rows: list[dict[str, Any]], pager: bool = True) -> None:
    """Print the `list` page (through the pager when it does not fit the terminal)."""
    catalog_page(rows, page_width()).write(pager=pager)


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
    data: dict[str, Any] = _plain(definition)
    data["kind"] = "routine" if isinstance(definition, Routine) else "exercise"
    data["total_seconds"] = total_seconds(definition, catalog)
    data["source"] = _source(definition, catalog)
    if isinstance(definition, Routine):
        data["sequence"] = [
            {"exercise": entry.exercise.id, "name": entry.exercise.name,
             "position": entry.exercise.position, **_plain(entry.dose),
             "total_seconds": entry.seconds}
            for entry in timeline(definition, catalog)]
        order = order_warning(definition, catalog)
        data["warnings"] = [order] if order is not None else []
    return data


def _plain(value: Any) -> Any:
    """A record as JSON data: its fields as an object, recursively (tuples become lists)."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: _plain(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _bullets(page: Page, title: str, lines: tuple[str, ...], numbered: bool = False) -> None:
    """A titled list whose wrapped lines hang under their own text, not under the marker."""
    if not lines:
        return
    page.add()
    page.add(title, "bold")
    marker_width = len(f"{len(lines)}.") if numbered else 1
    for index, line in enumerate(lines, start=1):
        marker = f"{index}.".rjust(marker_width) if numbered else "-"
        page.hanging(f"  {marker}", line)


def _picture(page: Page, exercise: Exercise) -> None:
    """The drawings of the position, side by side when the page is wide enough; the part
    that moves (and the arrow) in bold."""
    assert exercise.picture is not None
    lines = picture_lines(exercise.picture.drawings, page.width - 2)
    if lines is None:  # a page narrower than the drawing: the steps say it in words
        return
    page.add()
    for line in lines:
        page.spans(Span("  "), *(Span(text, "bold" if moving else "") for text, moving in line))


def exercise_page(exercise: Exercise, catalog: Catalog, width: int,
                  hidden: dict[str, str] | None = None, pictures: bool = True) -> Page:
    """Everything about one exercise; `hidden` says if sessions leave it out; `pictures`
    False leaves out the drawing of the position (for screen readers)."""
    dose = exercise.dose
    page = Page(width)
    page.add(exercise.name, "bold")
    if exercise.summary:
        page.add(exercise.summary)
    if hidden and exercise.id in hidden:
        page.add(f"Left out of your sessions: {hidden[exercise.id]}", "yellow")
    page.add()
    rest = (f"rest {format_duration(dose.rest)} between reps" if dose.rest
            else "no rest between reps")
    page.add(f"Dose: {dose.describe()}, {rest}"
             f" · about {format_duration(dose.total_seconds())} in all")
    page.add(f"Position: {exercise.position} · family: {exercise.family} · {exercise.type}"
             + (f" · loads: {', '.join(sorted(exercise.loads)).replace('-', ' ')}"
                if exercise.loads else ""))
    if exercise.aliases:
        page.add(f"Also found as: {', '.join(exercise.aliases)}")
    if exercise.equipment:
        page.add(f"You need: {', '.join(exercise.equipment)}")
    if pictures and exercise.picture is not None:
        _picture(page, exercise)
    _bullets(page, "Steps", exercise.steps, numbered=True)
    _bullets(page, "During each rep" if dose.tempo else "During the hold", exercise.cues)
    _bullets(page, "Careful", exercise.cautions)
    _bullets(page, "Stop if", exercise.stop_if)
    if exercise.contraindications:
        page.add()
        page.add("Ask a clinician before doing this if you have: "
                 + ", ".join(t.replace("-", " ") for t in exercise.contraindications))
    variants = [f"{label}: {catalog.exercises[ident].name} ({ident})"
                for label, ident in (("Easier", exercise.easier), ("Harder", exercise.harder))
                if ident and ident in catalog.exercises]
    if variants:
        page.add()
        for variant in variants:
            page.add(variant)
    _bullets(page, "Sources", exercise.sources)
    page.add()
    page.add(f"File: {exercise.origin.path} ({_source(exercise, catalog)})", "dim")
    return page


def routine_page(routine: Routine, catalog: Catalog, width: int,
                 hidden: dict[str, str] | None = None) -> Page:
    """A routine's sequence with the start time and length of each exercise; `hidden` names
    the exercises a session will leave out."""
    entries = timeline(routine, catalog)
    total = entries[-1].end if entries else 0
    page = Page(width)
    page.add(routine.name, "bold")
    if routine.description:
        page.add(routine.description)
    schedule = routine.schedule
    page.add()
    page.add(f"{len(entries)} exercises · about {format_duration(total)} · "
             f"{schedule.per_day}x a day, {schedule.days_per_week} days a week · "
             f"{format_duration(routine.rest_between)} between exercises")
    page.add()
    columns = [Column("#", right=True), Column("starts", right=True),
               Column("exercise", wrap=True), Column("position", wrap=True),
               Column("dose", wrap=True), Column("time", right=True, wrap=True)]
    cells = [[str(index), _clock(entry.start), entry.exercise.name, entry.exercise.position,
              _dose_words(entry.dose.describe()), together(format_duration(entry.seconds))]
             for index, entry in enumerate(entries, start=1)]
    if not page.table(columns, cells):
        for index, entry in enumerate(entries, start=1):
            page.hanging(f"{index:>2}.", f"{_clock(entry.start)} {entry.exercise.name}: "
                                         f"{_dose_words(entry.dose.describe())}, "
                                         f"{together(format_duration(entry.seconds))}")
    page.add()
    for entry in entries:
        if hidden and entry.exercise.id in hidden:
            page.add(f"Left out of your sessions: {entry.exercise.name}: "
                     f"{hidden[entry.exercise.id]}", "yellow")
    order = order_warning(routine, catalog)
    if order is not None:
        page.add(f"Warning: {order}", "yellow")
    page.add(f"Total: {format_duration(total)}. Start it with `backcoach run {routine.id}`.")
    page.add(f"File: {routine.origin.path} ({_source(routine, catalog)})")
    return page


def _dose_words(text: str) -> str:
    """`3 x 30 s each side` that breaks, if it must, only before `each side`."""
    head, sep, tail = text.partition(" s ")
    if not sep:
        return together(text)
    return together(head + " s") + " " + together(tail)


def _clock(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}:{secs:02d}"


def print_definition(definition: Definition, catalog: Catalog,
                     hidden: dict[str, str] | None = None, pictures: bool = True,
                     pager: bool = True) -> None:
    """The `show` page of an exercise or routine (through the pager when it does not fit the
    terminal, unless `pager` is False)."""
    width = page_width()
    page = (routine_page(definition, catalog, width, hidden) if isinstance(definition, Routine)
            else exercise_page(definition, catalog, width, hidden, pictures))
    page.write(pager=pager)
