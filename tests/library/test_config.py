"""Settings in config.yaml: defaults, each kind of mistake with its place, the routine check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from backcoach.errors import InvalidFiles
from backcoach.library import config
from backcoach.library import settings as settings_module
from backcoach.library.catalog import load_catalog
from backcoach.library.config import Settings, read_settings, routine_problems


def write(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_means_the_defaults(backcoach_home: Path) -> None:
    assert config.settings_path() == backcoach_home / "config.yaml"
    settings = settings_module.load_settings()
    assert settings == Settings()
    assert (settings.sound, settings.voice, settings.routine, settings.rescreen_days,
            settings.countdown) == (True, "off", "daily", 30, "big")


def test_a_file_of_comments_only_means_the_defaults(backcoach_home: Path) -> None:
    path = write(backcoach_home, "# nothing yet\n")
    settings, problems = read_settings(path)
    assert problems == [] and settings.values() == Settings().values()


def test_values_are_read_and_remembered_as_given(backcoach_home: Path) -> None:
    path = write(backcoach_home, "sound: no\nvoice: yes\nroutine: gentle\nrescreen_days: 14\n"
                                 "countdown: plain\n")
    settings = settings_module.load_settings(path)
    assert settings.values() == {**Settings().values(), "sound": False, "voice": "full",
                                 "routine": "gentle", "rescreen_days": 14, "countdown": "plain"}
    assert settings.given == ("sound", "voice", "routine", "rescreen_days", "countdown")
    assert settings.where["routine"] == (3, 10)


def test_every_problem_with_its_place(backcoach_home: Path) -> None:
    path = write(backcoach_home, "voise: true\nsound: loud\nrescreen_days: 365\n"
                                 "countdown: small\nroutine: My Routine\n")
    _, problems = read_settings(path)
    assert [str(p).split(":", 1)[1] for p in problems] == [
        "1:1: unknown key 'voise' in settings (did you mean 'voice'?); known keys: sound, "
        "voice, routine, rescreen_days, countdown, remind_at, remind_days, remind_with, "
        "breaks_every, breaks_snooze, breaks_routine, breaks_during",
        "2:8: sound must be true or false, got 'loud'",
        "3:16: rescreen_days must be from 1 to 90, got the number 365",
        "4:12: countdown must be one of big, plain, got 'small'",
        "5:10: routine must use only lowercase letters, digits and single hyphens, such as "
        "knee-to-chest, got 'My Routine'"]
    with pytest.raises(InvalidFiles) as caught:
        settings_module.load_settings(path)
    assert len(caught.value.problems) == 5


def test_reminder_and_break_settings_are_read(backcoach_home: Path) -> None:
    path = write(backcoach_home, "remind_at: [18:00, '07:15']\nremind_days: mon-wed, fri\n"
                                 "breaks_every: 1h30m\nbreaks_during: 22:00-02:00\n")
    settings = settings_module.load_settings(path)
    assert settings.remind_at == (7 * 60 + 15, 18 * 60)  # sorted; 18:00 read as written
    assert settings.remind_days == (1, 2, 3, 5)
    assert settings.breaks_every == 5400 and settings.breaks_during == (22 * 60, 2 * 60)


def test_reminder_and_break_settings_say_how_to_fix(backcoach_home: Path) -> None:
    path = write(backcoach_home, "remind_at: noon\nremind_days: someday\nremind_with: at\n"
                                 "breaks_every: 2m\nbreaks_during: 9-5\n")
    _, problems = read_settings(path)
    assert [str(p).split(":", 1)[1] for p in problems] == [
        '1:12: remind_at must be a time of day such as "08:30" (24-hour clock) or a list of '
        "them, got 'noon'",
        "2:14: remind_days must be routine (the days of its schedule), or days such as "
        "mon,wed,fri, mon-fri, weekdays, weekends or daily, got 'someday'",
        "3:14: remind_with must be one of auto, systemd, cron, launchd, got 'at' (did you mean "
        "'auto'?)",
        "4:15: breaks_every must be from 5 min to 4 h, got '2m'",
        "5:16: breaks_during must be always, or the hours of a day such as 09:00-17:30, got "
        "'9-5'"]


def test_a_list_is_not_settings(backcoach_home: Path) -> None:
    _, problems = read_settings(write(backcoach_home, "- voice\n"))
    assert [p.message for p in problems] == [
        "settings must be a mapping of 'key: value' lines, got a list"]


def test_a_syntax_error_has_its_place(backcoach_home: Path) -> None:
    _, problems = read_settings(write(backcoach_home, "sound: true\nvoice: [yes\n"))
    assert len(problems) == 1 and problems[0].line == 2


def test_the_default_routine_must_exist(backcoach_home: Path) -> None:
    path = write(backcoach_home, "voice: true\nroutine: dayly\n")
    settings, problems = read_settings(path)
    assert problems == []
    [problem] = routine_problems(settings, ["daily", "gentle"], ["knee-to-chest"])
    assert (problem.line, problem.col) == (2, 10)
    assert problem.message == ("routine must name a routine, got 'dayly' (did you mean "
                               "'daily'?); `backcoach list` shows them")
    settings, _ = read_settings(write(backcoach_home, "routine: knee-to-chest\n"))
    [problem] = routine_problems(settings, ["daily"], ["knee-to-chest"])
    assert "(that is an exercise; a routine lists exercises)" in problem.message
    assert routine_problems(Settings(), [], []) == []  # the default is not checked: built-in


def test_the_template_is_valid_and_names_every_setting(backcoach_home: Path) -> None:
    text = config.template("schema/config.schema.json")
    assert text.startswith("# yaml-language-server: $schema=schema/config.schema.json\n")
    settings, problems = read_settings(write(backcoach_home, text))
    assert problems == [] and settings.values() == Settings().values()
    for spec in config.FIELDS:
        assert f"\n{spec.name}: " in text


def test_fields_and_settings_agree() -> None:
    assert [spec.name for spec in config.FIELDS] == list(Settings().values())
    schema = config.json_schema()
    assert set(schema["properties"]) == set(Settings().values())
    assert schema["additionalProperties"] is False


def test_fields_take_their_defaults_from_settings() -> None:
    assert {spec.name: spec.default for spec in config.FIELDS} == Settings().values()
    assert [spec.default_text for spec in config.FIELDS] == [
        "true", "off", "daily", "30", "big", '"08:30"', "routine", "auto", "45m", "10m",
        "desk-break", "always"]


# ---------------------------------------------------------------- JSON Schema agrees with reading

LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BEYOND_JSON_SCHEMA = {
    "unknown-routine": "the routine must exist, which only the library knows",
    "syntax-error": "no data for JSON Schema: a YAML syntax error",
    "repeated-key": "a repeated key: yaml.safe_load keeps the last one, so the data JSON Schema "
                    "sees has none",
}
CONFIG_CASES = {
    "every-setting": "sound: no\nvoice: yes\nroutine: gentle\nrescreen_days: 14\n"
                     "countdown: plain\n",
    "template": config.template("schema/config.schema.json"),
    "comments-only": "# nothing yet\n",
    "empty": "",
    "on-off": "sound: off\nvoice: on\n",
    "voice-brief": "voice: brief\n",
    "voice-full": "voice: full\n",
    "voice-off-quoted": "voice: 'off'\n",
    "voice-word": "voice: loud\n",
    "voice-number": "voice: 2\n",
    "longest-rescreen": "rescreen_days: 90\n",
    "unknown-key": "voise: true\n",
    "sound-word": "sound: loud\n",
    "sound-number": "sound: 1\n",
    "sound-quoted": "sound: 'true'\n",
    "rescreen-too-long": "rescreen_days: 365\n",
    "rescreen-zero": "rescreen_days: 0\n",
    "rescreen-fraction": "rescreen_days: 1.5\n",
    "countdown-word": "countdown: small\n",
    "routine-not-an-id": "routine: My Routine\n",
    "unknown-routine": "routine: dayly\n",
    "a-list": "- voice\n",
    "syntax-error": "sound: true\nvoice: [yes\n",
    "repeated-key": "sound: true\nsound: false\n",
    # Reminders and breaks (issue 16).
    "habit-settings": "remind_at: '07:15'\nremind_days: mon,wed,fri\nremind_with: cron\n"
                      "breaks_every: 1h\nbreaks_snooze: 5m\nbreaks_routine: gentle\n"
                      "breaks_during: 09:00-17:30\n",
    "remind-at-unquoted": "remind_at: 18:00\n",  # YAML 1.1 reads 1080: the same time
    "remind-at-list": "remind_at: ['10:30', '15:00']\n",
    "remind-at-word": "remind_at: noon\n",
    "remind-at-25h": "remind_at: '25:00'\n",
    "remind-days-list": "remind_days: [mon, thu]\n",
    "remind-days-word": "remind_days: weekends\n",
    "remind-days-typo": "remind_days: mon,wedd\n",
    "remind-with-word": "remind_with: anacron\n",
    "breaks-every-too-short": "breaks_every: 1m\n",
    "breaks-during-word": "breaks_during: mornings\n",
}


@pytest.mark.parametrize("text", list(CONFIG_CASES.values()), ids=list(CONFIG_CASES))
def test_json_schema_and_reading_agree(text: str, backcoach_home: Path,
                                       request: pytest.FixtureRequest) -> None:
    """`validate`'s verdict on a settings file (read_settings, then the routine against the
    library) equals JSON Schema's on the data yaml.safe_load reads; the exceptions are listed."""
    case = request.node.callspec.id
    path = write(backcoach_home, text)
    settings, problems = read_settings(path)
    catalog = load_catalog()
    valid = not problems + routine_problems(settings, catalog.routines, catalog.exercises)
    try:
        data = yaml.load(text, Loader=LOADER)
    except yaml.YAMLError:
        json_valid = None
    else:
        json_valid = Draft202012Validator(config.json_schema()).is_valid(data)
    reason = BEYOND_JSON_SCHEMA.get(case)
    if reason is None:
        assert json_valid is valid, f"validate says {valid}, JSON Schema {json_valid}"
    else:
        assert json_valid is not valid, f"listed ({reason}), but both say {valid}: unlist it"


def test_the_settings_json_schema_is_valid() -> None:
    Draft202012Validator.check_schema(config.json_schema())


@pytest.mark.parametrize(("text", "level"), [("voice: brief", "brief"), ("voice: full", "full"),
                                             ("voice: true", "full"), ("voice: no", "off"),
                                             ("voice: 'off'", "off")])
def test_voice_is_off_brief_or_full(text: str, level: str, backcoach_home: Path) -> None:
    assert settings_module.load_settings(write(backcoach_home, text + "\n")).voice == level


def test_a_voice_that_is_no_level_says_which_there_are(backcoach_home: Path) -> None:
    _, problems = read_settings(write(backcoach_home, "voice: breif\n"))
    assert [p.message for p in problems] == [
        "voice must be off, brief or full (or true or false), got 'breif' (did you mean "
        "'brief'?)"]
