"""Settings: `config.yaml` in the user's folder, checked like the exercise files.

Command-line flags override these; these override the built-in defaults. The file is optional:
without it every setting has its default. A file with problems is never half used: every
problem is reported as `path:line:col: message` and `run` does not start (exit 2).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from backcoach import paths
from backcoach.errors import Problem
from backcoach.library import schema
from backcoach.library.settings import (
    BREAKS_EVERY,
    BREAKS_SNOOZE,
    COUNTDOWNS,
    DEFAULTS,
    MAX_RESCREEN_DAYS,
    REMIND_AT,
    REMIND_WITH,
    RESCREEN_DAYS,
    VOICES,
    Settings,
    settings_path,
)
from backcoach.library.yamlsrc import YamlFailure, compose, position, read_text

__all__ = [
    "BREAKS_EVERY",
    "BREAKS_SNOOZE",
    "COUNTDOWNS",
    "FIELDS",
    "MAX_RESCREEN_DAYS",
    "REMIND_AT",
    "REMIND_WITH",
    "RESCREEN_DAYS",
    "VOICES",
    "Settings",
    "boolean",
    "json_schema",
    "read_settings",
    "reference_markdown",
    "routine_problems",
    "settings_path",
    "template",
]

FILE_NAME = paths.SETTINGS_FILE
_BOOLS = yaml.constructor.SafeConstructor()


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

_TIME_PATTERN = r"^\s*([01]?[0-9]|2[0-3])[:.h][0-5][0-9]\s*$"


def _clock(node: yaml.Node) -> int:
    """A time of day written 08:30 (YAML 1.1 reads 18:00 unquoted as a number of minutes:
    the text as written is what counts)."""
    from backcoach.library.timetable import parse_time

    if not isinstance(node, yaml.ScalarNode) or node.tag not in (schema.STR, schema.INT):
        raise ValueError
    return parse_time(str(node.value))


class TimesOfDay(schema.Check):
    """A time of day such as 08:30, or a list of them."""

    def __call__(self, node: yaml.Node, _: schema.Collector) -> tuple[int, ...]:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        try:
            times = tuple(sorted({_clock(item) for item in items}))
        except ValueError:
            raise schema.Invalid("must be a time of day such as \"08:30\" (24-hour clock) or a "
                                 f"list of them, got {schema.describe(node)}", node) from None
        if not times or len(times) > 6:
            raise schema.Invalid("must give from 1 to 6 times of day", node)
        return times

    def json(self) -> dict[str, Any]:
        one = {"anyOf": [{"type": "string", "pattern": _TIME_PATTERN},
                         # YAML 1.1 reads 18:00 unquoted as 1080: the minutes after midnight.
                         {"type": "integer", "minimum": 0, "maximum": 1439}]}
        return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1, "maxItems": 6}]}

    def show(self, value: Any) -> str:
        shown = [f'"{minute // 60:02d}:{minute % 60:02d}"' for minute in value]
        return shown[0] if len(shown) == 1 else "[" + ", ".join(shown) + "]"


def _prefixes(name: str) -> str:
    """A pattern for `name` or any start of it of two letters or more (`we`, `wed`, ...)."""
    tail = ""
    for ch in reversed(name[2:]):
        tail = f"({ch}{tail})?"
    return name[:2] + tail


_DAY_WORD = "(" + "|".join(_prefixes(day) for day in (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")) + ")"
_DAYS_PATTERN = (rf"^\s*(routine|daily|everyday|every-day|weekdays|weekends|{_DAY_WORD}"
                 rf"(\s*-\s*{_DAY_WORD})?(\s*,\s*{_DAY_WORD}(\s*-\s*{_DAY_WORD})?)*)\s*$")


class DaysOfWeek(schema.Check):
    """`routine` (the days its schedule stands for), or days such as mon,wed,fri."""

    def __call__(self, node: yaml.Node, _: schema.Collector) -> tuple[int, ...]:
        from backcoach.errors import BadInput
        from backcoach.library.timetable import parse_days

        if isinstance(node, yaml.SequenceNode):
            text = ",".join(str(getattr(item, "value", "?")) for item in node.value)
        elif isinstance(node, yaml.ScalarNode) and node.tag == schema.STR:
            text = str(node.value)
        else:
            text = ""
        if text.strip().lower() == "routine":
            return ()
        try:
            return parse_days(text or "?")
        except BadInput:
            raise schema.Invalid("must be routine (the days of its schedule), or days such as "
                                 "mon,wed,fri, mon-fri, weekdays, weekends or daily, got "
                                 f"{schema.describe(node)}", node) from None

    def json(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "pattern": f"(?i){_DAYS_PATTERN}"},
                          {"type": "array", "minItems": 1, "maxItems": 7,
                           "items": {"type": "string", "pattern": f"(?i)^{_DAY_WORD}$"}}]}

    def show(self, value: Any) -> str:
        from backcoach.library.timetable import days_setting

        return days_setting(value) if value else "routine"


class Minutes(schema.Duration):
    """A duration written 45m, 1h30m or 90s."""

    def show(self, value: Any) -> str:
        from backcoach.library.model import format_duration

        return format_duration(value).replace(" min ", "m").replace(" min", "m") \
            .replace(" s", "s")


class TimeSpan(schema.Check):
    """`always`, or the hours of a day such as 09:00-17:30."""

    def __call__(self, node: yaml.Node, _: schema.Collector) -> tuple[int, ...]:
        from backcoach.errors import BadInput
        from backcoach.library.timetable import parse_span

        text = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if text.strip().lower() == "always":
            return ()
        try:
            return parse_span(text)
        except BadInput:
            raise schema.Invalid("must be always, or the hours of a day such as 09:00-17:30, "
                                 f"got {schema.describe(node)}", node) from None

    def json(self) -> dict[str, Any]:
        clock = r"([01]?[0-9]|2[0-3])[:.h][0-5][0-9]"
        return {"type": "string", "pattern": rf"(?i)^\s*(always|{clock}\s*-\s*{clock})\s*$"}

    def show(self, value: Any) -> str:
        return "always" if not value else \
            f"{value[0] // 60:02d}:{value[0] % 60:02d}-{value[1] // 60:02d}:{value[1] % 60:02d}"



FIELDS: tuple[schema.Field, ...] = (
    schema.Field("sound", boolean, "ring the terminal bell at every change; false is silent, "
                 "voice included (the flags --sound and --no-sound override it)",
                 default=DEFAULTS.sound),
    schema.Field("voice", voice, "speak cues through espeak-ng, spd-say or say (on Windows, "
                 "its own voice) when one is "
                 "installed: off; brief (the side, hold, 3 2 1, switch, rest, pain advice, how "
                 "it went); or full (also each exercise's first step, a cue mid-hold, the "
                 "pain, the streak). true is full (--voice and --no-voice override on or off)",
                 default=DEFAULTS.voice),
    schema.Field("routine", schema.identifier, "the routine `backcoach run` starts when you name "
                 "none: a built-in one or one of yours", default=DEFAULTS.routine),
    schema.Field("rescreen_days", schema.Integer(1, MAX_RESCREEN_DAYS), "ask the red-flag "
                 f"questions again when the last check is older than this many days, 1 to "
                 f"{MAX_RESCREEN_DAYS}", default=DEFAULTS.rescreen_days),
    schema.Field("countdown", schema.Choice(COUNTDOWNS), "the live view's countdown: big block "
                 "digits you can read from the floor, or plain digits (small windows, screen "
                 "magnifiers, less movement); --countdown overrides it",
                 default=DEFAULTS.countdown),
    schema.Field("remind_at", TimesOfDay(), "the time of day `backcoach remind` sets a "
                 "reminder for, such as \"08:30\" (quoted), or a list of times; --at overrides "
                 "it", default=DEFAULTS.remind_at),
    schema.Field("remind_days", DaysOfWeek(), "the days `backcoach remind` sets reminders on: "
                 "routine (the days its schedule's days_per_week stands for: 7 every day, 5 Mon "
                 "to Fri, 3 Mon, Wed, Fri ...), or days such as mon,wed,fri or weekdays; --days "
                 "overrides it", default=DEFAULTS.remind_days),
    schema.Field("remind_with", schema.Choice(REMIND_WITH), "how reminders are set: auto (a "
                 "systemd user timer on Linux, cron where there is none, launchd on macOS), or "
                 "one of systemd, cron, launchd; --with overrides it",
                 default=DEFAULTS.remind_with),
    schema.Field("breaks_every", Minutes(5 * 60, 4 * 3600), "how long `backcoach breaks` "
                 "waits between desk breaks, 5m to 4h; --every overrides it",
                 default=DEFAULTS.breaks_every),
    schema.Field("breaks_snooze", Minutes(60, 2 * 3600), "how long a snoozed break waits, 1m "
                 "to 2h; --snooze overrides it", default=DEFAULTS.breaks_snooze),
    schema.Field("breaks_routine", schema.identifier, "the routine a desk break runs; "
                 "--routine overrides it", default=DEFAULTS.breaks_routine),
    schema.Field("breaks_during", TimeSpan(), "the hours desk breaks come in, such as "
                 "09:00-17:30, or always; --during overrides it",
                 default=DEFAULTS.breaks_during),
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
