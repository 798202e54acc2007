"""Find, load and cross-check exercise and routine files; a user's file overrides a built-in."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from backcoach import paths
from backcoach.errors import BadInput, InvalidFiles, Problem
from backcoach.library import ordering, schema
from backcoach.library.model import Dose, Exercise, Origin, Routine
from backcoach.library.yamlsrc import YamlFailure, compose, position, read_text
from backcoach.safetext import visible

Definition = Exercise | Routine
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class ParsedFile:
    """One file's result: its definition (when it had no problems) and what it references."""

    path: Path
    kind: str
    definition: Definition | None
    collector: schema.Collector
    id_node: yaml.Node | None = None
    node: yaml.Node | None = None  # the file's top mapping, to place warnings

    def alias_node(self, alias: str) -> yaml.Node | None:
        """Where an alias is written in this file, to place a problem with it."""
        aliases = schema.value_node(self.node, "aliases") \
            if isinstance(self.node, yaml.MappingNode) else None
        if isinstance(aliases, yaml.SequenceNode):
            return next((item for item in aliases.value
                         if getattr(item, "value", None) == alias), aliases)
        return self.id_node


def shown_path(path: Path) -> str:
    """A path as it should appear in messages: relative to the current folder when inside it.

    A shared file's name may hold escape sequences or line breaks: they are shown as \\uXXXX.
    """
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return visible(str(path))
    return visible(str(path) if relative.startswith("..") else relative)


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def kind_of(path: Path, node: yaml.Node | None) -> str:
    """`routine` for files in a routines/ folder or with an `exercises:` key, else `exercise`."""
    if path.absolute().parent.name == "routines":  # also for `validate x.yaml` run inside it
        return "routine"
    if isinstance(node, yaml.MappingNode) and any(
            getattr(key, "value", None) == "exercises" for key, _ in node.value):
        return "routine"
    return "exercise"


def parse_file(path: Path, builtin: bool = False) -> ParsedFile:
    """Read and check one file; every problem is in the result's collector."""
    shown = shown_path(path)
    out = schema.Collector(shown)
    try:
        node = compose(read_text(path, shown), shown)
    except YamlFailure as failure:
        out.problems.append(failure.problem)
        return ParsedFile(path, kind_of(path, None), None, out)
    kind = kind_of(path, node)
    if node is None or (node.tag == schema.NULL and not node.value):  # nothing, or only '---'
        out.problems.append(Problem(shown, 1, 1, f"file is empty; {_a(kind)} needs at least "
                                    + ", ".join(f.name for f in schema.FIELDS[kind]
                                                if f.required)))
        return ParsedFile(path, kind, None, out)
    if not isinstance(node, yaml.MappingNode):
        line, col = position(node)
        out.problems.append(Problem(shown, line, col, f"{_a(kind)} file must be a mapping of "
                                    f"'key: value' lines, got {schema.describe(node)}"))
        return ParsedFile(path, kind, None, out)
    values, ok = schema.read_mapping(node, schema.FIELDS[kind], out, kind)
    id_node = next((v for k, v in node.value if getattr(k, "value", None) == "id"), None)
    if ok and id_node is not None and values["id"] != path.stem:
        out.add(f"id '{values['id']}' does not match the file name '{path.name}'; rename the "
                f"file to {values['id']}{path.suffix} or change the id", id_node)
        ok = False
    if kind == "exercise" and "id" in values:
        for key in ("easier", "harder"):
            if key in values:
                ref_node = next(v for k, v in node.value if k.value == key)
                out.ref(f"{key}: ", values[key], ref_node)
    if not ok:
        return ParsedFile(path, kind, None, out, id_node)
    origin = Origin(shown, builtin)
    definition: Definition = (schema.build_routine(values, origin) if kind == "routine"
                              else schema.build_exercise(values, origin))
    return ParsedFile(path, kind, definition, out, id_node, node)


def yaml_files(root: Path) -> list[Path]:
    """YAML files under a folder (sorted), or the path itself when it is a file."""
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
    return [root]


@dataclass
class Catalog:
    """Every exercise and routine in force, and the built-ins that user files replaced."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)
    replaced: dict[str, Definition] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)  # alias -> exercise id

    def _aliased(self, name: str) -> Exercise | None:
        ident = self.aliases.get(name)
        return self.exercises.get(ident) if ident is not None else None

    def get(self, name: str) -> Definition:
        """An exercise or routine by id or alias; BadInput with a suggestion when there is none."""
        found = self.routines.get(name) or self.exercises.get(name) or self._aliased(name)
        if found is None:
            known = [*self.routines, *self.exercises, *self.aliases]
            raise BadInput(f"no exercise or routine called '{schema.clip(name)}'"
                           f"{schema.did_you_mean(name, known)}; `backcoach list` shows them all")
        return found

    def routine(self, name: str) -> Routine:
        """A routine by id; BadInput when there is none."""
        if name not in self.routines:
            hint = (" (that is an exercise; run it with --only)" if name in self.exercises
                    else schema.did_you_mean(name, list(self.routines)))
            raise BadInput(f"no routine called '{schema.clip(name)}'{hint}; "
                           "`backcoach list` shows them all")
        return self.routines[name]

    def exercise(self, name: str) -> Exercise:
        """An exercise by id or alias; BadInput when there is none."""
        found = self.exercises.get(name) or self._aliased(name)
        if found is None:
            raise BadInput(f"no exercise called '{schema.clip(name)}'"
                           f"{schema.did_you_mean(name, [*self.exercises, *self.aliases])}; "
                           "`backcoach list` shows them all")
        return found


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while files are parsed (reference counting
    still frees everything at once). The node trees kept for messages pile up by the thousand
    in a big library, and collecting passes over them took a third of `validate`'s time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Layer:
    """The files of one source (built-in, the user's, or the ones being validated)."""

    def __init__(self, files: Iterable[Path], builtin: bool) -> None:
        with _cycle_collector_paused():
            self.parsed = [parse_file(path, builtin) for path in files]
        self.problems = [p for parsed in self.parsed for p in parsed.collector.problems]
        self.exercises: dict[str, Exercise] = {}
        self.routines: dict[str, Routine] = {}
        first_seen: dict[str, ParsedFile] = {}
        for parsed in self.parsed:
            if parsed.definition is None or parsed.id_node is None:
                continue
            ident = parsed.definition.id
            earlier = first_seen.get(ident)
            if earlier is not None:
                line, _ = position(earlier.id_node) if earlier.id_node else (1, 1)
                parsed.collector.add(f"id '{ident}' is already used by {earlier.kind} "
                                     f"{earlier.collector.path}:{line}; ids must be unique",
                                     parsed.id_node)
                self.problems.append(parsed.collector.problems[-1])
                continue
            first_seen[ident] = parsed
            if isinstance(parsed.definition, Routine):
                self.routines[ident] = parsed.definition
            else:
                self.exercises[ident] = parsed.definition


def _check_references(layers: list[_Layer], exercises: dict[str, Exercise],
                      routines: dict[str, Routine]) -> list[Problem]:
    problems = []
    aliases = {alias: exercise.id for exercise in exercises.values()
               for alias in exercise.aliases}
    for layer in layers:
        for parsed in layer.parsed:
            for what, ident, node in parsed.collector.refs:
                if ident not in exercises:
                    line, col = position(node)
                    # A routine naming a routine (itself, say) is not a typo: say what it is.
                    message = (f"'{ident}' is a routine; a routine can list only exercises"
                               if ident in routines else
                               f"'{ident}' is another name of exercise '{aliases[ident]}'; "
                               f"files name exercises by id: write {aliases[ident]}"
                               if ident in aliases else
                               f"unknown exercise '{ident}'"
                               f"{schema.did_you_mean(ident, list(exercises))}; `backcoach "
                               "list` shows the ids")
                    problems.append(Problem(parsed.collector.path, line, col, what + message))
    return problems


def _merge(layers: list[_Layer]) -> Catalog:
    catalog = Catalog()
    for layer in layers:
        for ident, exercise in layer.exercises.items():
            if ident in catalog.exercises:
                catalog.replaced[ident] = catalog.exercises[ident]
            catalog.exercises[ident] = exercise
        for ident, routine in layer.routines.items():
            if ident in catalog.routines:
                catalog.replaced[ident] = catalog.routines[ident]
            catalog.routines[ident] = routine
        catalog.problems.extend(layer.problems)
    catalog.problems.extend(_check_references(layers, catalog.exercises, catalog.routines))
    catalog.problems.extend(_collect_aliases(layers, catalog))
    catalog.problems.sort()
    return catalog


def _collect_aliases(layers: list[_Layer], catalog: Catalog) -> list[Problem]:
    """Fill `catalog.aliases` from the exercises in force; an alias that is already an id or
    another exercise's alias is a problem where it is written (and is not used)."""
    where = {id(parsed.definition): parsed for layer in layers for parsed in layer.parsed
             if parsed.definition is not None}
    problems = []
    for exercise in catalog.exercises.values():
        for alias in exercise.aliases:
            taken = ("exercise" if alias in catalog.exercises else
                     "routine" if alias in catalog.routines else None)
            message = (f"alias '{alias}' is already the id of {_a(taken)} '{alias}'" if taken
                       else f"alias '{alias}' is already used by exercise "
                            f"'{catalog.aliases[alias]}'" if alias in catalog.aliases
                       else None)
            if message is None:
                catalog.aliases[alias] = exercise.id
                continue
            parsed = where.get(id(exercise))
            node = parsed.alias_node(alias) if parsed is not None else None
            path = parsed.collector.path if parsed is not None else exercise.origin.path
            line, col = position(node) if node is not None else (1, 1)
            problems.append(Problem(path, line, col, f"aliases: {message}; aliases must be "
                                    "unique across exercises and routines"))
    return problems


def user_files() -> list[Path]:
    """Every YAML file in the user's exercise and routine folders."""
    return [f for folder in paths.user_library_dirs() if folder.is_dir()
            for f in yaml_files(folder)]


def load_catalog(strict: bool = True) -> Catalog:
    """Built-ins overlaid with the user's files. Strict: any problem raises InvalidFiles."""
    builtin = _Layer(yaml_files(paths.builtin_dir()), builtin=True)
    user = _Layer(user_files(), builtin=False)
    catalog = _merge([builtin, user])
    if strict and catalog.problems:
        raise InvalidFiles(catalog.problems)
    return catalog


@dataclass
class Validation:
    """What `validate` found: how many files, their problems, and warnings that do not stop use."""

    files: int
    problems: list[Problem]
    warnings: list[Problem]


def validate_files(targets: list[Path], skip: Iterable[Path] = ()) -> Validation:
    """Check files and folders: every problem, and warnings (such as the order of a routine).

    Files in `skip` found inside a folder are left out (the settings file is not an exercise).
    """
    missing = [t for t in targets if not t.exists()]
    if missing:
        raise BadInput(f"no such file or folder: {shown_path(missing[0])}")
    skipped = {path.resolve() for path in skip}
    files = [f for target in targets for f in yaml_files(target)
             if f == target or f.resolve() not in skipped]
    base = [_Layer(yaml_files(paths.builtin_dir()), builtin=True),
            _Layer(user_files(), builtin=False)]
    checked = _Layer(files, builtin=False)
    # Only the files asked about are reported; the others just supply ids to refer to.
    for layer in base:
        layer.problems = []
        layer.parsed = []
    catalog = _merge([*base, checked])
    warnings = []
    for parsed in checked.parsed:
        routine = parsed.definition
        if not isinstance(routine, Routine) or catalog.routines.get(routine.id) is not routine:
            continue
        message = order_warning(routine, catalog)
        if message is not None:
            line, col = _key_position(parsed.node, "exercises")
            warnings.append(Problem(parsed.collector.path, line, col, f"warning: {message}"))
    return Validation(len(files), catalog.problems, sorted(warnings))


def _key_position(node: yaml.Node | None, key: str) -> tuple[int, int]:
    """Where a top-level key is written, or 1:1."""
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if getattr(key_node, "value", None) == key:
                return position(key_node)
    return 1, 1


def order_warning(routine: Routine, catalog: Catalog) -> str | None:
    """Why and how to reorder a routine that gets the person up and down more than needed."""
    if any(item.exercise_id not in catalog.exercises for item in routine.items):
        return None  # an unknown exercise is already reported as a problem
    entries = routine_entries(routine, catalog)
    positions = [exercise.position for exercise, _ in entries]
    advice = ordering.advise(positions)
    if advice is None:
        return None
    return ordering.describe(advice, [exercise.id for exercise, _ in entries], positions)


def routine_entries(routine: Routine, catalog: Catalog) -> list[tuple[Exercise, Dose]]:
    """The routine's exercises with the dose each one gets there (overrides applied)."""
    return [(catalog.exercise(item.exercise_id), item.override.apply(
        catalog.exercise(item.exercise_id).dose)) for item in routine.items]


@dataclass(frozen=True)
class TimedEntry:
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
