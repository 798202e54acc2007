"""The exercises and routines in force, and what they add up to: look-ups by id or alias,
each routine's timeline and total time. A user's file overrides a built-in one.

Reading the files is `loading` (YAML, checks with line:col); `load_catalog` takes the parsed
library from `cache` when no file has changed since it was last read, so most commands never
import the YAML parser at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from backcoach import paths
from backcoach.errors import BadInput, InvalidFiles, Problem
from backcoach.library import folders
from backcoach.library.model import Dose, Exercise, Lesson, Routine
from backcoach.record import Record
from backcoach.safetext import visible

Definition = Exercise | Routine
Parsed = Exercise | Routine | Lesson  # what a file can hold

YAML_SUFFIXES = folders.YAML_SUFFIXES


def shown_path(path: Path) -> str:
    """A path as it should appear in messages: relative to the current folder when inside it.

    A shared file's name may hold escape sequences or line breaks: they are shown as \\uXXXX.
    """
    absolute = os.path.abspath(path)
    if os.sep == "/" and not absolute.startswith("//"):
        # What relpath gives, without its second abspath and the lists it compares: a third
        # of the time for each of the thousands of paths `validate` shows. `//` is a root of
        # its own in POSIX, left to relpath.
        here = os.path.join(os.getcwd(), "")  # with the separator at its end
        if absolute.startswith(here):
            relative = absolute[len(here):] or os.curdir
        elif absolute + os.sep == here:
            relative = os.curdir
        else:
            return visible(str(path))  # outside the current folder: relpath starts with '..'
    else:
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            return visible(str(path))
    return visible(str(path) if relative.startswith("..") else relative)


class Catalog(Record):
    """Every exercise and routine in force, and the built-ins that user files replaced.

    Lessons have ids of their own (`backcoach learn ID`), apart from exercises and routines.
    `broken` holds the ids not in force because a file of the user's has problems: the file
    for the id, or one it depends on (a routine naming a broken exercise), each with the
    problems to show. `aliases` maps each alias to its exercise's id.
    """

    __slots__ = (
        "aliases",
        "broken",
        "exercises",
        "lessons",
        "problems",
        "replaced",
        "routines",
    )

    def __init__(self, exercises: dict[str, Exercise] | None = None,
                 routines: dict[str, Routine] | None = None,
                 replaced: dict[str, Definition] | None = None,
                 lessons: dict[str, Lesson] | None = None,
                 problems: list[Problem] | None = None,
                 broken: dict[str, list[Problem]] | None = None,
                 aliases: dict[str, str] | None = None) -> None:
        self.exercises: dict[str, Exercise] = exercises if exercises is not None else {}
        self.routines: dict[str, Routine] = routines if routines is not None else {}
        self.replaced: dict[str, Definition] = replaced if replaced is not None else {}
        self.lessons: dict[str, Lesson] = lessons if lessons is not None else {}
        self.problems: list[Problem] = problems if problems is not None else []
        self.broken: dict[str, list[Problem]] = broken if broken is not None else {}
        self.aliases: dict[str, str] = aliases if aliases is not None else {}

    def _aliased(self, name: str) -> Exercise | None:
        ident = self.aliases.get(name)
        return self.exercises.get(ident) if ident is not None else None

    def _check_not_broken(self, name: str) -> None:
        if name in self.broken:
            raise InvalidFiles(self.broken[name])

    @staticmethod
    def _none_called(what: str, name: str, known: list[str], hint: str | None = None) -> BadInput:
        # The wording helpers live with the schema (and the YAML parser): an error path only.
        from backcoach.library.schema import clip, did_you_mean

        return BadInput(f"no {what} called '{clip(name)}'"
                        f"{did_you_mean(name, known) if hint is None else hint}; "
                        "`backcoach list` shows them all")

    def get(self, name: str) -> Definition:
        """An exercise or routine by id or alias; InvalidFiles naming the broken file when the
        id is out of force because of it; BadInput with a suggestion when there is none."""
        found = self.routines.get(name) or self.exercises.get(name) or self._aliased(name)
        if found is None:
            self._check_not_broken(name)
            raise self._none_called("exercise or routine", name,
                                    [*self.routines, *self.exercises, *self.aliases])
        return found

    def routine(self, name: str) -> Routine:
        """A routine by id; InvalidFiles naming the broken file when the id is out of force
        because of it; BadInput when there is none."""
        if name not in self.routines:
            self._check_not_broken(name)
            hint = " (that is an exercise; run it with --only)" if name in self.exercises \
                else None
            raise self._none_called("routine", name, list(self.routines), hint)
        return self.routines[name]

    def exercise(self, name: str) -> Exercise:
        """An exercise by id or alias; InvalidFiles naming the broken file when the id is out
        of force because of it; BadInput when there is none."""
        found = self.exercises.get(name) or self._aliased(name)
        if found is None:
            self._check_not_broken(name)
            raise self._none_called("exercise", name, [*self.exercises, *self.aliases])
        return found


def user_scan() -> folders.Scan:
    """The user's exercise and routine folders, read within bounds: their YAML files, the
    problems with the folders themselves, and the other files passed over."""
    found = folders.Scan()
    base = paths.config_dir()
    for folder in paths.user_library_dirs():
        if folder.is_dir():
            folders.scan(folder, boundary=base, found=found, show=shown_path)
        elif os.path.lexists(folder):
            found.problems.append(Problem(shown_path(folder), 1, 1, "not a folder (a file or "
                                          "a dangling link); backcoach reads your files from a "
                                          "folder of this name. Move it aside"))
    found.files.sort()
    return found


def user_files() -> list[Path]:
    """Every YAML file in the user's exercise and routine folders."""
    return user_scan().files


def load_catalog(strict: bool = True) -> Catalog:
    """Built-ins overlaid with the user's files: read from the cache when none has changed
    since they were last read, else parsed and checked. Strict: any problem raises
    InvalidFiles."""
    from backcoach.library.cache import cached_catalog

    catalog = cached_catalog(user_scan())
    if strict and catalog.problems:
        raise InvalidFiles(catalog.problems)
    return catalog


def order_warning(routine: Routine, catalog: Catalog) -> str | None:
    """Why and how to reorder a routine that gets the person up and down more than needed."""
    from backcoach.library import ordering  # `show` and `validate` ask; a session does not

    if any(item.exercise_id not in catalog.exercises for item in routine.items):
        return None  # an unknown exercise is already reported as a problem
    # Only where each exercise is done matters here, not its dose in the routine.
    exercises = [catalog.exercises[item.exercise_id] for item in routine.items]
    positions = [exercise.position for exercise in exercises]
    advice = ordering.advise(positions)
    if advice is None:
        return None
    return ordering.describe(advice, [exercise.id for exercise in exercises], positions)


def routine_entries(routine: Routine, catalog: Catalog) -> list[tuple[Exercise, Dose]]:
    """The routine's exercises with the dose each one gets there (overrides applied)."""
    return [(catalog.exercise(item.exercise_id), item.override.apply(
        catalog.exercise(item.exercise_id).dose)) for item in routine.items]


class TimedEntry(NamedTuple):
    """One exercise of a session as planned: its dose there, and when it starts and how long
    it takes, in seconds at speed 1 from the start of the session."""

    exercise: Exercise
    dose: Dose
    start: int
    seconds: int

    @property
    def end(self) -> int:
        """When it ends (the rest before the next exercise not included)."""
        return self.start + self.seconds


def timed(entries: Iterable[tuple[Exercise, Dose]], rest_between: int) -> list[TimedEntry]:
    """Exercises with their doses laid end to end, `rest_between` seconds apart: the one
    source of a session's timeline (`show`, `list`, totals)."""
    timeline: list[TimedEntry] = []
    start = 0
    for exercise, dose in entries:
        if timeline:
            start = timeline[-1].end + rest_between
        timeline.append(TimedEntry(exercise, dose, start, dose.total_seconds()))
    return timeline


def timeline(routine: Routine, catalog: Catalog) -> list[TimedEntry]:
    """The routine's exercises in order, each with its dose there, start and length."""
    return timed(routine_entries(routine, catalog), routine.rest_between)


def total_seconds(definition: Definition, catalog: Catalog) -> int:
    """Planned length at speed 1: an exercise's dose, or a routine's exercises plus rests."""
    if isinstance(definition, Exercise):
        return definition.dose.total_seconds()
    entries = timeline(definition, catalog)
    return entries[-1].end if entries else 0
