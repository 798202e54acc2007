"""Starting files for the user's own exercises and routines, and the schema files editors read.

A new file is either a template (every field, with its meaning as a comment, generated from the
schema so it cannot drift) or a copy of an existing file's text with its id changed, so the
original author's comments come along. Either way its first line points yaml-language-server
at a JSON Schema that backcoach keeps next to the user's files.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import yaml

from backcoach import homefiles, paths
from backcoach.errors import BackcoachError, BadInput, Problem
from backcoach.library import config, model, schema
from backcoach.library.catalog import Catalog, Parsed, shown_path, user_files
from backcoach.library.model import Lesson, Routine
from backcoach.library.yamlsrc import YamlFailure, compose, read_text

KINDS = ("exercise", "routine", "lesson")
MODELINE = "# yaml-language-server: $schema="
SCHEMA_FOLDER = "schema"
_ID = re.compile(schema.ID_PATTERN)


# ---------------------------------------------------------------- ids and places

def check_id(ident: str) -> str:
    """The id itself when it is valid; BadInput with a valid suggestion when not."""
    if len(ident) <= schema.MAX_ID and _ID.match(ident):
        return ident
    slug = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")[: schema.MAX_ID].strip("-")
    hint = f" such as {slug}" if slug and _ID.match(slug) else " such as my-routine"
    raise BadInput(f"'{schema.clip(ident)}' is not a valid id: use lowercase letters, digits and "
                   f"single hyphens,{hint} (it becomes the file name)")


def check_kind(kind: str) -> str:
    """exercise, routine or lesson; BadInput otherwise."""
    if kind not in KINDS:
        raise BadInput(f"the kind of file is exercise, routine or lesson, got "
                       f"'{schema.clip(kind)}'{schema.did_you_mean(kind, KINDS)}")
    return kind


def folder_for(kind: str) -> Path:
    """The user's folder for a kind of file."""
    exercises, routines, lessons = paths.user_library_dirs()
    return routines if kind == "routine" else lessons if kind == "lesson" else exercises


def user_files_named(ident: str) -> list[Path]:
    """The user's files for an id (by file name, so a broken file is found too)."""
    return [path for path in user_files() if path.stem == ident]


def kind_of_definition(definition: Parsed) -> str:
    """routine, lesson or exercise."""
    if isinstance(definition, Lesson):
        return "lesson"
    return "routine" if isinstance(definition, Routine) else "exercise"


# ---------------------------------------------------------------- schema files for editors

def schema_dir() -> Path:
    """Where the JSON Schema files for editors are kept, next to the user's folders."""
    return paths.config_dir() / SCHEMA_FOLDER


def write_schema_files() -> Path:
    """Write (or refresh) exercise, routine, lesson and config schema files; return their
    folder."""
    folder = homefiles.ensure_folder(schema_dir())
    documents = {kind: schema.json_schema(kind) for kind in KINDS}
    documents["config"] = config.json_schema()
    for kind, document in documents.items():
        # Refreshed when it differs, so a newer backcoach's fields reach the editor; a link
        # put in its place is replaced, never written through.
        homefiles.refresh_file(folder / f"{kind}.schema.json",
                               json.dumps(document, indent=2) + "\n")
    return folder


def modeline(kind: str) -> str:
    """The first line of a user file: its schema, relative to the file (exercises/, routines/)."""
    return f"{MODELINE}../{SCHEMA_FOLDER}/{kind}.schema.json"


# ---------------------------------------------------------------- templates

def _title(ident: str) -> str:
    words = ident.replace("-", " ")
    return words[:1].upper() + words[1:]


def _comment(text: str) -> list[str]:
    return textwrap.wrap(text, 98, initial_indent="# ", subsequent_indent="# ")


def _doc(spec: schema.Field) -> list[str]:
    shown = spec.default_text
    shown = "" if shown in ("''", "[]") else shown  # "default nothing" says little
    default = f" (default {shown})" if shown and not spec.required else ""
    return _comment(spec.doc + default)


def exercise_template(ident: str) -> str:
    """A new exercise with every field, each explained, that validates as it is."""
    examples: dict[str, list[str]] = {
        "id": [f"id: {ident}"],
        "name": [f"name: {_title(ident)}"],
        "summary": ["summary: What it stretches and why, in one line."],
        "family": ["family: other"],
        "type": ["type: stretch"],
        "position": ["position: lying"],
        "equipment": ["equipment: [mat]"],
        "sides": ["sides: [left, right]"],
        "hold": ["hold: 30s"],
        "tempo": ["# tempo: 4s"],
        "reps": ["reps: 3"],
        "rest": ["rest: 10s"],
        "setup": ["setup: 10s"],
        "switch": ["switch: 5s"],
        "steps": ["steps:", "  - Lie on your back on a mat, knees bent, feet flat.",
                  "  - Say what to do, one step a line, in the order it is done.",
                  "  - Come out of the stretch slowly."],
        "key_step": ["# key_step: 2"],
        "cues": ["cues:", "  - Breathe slowly."],
        "cautions": ["cautions:", "  - Go only as far as a gentle pull. It should never hurt."],
        "stop_if": ["stop_if:", "  - pain, tingling or numbness spreads down your leg",
                    "  - you feel a sharp pain"],
        "contraindications": ["# contraindications: [osteoporosis]"],
        "regions": ["regions: [low-back]"],
        "aliases": ["# aliases: [my-stretch]"],
        "easier": ["# easier: knee-to-chest"],
        "harder": ["# harder: double-knee-to-chest"],
        "sources": ["sources:", "  - Who advised it (your physiotherapist, a leaflet, a website)"],
        # `|2`: the rows start with spaces, so YAML is told the drawing is indented by 2.
        "picture": ["# picture: |2", "#                 ╱╲", "#                ╱  ╲",
                    "#               ╱    ╲", "#    ●──────────╯      ╲▁",
                    "#   ▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔▔"],
    }
    lines = [modeline("exercise"),
             "# A backcoach exercise. Change what you like; `backcoach validate` checks it, and",
             f"# `backcoach run --only {ident}` tries it. Lines starting with # are comments.",
             "# Durations are written 30, 30s, 1m or 1m30s. Fields not needed can be deleted."]
    for spec in schema.EXERCISE_FIELDS:
        lines += ["", *_doc(spec), *examples[spec.name]]
    return "\n".join(lines) + "\n"


def routine_template(ident: str) -> str:
    """A new routine with every field, each explained, that validates as it is."""
    entry_keys = ", ".join(spec.name for spec in schema.ITEM_FIELDS[1:])
    examples: dict[str, list[str]] = {
        "id": [f"id: {ident}"],
        "name": [f"name: {_title(ident)}"],
        "description": ["description: When and where you do it, and what it is for."],
        "schedule": ["schedule: {per_day: 1, days_per_week: 5}"],
        "rest_between": ["rest_between: 15s"],
        "exercises": [
            *_comment(f"Each entry is an exercise id (`backcoach list` shows them), or id: with "
                      f"changes to its dose ({entry_keys}). An exercise may come more than once. "
                      "Keep exercises done in the same position together, lying, then "
                      "kneeling, sitting, standing, so you get up and down as little as "
                      "possible; `backcoach validate` warns when the order does not."),
            "exercises:",
            "  - knee-to-chest               # its own dose",
            "  - id: piriformis-figure-four  # with changes:",
            "    hold: 20s                   #   each hold",
            "    reps: 2                     #   holds on each side",
            "    rest: 15s                   #   rest between reps",
            "  - id: kneeling-hip-flexor",
            "    sides: [left]               # one side only",
            "  - neck-side-bend"],
        "prescribed_by": ["# prescribed_by: Your physiotherapist's name"],
        "prescribed_for": ["# prescribed_for: The name of the person it is for"],
        "notes": ["# notes:", "#   - Anything the person should know, one line each."],
    }
    lines = [modeline("routine"),
             "# A backcoach routine. Change what you like; `backcoach validate` checks it, and",
             f"# `backcoach run {ident}` runs it. Lines starting with # are comments.",
             "# Durations are written 30, 30s, 1m or 1m30s."]
    for spec in schema.ROUTINE_FIELDS:
        # The entries get a fuller comment of their own than the one-line field doc.
        lines += ["", *(_doc(spec) if spec.name != "exercises" else []), *examples[spec.name]]
    return "\n".join(lines) + "\n"


def lesson_template(ident: str) -> str:
    """A new lesson with every field, each explained, that validates as it is."""
    low, high = model.LESSON_WORDS
    examples: dict[str, list[str]] = {
        "id": [f"id: {ident}"],
        "title": [f"title: {_title(ident)}"],
        "text": ["text: >-",
                 "  Write what you want to remember in your own words, as if you were telling a",
                 "  friend. Keep it short and concrete: one idea, why it matters, and one thing",
                 "  to do about it today. A lesson is shown after a session that it fits, once,",
                 "  and `backcoach learn` lists every lesson so that you can read it again",
                 "  whenever you like. Like every lesson, it is sixty to a hundred and twenty",
                 "  words long."],
        "fits": ["fits: [steady, better]"],
        "order": ["order: 50"],
        "sources": ["sources:", "  - Who said it (your physiotherapist, a leaflet, a website)"],
    }
    lines = [modeline("lesson"),
             "# A backcoach lesson. Change what you like; `backcoach validate` checks it, and",
             f"# `backcoach learn {ident}` shows it. Lines starting with # are comments.",
             f"# The text is {low} to {high} words."]
    for spec in schema.LESSON_FIELDS:
        lines += ["", *_doc(spec), *examples[spec.name]]
    return "\n".join(lines) + "\n"


def template(kind: str, ident: str) -> str:
    """A new file of a kind."""
    if kind == "lesson":
        return lesson_template(ident)
    return routine_template(ident) if kind == "routine" else exercise_template(ident)


# ---------------------------------------------------------------- copies

def name_from_id(ident: str) -> str:
    """A name for a copy made under a new id: `my-morning` -> `My morning`."""
    words = ident.replace("-", " ")
    return words[:1].upper() + words[1:]


def _yaml_text(text: str) -> str:
    """Text as a YAML scalar that means exactly it: as written when YAML reads it back so
    (`My morning`), else double-quoted (a JSON string is a YAML double-quoted scalar)."""
    if re.fullmatch(r"[A-Za-z][\w ,.()'-]*", text) and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def copy_text(source: Parsed, ident: str, header: list[str],
              name: str | None = None) -> str:
    """The source file's text with its id set to `ident` (and its name to `name`, when given),
    under our modeline and a header.

    The text is kept as written (comments and layout); only the id's and name's values are
    replaced, where they stand. An old yaml-language-server line is dropped: ours points at the
    user's schema files.
    """
    kind = kind_of_definition(source)
    path = Path(source.origin.path)
    try:
        text = read_text(path, source.origin.path)
        node = compose(text, source.origin.path)
    except YamlFailure as failure:
        raise BackcoachError(f"cannot copy '{source.id}': {failure.problem}") from None
    id_node = None
    edits: list[tuple[int, int, str]] = []
    if isinstance(node, yaml.MappingNode):
        id_node = next((value for key, value in node.value
                        if getattr(key, "value", None) == "id"), None)
        # Other names are unique across the library: a copy under a new id keeps none of them.
        aliases = next(((key, value) for key, value in node.value
                        if getattr(key, "value", None) == "aliases"), None)
        if aliases is not None and ident != source.id:
            edits.append((aliases[0].start_mark.index, aliases[1].end_mark.index,
                          f"# aliases: none; '{source.id}' keeps its own (they must be unique)"))
    if id_node is None:
        raise BackcoachError(f"cannot copy '{source.id}': {source.origin.path} has no id line")
    edits.append((id_node.start_mark.index, id_node.end_mark.index, ident))
    name_node = next((value for key, value in node.value
                      if getattr(key, "value", None) == "name"), None) \
        if isinstance(node, yaml.MappingNode) else None
    if name is not None and name_node is not None:
        edits.append((name_node.start_mark.index, name_node.end_mark.index,
                      _yaml_text(name)))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    # Our own lines from an earlier copy would name the wrong file; the new header replaces them.
    kept = [line for line in text.splitlines()
            if not line.startswith((MODELINE, "# Started from the ", "# Give it a name of its",
                                    "# change `name:` to any"))]
    return "\n".join([modeline(kind), *header, *kept]) + "\n"


def find_source(catalog: Catalog, kind: str, ident: str) -> Parsed:
    """The exercise, routine or lesson in force to start a copy from; BadInput with a hint
    otherwise."""
    if kind == "lesson":
        if ident in catalog.lessons:
            return catalog.lessons[ident]
        raise BadInput(f"no lesson called '{schema.clip(ident)}' to copy"
                       f"{schema.did_you_mean(ident, list(catalog.lessons))}; `backcoach "
                       "learn` lists them all")
    mine = catalog.routines if kind == "routine" else catalog.exercises
    other = catalog.exercises if kind == "routine" else catalog.routines
    if ident in mine:
        return mine[ident]
    if ident in other:
        other_kind = "exercise" if kind == "routine" else "routine"
        raise BadInput(f"'{ident}' is {'an' if other_kind == 'exercise' else 'a'} {other_kind}, "
                       f"not {'a' if kind == 'routine' else 'an'} {kind}; "
                       f"`backcoach new {other_kind} ID --from {ident}` copies it")
    raise BadInput(f"no {kind} called '{schema.clip(ident)}' to copy"
                   f"{schema.did_you_mean(ident, list(mine))}; `backcoach list` shows them all")


# ---------------------------------------------------------------- new

MAX_NAME = 80  # as the `name` field allows


def new_file(catalog: Catalog, kind: str, ident: str, source_id: str | None = None,
             name: str | None = None) -> Path:
    """Write a new exercise or routine into the user's folder; return its path.

    Refuses (BadInput) an invalid id, an id the user already has a file for, and an id that a
    built-in uses unless copying (`--from`): replacing a built-in is done with `edit`. A copy
    under a new id gets a name of its own (`name`, else one made from the id), so `list`,
    `history` and `progress` can tell the two apart.
    """
    check_kind(kind)
    check_id(ident)
    if name is not None and (not name.strip() or len(name) > MAX_NAME
                             or not name.isprintable()):
        raise BadInput(f"--name must be 1 to {MAX_NAME} printable characters, got "
                       f"'{schema.clip(name)}'")
    existing = user_files_named(ident)
    if existing:
        homefiles.check_editable(existing[0])  # a dangling link: say that, not "edit it"
        raise BadInput(f"{shown_path(existing[0])} already exists; `backcoach edit {ident}` "
                       "opens it")
    builtin: Parsed | None = (catalog.lessons.get(ident) if kind == "lesson" else
                              catalog.routines.get(ident) or catalog.exercises.get(ident))
    if builtin is not None:
        builtin_kind = kind_of_definition(builtin)
        if builtin_kind != kind:
            raise BadInput(f"'{ident}' is already the id of a built-in {builtin_kind}; pick "
                           "another id so `show` and `run` know which one you mean")
        if source_id is None:
            raise BadInput(f"'{ident}' is a built-in {kind}; `backcoach edit {ident}` makes "
                           "your own copy of it to change, or pick another id")
    if source_id is not None:
        source = find_source(catalog, kind, source_id)
        label = f"{source.origin.label} {kind}"
        named = name if name is not None else name_from_id(ident)
        text = copy_text(source, ident, [f"# Started from the {label} '{source.id}' "
                                         f"({source.origin.path}), named after its id;",
                                         "# change `name:` to any name you like."], named)
    else:
        text = template(kind, ident)
    path = folder_for(kind) / f"{ident}.yaml"
    _write_new(path, text, ident)
    return path


def _write_new(path: Path, text: str, ident: str) -> None:
    """The schema files, then the new file, which never replaces one (even in a race) and is
    never written through a link."""
    homefiles.ensure_folder(path.parent)
    write_schema_files()
    try:
        homefiles.create_file(path, text)
    except FileExistsError:
        raise BadInput(f"{shown_path(path)} already exists; `backcoach edit {ident}` opens "
                       "it") from None


def copy_builtin(definition: Parsed) -> Path:
    """Copy a built-in into the user's folder under the same id (the copy then replaces it)."""
    kind = kind_of_definition(definition)
    header = [f"# Your copy of the built-in {kind} '{definition.id}'. While this file exists it "
              "replaces the", "# built-in one; delete the file to go back to the built-in."]
    text = copy_text(definition, definition.id, header)
    path = folder_for(kind) / f"{definition.id}.yaml"
    _write_new(path, text, definition.id)
    return path


def settings_template() -> str:
    """A commented settings file for `config --edit`, pointing at the settings schema."""
    return config.template(f"{SCHEMA_FOLDER}/config.schema.json")


def fix_hint(problems: list[Problem]) -> str:
    """A line saying which command opens each of the user's files that has problems, or ''."""
    commands: list[str] = []
    settings = config.settings_path().resolve()
    mine = {path.resolve(): path.stem for path in user_files()}
    for shown in dict.fromkeys(problem.path for problem in problems):
        where = Path(shown).resolve()
        if where == settings:
            commands.append("`backcoach config --edit`")
        elif where in mine:
            commands.append(f"`backcoach edit {mine[where]}`")
    if not commands:
        return ""
    return f"To fix {'it' if len(commands) == 1 else 'them'}: {', '.join(commands)}."
