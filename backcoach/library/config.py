"""Settings: `config.yaml` in the user's folder, checked like the exercise files.

Command-line flags override these; these override the built-in defaults. The file is optional:
without it every setting has its default. A file with problems is never half used: every
problem is reported as `path:line:col: message` and `run` does not start (exit 2).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from backcoach import paths
from backcoach.errors import InvalidFiles, Problem
from backcoach.library import schema
from backcoach.library.yamlsrc import YamlFailure, compose, position, read_text

FILE_NAME = paths.SETTINGS_FILE
COUNTDOWNS = ("big", "plain")
# How much the voice says: off, or the essentials (brief), or the first step of each exercise
# and a cue in each hold as well (full). true means full, false off.
VOICES = ("off", "brief", "full")
# The red-flag questions are asked again when the last answers are older than this (the
# `rescreen_days` setting); more than MAX_RESCREEN_DAYS is too stale to trust: warning signs can
# appear within weeks.
RESCREEN_DAYS = 30
MAX_RESCREEN_DAYS = 90
_BOOLS = yaml.constructor.SafeConstructor()


def settings_path() -> Path:
    """Where the settings file is: BACKCOACH_HOME, else the platform's config dir."""
    return paths.config_dir() / FILE_NAME


@dataclass(frozen=True)
class Settings:
    """The settings in force; `given` names the ones the file set, `where` their positions.

    The defaults here are the settings file's defaults: FIELDS takes them from this class.
    """

    sound: bool = True
    voice: str = "off"
    routine: str = "daily"
    rescreen_days: int = RESCREEN_DAYS
    countdown: str = "big"
    path: str = ""  # the file as shown in messages; '' when there is none
    given: tuple[str, ...] = ()
    where: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def values(self) -> dict[str, Any]:
        """Each setting by name, in the order of the file format."""
        return {spec.name: getattr(self, spec.name) for spec in FIELDS}


class Boolean(schema.Check):
    """true or false (YAML's yes/no and on/off too)."""

    def __call__(self, node: yaml.Node, _: schema.Collector) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == schema.BOOL:
            return bool(_BOOLS.construct_yaml_bool(node))
        raise schema.Invalid(f"must be true or false, got {schema.describe(node)}", node)

    def json(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def show(self, value: Any) -> str:
        return "true" if value else "false"


boolean = Boolean()


class Voice(schema.Check):
    """off, brief or full; true means full and false off (the older yes/no form)."""

    def __call__(self, node: yaml.Node, out: schema.Collector) -> str:
        if isinstance(node, yaml.ScalarNode) and node.tag == schema.BOOL:
            return "full" if _BOOLS.construct_yaml_bool(node) else "off"
        if isinstance(node, yaml.ScalarNode) and node.tag == schema.STR \
                and node.value in VOICES:
            return str(node.value)
        raise schema.Invalid(f"must be off, brief or full (or true or false), got "
                             f"{schema.describe(node)}"
                             f"{schema.did_you_mean(str(getattr(node, 'value', '')), VOICES)}",
                             node)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [{"enum": list(VOICES)}, {"type": "boolean"}]}


voice = Voice()

FIELDS: tuple[schema.Field, ...] = (
    schema.Field("sound", boolean, "ring the terminal bell at every change; false is silent, "
                 "voice included (the flags --sound and --no-sound override it)",
                 default=Settings.sound),
    schema.Field("voice", voice, "speak cues through espeak-ng, spd-say or say when one is "
                 "installed: off; brief (the side, hold, 3 2 1, switch, rest, pain advice, how "
                 "it went); or full (also each exercise's first step, a cue mid-hold, the "
                 "pain, the streak). true is full (--voice and --no-voice override on or off)",
                 default=Settings.voice),
    schema.Field("routine", schema.identifier, "the routine `backcoach run` starts when you name "
                 "none: a built-in one or one of yours", default=Settings.routine),
    schema.Field("rescreen_days", schema.Integer(1, MAX_RESCREEN_DAYS), "ask the red-flag "
                 f"questions again when the last check is older than this many days, 1 to "
                 f"{MAX_RESCREEN_DAYS}", default=Settings.rescreen_days),
    schema.Field("countdown", schema.Choice(COUNTDOWNS), "the live view's countdown: big block "
                 "digits you can read from the floor, or plain digits (small windows, screen "
                 "magnifiers, less movement); --countdown overrides it",
                 default=Settings.countdown),
)

FIELDS_BY_NAME = {spec.name: spec for spec in FIELDS}


def read_settings(path: Path) -> tuple[Settings, list[Problem]]:
    """Read and check a settings file: the settings (defaults for what is missing or wrong) and
    every problem. Defaults and no problems when the file does not exist."""
    if not path.exists():
        return Settings(), []
    from backcoach.library.catalog import shown_path

    shown = shown_path(path)
    out = schema.Collector(shown)
    try:
        node = compose(read_text(path, shown), shown)
    except YamlFailure as failure:
        return Settings(path=shown), [failure.problem]
    if node is None or (node.tag == schema.NULL and not node.value):
        return Settings(path=shown), []  # an empty file (all comments) means the defaults
    values, _ = schema.read_mapping(node, FIELDS, out, "settings")
    out.close()
    # The values that passed are kept even beside problems, so a check of `routine:` against
    # the catalog can be reported together with them.
    where = {str(getattr(key, "value", "")): position(value) for key, value in node.value} \
        if isinstance(node, yaml.MappingNode) else {}
    settings = Settings(**values, path=shown, given=tuple(values), where=where)
    return settings, sorted(out.problems)


def load_settings(path: Path | None = None) -> Settings:
    """The settings in force; InvalidFiles (exit 2) listing every problem of a bad file."""
    settings, problems = read_settings(path or settings_path())
    if problems:
        raise InvalidFiles(problems)
    return settings


def routine_problems(settings: Settings, routines: Iterable[str],
                     exercises: Iterable[str] = ()) -> list[Problem]:
    """A problem when `routine:` names no routine in force (checked once the catalog is known)."""
    known = list(routines)
    if "routine" not in settings.given or settings.routine in known:
        return []
    line, col = settings.where.get("routine", (1, 1))
    hint = (" (that is an exercise; a routine lists exercises)"
            if settings.routine in set(exercises) else schema.did_you_mean(settings.routine, known))
    return [Problem(settings.path, line, col, f"routine must name a routine, got "
                    f"'{settings.routine}'{hint}; `backcoach list` shows them")]


def json_schema() -> dict[str, Any]:
    """A JSON Schema of the settings file, for editors (yaml-language-server)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "backcoach settings",
        **schema.object_json(FIELDS),
        # A file of comments only is read as null: it means every default.
        "type": ["object", "null"],
    }


def reference_markdown() -> str:
    """The settings as a Markdown table (README embeds it verbatim; a test keeps it current)."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    rows += [f"| `{spec.name}` | `{spec.default_text}` | {spec.doc} |" for spec in FIELDS]
    return "\n".join(rows) + "\n"


def template(schema_ref: str) -> str:
    """A commented settings file with every setting at its default, for `config --edit`."""
    lines = [f"# yaml-language-server: $schema={schema_ref}",
             "# backcoach settings. Flags on the command line override them; delete a line to",
             "# get its default back. `backcoach config` shows the settings in force.", ""]
    for spec in FIELDS:
        lines += textwrap.wrap(spec.doc, 98, initial_indent="# ", subsequent_indent="# ")
        lines.append(f"{spec.name}: {spec.default_text}")
    return "\n".join(lines) + "\n"

