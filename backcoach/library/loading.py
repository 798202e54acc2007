"""Read exercise and routine files and cross-check them into a catalog: every problem of
every file with its line and column, ids unique across files, references to exercises that
exist, and a user's broken file out of force together with what relies on it.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import yaml

from backcoach import paths
from backcoach.errors import BadInput, Problem
from backcoach.library import folders, schema
from backcoach.library.catalog import (
    Catalog,
    Parsed,
    order_warning,
    shown_path,
    user_files,
)
from backcoach.library.model import Exercise, Lesson, Origin, Routine
from backcoach.library.yamlsrc import (
    MAX_FILE_BYTES,
    YamlFailure,
    compose,
    position,
    read_text,
)


@dataclass
class ParsedFile:
    """One file's result: its definition (when it had no problems) and what it references.

    Only the few nodes that later checks place messages at are kept, not the file's whole node
    tree: each tree is freed as soon as its file is checked (a library of 1,200 files peaked
    at 50 MiB with every tree kept, 24 MiB without).
    """

    path: Path
    kind: str
    definition: Parsed | None
    collector: schema.Collector
    id_node: yaml.Node | None = None
    aliases: yaml.Node | None = None  # the value of `aliases:`, to place a problem with one
    exercises_at: tuple[int, int] = (1, 1)  # where `exercises:` is written, for the warning

    def alias_node(self, alias: str) -> yaml.Node | None:
        """Where an alias is written in this file, to place a problem with it."""
        if isinstance(self.aliases, yaml.SequenceNode):
            return next((item for item in self.aliases.value
                         if getattr(item, "value", None) == alias), self.aliases)
        return self.id_node


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def kind_of(path: Path, node: yaml.Node | None) -> str:
    """`routine` for files in a routines/ folder or with an `exercises:` key, `lesson` for
    files in a lessons/ folder or with a `text:` key, else `exercise`."""
    folder = path.absolute().parent.name  # also for `validate x.yaml` run inside it
    if folder in ("routines", "lessons"):
        return folder.removesuffix("s")
    keys = {key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)} \
        if isinstance(node, yaml.MappingNode) else set()
    if "exercises" in keys:
        return "routine"
    if "text" in keys and "steps" not in keys:
        return "lesson"
    return "exercise"


def parse_file(path: Path, builtin: bool = False) -> ParsedFile:
    """Read and check one file; every problem is in the result's collector (past
    schema.MAX_PROBLEMS, a line says how many more)."""
    parsed = _parse_file(path, builtin)
    parsed.collector.close()
    return parsed


def _parse_file(path: Path, builtin: bool) -> ParsedFile:
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
    values, ok = schema.read_mapping(node, schema.FIELDS[kind], out, kind,
                                     schema.RULES.get(kind, ()))
    id_node = next((v for k, v in node.value if getattr(k, "value", None) == "id"), None)
    if ok and id_node is not None and values["id"] != path.stem:
        out.add(f"id '{values['id']}' does not match the file name '{path.name}'; rename the "
                f"file to {values['id']}{path.suffix.lower()} or change the id", id_node)
        ok = False
    if kind == "exercise" and "id" in values:
        for key in ("easier", "harder"):
            if key in values:
                ref_node = next(v for k, v in node.value if k.value == key)
                out.ref(f"{key}: ", values[key], ref_node)
    if not ok:
        return ParsedFile(path, kind, None, out, id_node)
    origin = Origin(shown, builtin)
    definition: Parsed = (schema.build_routine(values, origin) if kind == "routine"
                          else schema.build_lesson(values, origin) if kind == "lesson"
                          else schema.build_exercise(values, origin))
    return ParsedFile(path, kind, definition, out, id_node, schema.value_node(node, "aliases"),
                      _key_position(node, "exercises") if kind == "routine" else (1, 1))


def yaml_files(root: Path) -> list[Path]:
    """YAML files under a folder (sorted, within the bounds of `folders.scan`), or the path
    itself when it is a file."""
    return folders.scan(root, show=shown_path).files


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while files are parsed and cross-checked
    (reference counting still frees everything at once). The node trees kept for messages pile
    up by the thousand in a big library: collecting passes over them took a third of
    `validate`'s time while parsing, and a sixth more in the checks across files after it."""
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
        self.builtin = builtin
        self.parsed = [parse_file(path, builtin) for path in files]
        self.exercises: dict[str, Exercise] = {}
        self.routines: dict[str, Routine] = {}
        self.lessons: dict[str, Lesson] = {}
        first_seen: dict[tuple[bool, str], ParsedFile] = {}
        for parsed in self.parsed:
            if parsed.definition is None or parsed.id_node is None:
                continue
            ident = parsed.definition.id
            # Lessons have ids of their own; exercises and routines share theirs.
            key = (isinstance(parsed.definition, Lesson), ident)
            earlier = first_seen.get(key)
            if earlier is not None:
                line, _ = position(earlier.id_node) if earlier.id_node else (1, 1)
                parsed.collector.add(f"id '{ident}' is already used by {earlier.kind} "
                                     f"{earlier.collector.path}:{line}; ids must be unique",
                                     parsed.id_node)
                continue
            first_seen[key] = parsed
            if isinstance(parsed.definition, Routine):
                self.routines[ident] = parsed.definition
            elif isinstance(parsed.definition, Lesson):
                self.lessons[ident] = parsed.definition
            else:
                self.exercises[ident] = parsed.definition
        # The files with problems, by the ids they claim: kept when `validate` stops
        # reporting a layer, to say which file an unknown id is in.
        self.failed: dict[str, str] = {ident: parsed.collector.path for parsed in self.parsed
                                       if parsed.collector.problems
                                       for ident in _claimed_ids(parsed)}

    @property
    def problems(self) -> list[Problem]:
        """Every problem found in the files of this layer so far."""
        return [p for parsed in self.parsed for p in parsed.collector.problems]


def _claimed_ids(parsed: ParsedFile) -> set[str]:
    """The ids a file stands for: its name (ids must match it), and the id it gives."""
    ids = {parsed.path.stem}
    if parsed.definition is not None:
        ids.add(parsed.definition.id)
    elif isinstance(parsed.id_node, yaml.ScalarNode):
        ids.add(str(parsed.id_node.value))
    return ids


def _clash(parsed: ParsedFile, catalog: Catalog) -> None:
    """A user file whose id is an id of the other kind already in force: `show ID` and `run
    ID` could not tell them apart, so it is a problem (as `new` refuses such an id)."""
    definition = parsed.definition
    if definition is None or parsed.id_node is None or isinstance(definition, Lesson):
        return
    other = catalog.exercises if isinstance(definition, Routine) else catalog.routines
    found = other.get(definition.id)
    if found is None:
        return
    kind = "exercise" if isinstance(definition, Routine) else "routine"
    whose = "a built-in" if found.origin.builtin else "your"
    parsed.collector.add(f"id '{definition.id}' is already the id of {whose} {kind} "
                         f"({found.origin.path}); pick another id so `show` and `run` know "
                         "which one you mean", parsed.id_node)


def _merge(layers: list[_Layer], folder_problems: Iterable[Problem] = ()) -> Catalog:
    """One catalog from layers in order (a later id replaces an earlier one). A user's file
    with problems takes its id out of force (a built-in of that id too: the person meant
    theirs), and so does every routine that names it; `broken` keeps the problems to show."""
    catalog = Catalog()
    for layer in layers:
        for parsed in layer.parsed:
            if not layer.builtin:
                _clash(parsed, catalog)
        for ident, exercise in layer.exercises.items():
            if ident in catalog.exercises:
                catalog.replaced[ident] = catalog.exercises[ident]
            catalog.exercises[ident] = exercise
        for ident, routine in layer.routines.items():
            if ident in catalog.routines:
                catalog.replaced[ident] = catalog.routines[ident]
            catalog.routines[ident] = routine
        catalog.lessons.update(layer.lessons)  # a lesson of the user's replaces a built-in
    failed = {ident: path for layer in layers for ident, path in layer.failed.items()}
    # Why each id is out of force: the files whose problems explain it.
    causes: dict[str, list[ParsedFile]] = {}
    for layer in layers:
        for parsed in layer.parsed:
            if parsed.collector.problems:
                _take_out(catalog, causes, _claimed_ids(parsed), [parsed], parsed.kind)
    _check_references(layers, catalog, failed, causes)
    _collect_aliases(layers, catalog, causes)
    for ident, files in causes.items():
        catalog.broken[ident] = sorted({p for parsed in files for p in parsed.collector.problems})
    catalog.problems = sorted({*folder_problems,
                               *(p for layer in layers for p in layer.problems)})
    return catalog


def _take_out(catalog: Catalog, causes: dict[str, list[ParsedFile]], ids: Iterable[str],
              files: list[ParsedFile], kind: str) -> bool:
    """Put ids of a kind out of force because of these files' problems (an id of the other
    kind stays: a user's exercise clashing with a built-in routine breaks only itself);
    whether any was in force."""
    was = False
    in_force: dict[str, Exercise] | dict[str, Routine] | dict[str, Lesson] = (
        catalog.routines if kind == "routine" else catalog.lessons if kind == "lesson"
        else catalog.exercises)
    for ident in ids:
        known = causes.setdefault(ident, [])
        known += [parsed for parsed in files if parsed not in known]
        was = in_force.pop(ident, None) is not None or was
    return was


def _check_references(layers: list[_Layer], catalog: Catalog, failed: dict[str, str],
                      causes: dict[str, list[ParsedFile]]) -> None:
    """Every id a file names must be an exercise in force. A user's file that names one that
    is not has a problem; a built-in routine that names one whose file of the user's is
    broken is out of force with that file's problems. Repeated until nothing changes: taking
    an exercise out can break a routine that names it."""
    for layer in layers:  # files already out of force: every problem of a file is listed
        for parsed in layer.parsed:
            if parsed.definition is None and not layer.builtin:
                for what, ident, node in parsed.collector.refs:
                    if ident not in catalog.exercises:
                        _reference_problem(parsed, what, ident, node, catalog, failed)
                        _add_causes(parsed, ident, causes)
    changed = True
    while changed:
        changed = False
        for layer in layers:
            for parsed in layer.parsed:
                definition = parsed.definition
                if definition is None or isinstance(definition, Lesson):
                    continue  # out of force already, or a lesson: it names no exercise
                in_force = catalog.routines if isinstance(definition, Routine) \
                    else catalog.exercises
                if in_force.get(definition.id) is not definition:
                    continue  # not in force (replaced, or out already): nothing relies on it
                for what, ident, node in parsed.collector.refs:
                    if ident in catalog.exercises:
                        continue
                    if layer.builtin:
                        if what:  # an easier or harder variant: only the swap is missing
                            continue
                        changed |= _take_out(catalog, causes, [definition.id],
                                             causes.get(ident, []), parsed.kind)
                        break
                    _reference_problem(parsed, what, ident, node, catalog, failed)
                    for claimed in _claimed_ids(parsed):
                        failed.setdefault(claimed, parsed.collector.path)
                    changed |= _take_out(catalog, causes, _claimed_ids(parsed),
                                         [parsed, *causes.get(ident, [])], parsed.kind)
                    break  # the file is out; its other references are checked by validate


def _add_causes(parsed: ParsedFile, ident: str, causes: dict[str, list[ParsedFile]]) -> None:
    """A file out of force that names a broken id: that id's files explain it too."""
    for claimed in _claimed_ids(parsed):
        known = causes.setdefault(claimed, [parsed])
        known += [file for file in causes.get(ident, []) if file not in known]


def _reference_problem(parsed: ParsedFile, what: str, ident: str, node: yaml.Node,
                       catalog: Catalog, failed: dict[str, str]) -> None:
    line, col = position(node)
    parsed.collector.problems.append(Problem(parsed.collector.path, line, col,
                                             what + _unknown(ident, catalog, failed)))


def _unknown(ident: str, catalog: Catalog, failed: dict[str, str]) -> str:
    """Why an id named in a file is not an exercise in force, and what to do."""
    if ident in catalog.routines:  # a routine naming a routine (itself, say) is not a typo
        return f"'{ident}' is a routine; a routine can list only exercises"
    if ident in failed:
        return (f"exercise '{ident}' cannot be used until {failed[ident]} is fixed; "
                "`backcoach validate` lists its problems")
    named = next((e.id for e in catalog.exercises.values() if ident in e.aliases), None)
    if named is not None:
        return (f"'{ident}' is another name of exercise '{named}'; files name exercises by "
                f"id: write {named}")
    return (f"unknown exercise '{ident}'{schema.did_you_mean(ident, list(catalog.exercises))}; "
            "`backcoach list` shows the ids")


@dataclass
class Validation:
    """What `validate` found: how many files, their problems, warnings that do not stop use,
    and the files passed over (path as shown, why)."""

    files: int
    problems: list[Problem]
    warnings: list[Problem]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def validate_files(targets: list[Path], skip: Iterable[Path] = ()) -> Validation:
    """Check files and folders: every problem, and warnings (such as the order of a routine).

    Files in `skip` found inside a folder are left out (the settings file is not an exercise).
    """
    with _cycle_collector_paused():
        return _validate_files(targets, skip)


def _validate_files(targets: list[Path], skip: Iterable[Path]) -> Validation:
    missing = [t for t in targets if not os.path.lexists(t)]
    if missing:
        raise BadInput(f"no such file or folder: {shown_path(missing[0])}")
    skipped = {path.resolve() for path in skip}
    home = paths.config_dir()
    found = folders.Scan()
    for target in targets:
        # In the user's folder (as written: exercises/ itself may be a link to /), links may
        # lead only to places inside it; elsewhere, only inside the folder named.
        mine = _within(os.path.abspath(target), os.path.abspath(home)) or _within(
            os.path.realpath(target), os.path.realpath(home))
        folders.scan(target, boundary=home if mine else target, found=found, show=shown_path)
    named, skipped_names = set(targets), {path.name for path in skipped}
    files = [f for f in found.files
             if f in named or not _is_skipped(f, skipped, skipped_names)]
    base = [_Layer(yaml_files(paths.builtin_dir()), builtin=True),
            _Layer(user_files(), builtin=False)]
    checked = _Layer(files, builtin=False)
    catalog = _merge([*base, checked], found.problems)
    # Only the files asked about are reported; the others supply ids to refer to.
    asked = {parsed.collector.path for parsed in checked.parsed} | {
        problem.path for problem in found.problems}
    problems = [problem for problem in catalog.problems if problem.path in asked]
    warnings = [*checked_warnings(checked)]
    for parsed in checked.parsed:
        routine = parsed.definition
        if not isinstance(routine, Routine) or catalog.routines.get(routine.id) is not routine:
            continue
        message = order_warning(routine, catalog)
        if message is not None:
            line, col = parsed.exercises_at
            warnings.append(Problem(parsed.collector.path, line, col, f"warning: {message}"))
    passed_over = [(shown_path(path), why) for path, why in found.skipped]
    return Validation(len(files), problems, sorted(warnings), passed_over)


def _is_skipped(path: Path, skipped: set[Path], names: set[str]) -> bool:
    """Whether a file found in a folder is one of the `skipped` files (resolved paths; `names`
    are their names)."""
    # Only a link, or a file of the same name (in a linked folder, say), can resolve to one:
    # resolving every file (an lstat for each part of its path) cost 40 ms in 1,200 files.
    if not skipped or (path.name not in names and not os.path.islink(path)):  # never raises
        return False
    return path.resolve() in skipped


STDIN = "<stdin>"  # how problems in a file read from standard input are placed


def validate_stdin(stream: BinaryIO) -> Validation:
    """Check one exercise, routine or settings-free file read from standard input
    (`validate -`), against the library as `validate_files` does; problems are placed at
    `<stdin>:line:col`. Its kind comes from its content; its id stands for a file name."""
    import tempfile

    data = stream.read(MAX_FILE_BYTES + 1)  # one byte more than allowed: too big is said so
    ident = _ID_LINE.search(data)
    name = ident.group(1).decode() if ident else "stdin"
    with tempfile.TemporaryDirectory(prefix="backcoach-stdin-") as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_bytes(data)
        found = validate_files([path])
        here = shown_path(path)

    def placed(problem: Problem) -> Problem:
        return problem._replace(path=STDIN) if problem.path == here else problem

    return Validation(found.files, [placed(p) for p in found.problems],
                      [placed(w) for w in found.warnings])


# The id as a file would be named after it (a quoted id too); anything else checks as "stdin".
_ID_LINE = re.compile(rb"^id:[ \t]*['\"]?([a-z0-9]+(?:-[a-z0-9]+)*)['\"]?[ \t]*(?:#.*)?$",
                      re.MULTILINE)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def checked_warnings(layer: _Layer) -> list[Problem]:
    """Warnings the files' checks gave (a number read another way than YAML 1.1 would)."""
    return [w for parsed in layer.parsed for w in parsed.collector.warnings]


def _key_position(node: yaml.Node | None, key: str) -> tuple[int, int]:
    """Where a top-level key is written, or 1:1."""
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if getattr(key_node, "value", None) == key:
                return position(key_node)
    return 1, 1


def _collect_aliases(layers: list[_Layer], catalog: Catalog,
                     causes: dict[str, list[ParsedFile]]) -> None:
    """Fill `catalog.aliases` from the exercises in force. An alias that is already an id or
    another exercise's alias is a problem where it is written, and takes that file out of
    force like any other problem (a name must mean one thing)."""
    where = {id(parsed.definition): parsed for layer in layers for parsed in layer.parsed
             if parsed.definition is not None}
    for exercise in list(catalog.exercises.values()):
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
            if parsed is None:
                continue
            text = f"aliases: {message}; aliases must be unique across exercises and routines"
            node = parsed.alias_node(alias)
            if node is not None:
                parsed.collector.add(text, node)
            else:
                parsed.collector.problems.append(Problem(parsed.collector.path, 1, 1, text))
            _take_out(catalog, causes, _claimed_ids(parsed), [parsed], parsed.kind)


def build_catalog(found: folders.Scan) -> Catalog:
    """Parse and check the built-in files and the user's (found by `catalog.user_scan`), and
    merge them into the catalog in force."""
    with _cycle_collector_paused():
        builtin = _Layer(yaml_files(paths.builtin_dir()), builtin=True)
        user = _Layer(found.files, builtin=False)
        return _merge([builtin, user], found.problems)
