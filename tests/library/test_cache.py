"""The cache of parsed files (library/cache.py): what it keeps, when it is used, when it is not.

The cache must never change what backcoach does: a catalog read from it equals one parsed from
the files, any change to a file is seen, a damaged entry is rebuilt, and it is JSON in the
user's cache folder, never in BACKCOACH_HOME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from backcoach import paths
from backcoach.library import cache
from backcoach.library.catalog import load_catalog, user_scan
from backcoach.library.loading import build_catalog
from backcoach.safety import redflags

OLD = time.time() - 3600  # an hour ago: well past the two seconds a fresh file is not kept


def write_user(home: Path, folder: str, ident: str, text: str, mtime: float = OLD) -> Path:
    path = home / folder / f"{ident}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


MINE = """id: my-hug
name: My hug
position: lying
steps:
  - Hug your knees.
aliases: [hug]
"""
ROUTINE = "id: mine\nname: Mine\nexercises:\n  - my-hug\n  - nope\n"


def entries() -> list[Path]:
    return sorted(paths.cache_dir().glob("catalog-*.json"))


def test_a_catalog_from_the_cache_equals_one_parsed_from_the_files(backcoach_home: Path) -> None:
    write_user(backcoach_home, "exercises", "my-hug", MINE)
    write_user(backcoach_home, "exercises", "knee-to-chest",  # replaces a built-in
               (paths.builtin_dir() / "knee-to-chest.yaml").read_text(encoding="utf-8")
               .replace("name: Knee-to-chest stretch", "name: My knee hug"))
    write_user(backcoach_home, "routines", "mine", ROUTINE)  # broken: names 'nope'
    parsed = build_catalog(user_scan())
    first = load_catalog(strict=False)  # parses, and keeps it
    assert len(entries()) == 1
    again = load_catalog(strict=False)  # from the cache
    assert first == parsed and again == parsed
    assert again.replaced.keys() == {"knee-to-chest"} and again.aliases["hug"] == "my-hug"
    assert "mine" in again.broken and again.problems == parsed.problems


def test_the_cache_is_read_without_the_yaml_parser(backcoach_home: Path) -> None:
    write_user(backcoach_home, "exercises", "my-hug", MINE)
    probe = ("import sys; from backcoach.library.catalog import load_catalog; "
             "catalog = load_catalog(strict=False); "
             "print(len(catalog.exercises), 'yaml' in sys.modules)")
    env = dict(os.environ)
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                            text=True, check=True).stdout.split()
    assert first[1] == "True" and second == [first[0], "False"]


def test_a_session_starts_without_the_yaml_parser_once_the_cache_is_warm(
        backcoach_home: Path) -> None:
    """The real `backcoach run` (the default routine, as a person types it): the second time,
    neither yaml nor the scaffolding code is loaded by the time the first event is written
    (issue 15). After the session a lesson may still be read from its YAML file."""
    screened = subprocess.run([sys.executable, "-m", "backcoach", "screen", "--clear"],
                              env=dict(os.environ), capture_output=True, text=True)
    assert screened.returncode == 0, screened.stderr
    probe = """
import io, sys
from backcoach.cli import main
seen = []
class Watch(io.StringIO):
    def write(self, text):
        if not seen:
            seen.append(('yaml' in sys.modules, 'backcoach.library.scaffold' in sys.modules))
        return super().write(text)
sys.stdout = Watch()
sys.argv = ['backcoach', 'run', '--pain-before', '1', '--pain-after', '1', '--speed', '1000',
            '--no-sound', '--output', 'jsonl']
try:
    main()
except SystemExit as exc:
    print('EXIT', exc.code, file=sys.stderr)
print('FIRST', *seen[0], '"event": "session_start"' in sys.stdout.getvalue().split(chr(10))[0],
      file=sys.stderr)
"""

    def first_event() -> list[str]:
        ran = subprocess.run([sys.executable, "-c", probe], env=dict(os.environ),
                             capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert "EXIT 0" in ran.stderr or "EXIT None" in ran.stderr, ran.stderr
        [line] = [line for line in ran.stderr.splitlines() if line.startswith("FIRST")]
        return line.split()[1:]

    assert first_event()[2] == "True"  # the first run fills the cache
    assert first_event() == ["False", "False", "True"]


def test_a_changed_file_is_read_again(backcoach_home: Path) -> None:
    path = write_user(backcoach_home, "exercises", "my-hug", MINE)
    assert load_catalog(strict=False).exercises["my-hug"].name == "My hug"
    write_user(backcoach_home, "exercises", "my-hug", MINE.replace("My hug", "Our hug"),
               mtime=OLD + 60)
    assert load_catalog(strict=False).exercises["my-hug"].name == "Our hug"
    path.unlink()
    assert "my-hug" not in load_catalog(strict=False).exercises


def test_a_file_changed_just_now_is_not_kept(backcoach_home: Path) -> None:
    write_user(backcoach_home, "exercises", "my-hug", MINE, mtime=time.time())
    assert "my-hug" in load_catalog(strict=False).exercises
    assert entries() == []  # an edit within the clock's resolution would keep the same key


def lines(entry: Path) -> list[Any]:
    """An entry's two JSON texts: the key, then the value."""
    return [json.loads(line) for line in entry.read_text(encoding="utf-8").splitlines()]


def key_line(entry: Path) -> bytes:
    """An entry's first line, its key, as written."""
    return entry.read_bytes().split(b"\n")[0]


@pytest.mark.parametrize("damage", [
    b"", b"not json", b'{"key": 1}', b"[]", b'{"key": {}, "value": {"__": "Trojan"}}',
    b"KEY\n", b"KEY\nnot json\n", b'KEY\n{"__": "Trojan"}\n', b"KEY\n{}\n",
    b'KEY\n{"__": "tuple"}\n',  # no items
    b'KEY\n{"__": "Catalog", "exercises": {"plain": "a dict _encode never writes"}}\n',
    b'KEY\n{"__": "Catalog", "nonsense": 1}\n',
    # Values the parser accepts that are not a catalog:
    b"KEY\n[]\n", b"KEY\n1\n", b"KEY\nnull\n", b'KEY\n{"__": "tuple", "items": []}\n',
    b'KEY\n{"__": "Problem", "path": "x", "line": 1, "col": 1, "message": "m"}\n'])
def test_a_damaged_entry_is_ignored_and_rebuilt(backcoach_home: Path, damage: bytes) -> None:
    load_catalog(strict=False)
    [entry] = entries()
    good = entry.read_bytes()
    entry.write_bytes(damage.replace(b"KEY", key_line(entry)))  # the right key, a bad value
    assert load_catalog(strict=False) == build_catalog(user_scan())
    assert entry.read_bytes() == good  # written again, whole


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_place_of_an_entry_is_replaced_not_read(backcoach_home: Path) -> None:
    """Reading a FIFO waits for a writer that never comes: `list` hung before this."""
    load_catalog(strict=False)
    [entry] = entries()
    entry.unlink()
    os.mkfifo(entry)
    done = subprocess.run([sys.executable, "-m", "backcoach", "list"], env=dict(os.environ),
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and "daily" in done.stdout, done.stderr
    assert entry.is_file() and len(lines(entry)) == 2  # written again in its place


def test_an_entry_for_another_class_is_rebuilt_not_trusted(backcoach_home: Path) -> None:
    load_catalog(strict=False)
    [entry] = entries()
    key, value = lines(entry)
    value["__"] = "os.system"
    entry.write_text(f"{json.dumps(key)}\n{json.dumps(value)}\n", encoding="utf-8")
    assert load_catalog(strict=False) == build_catalog(user_scan())


def test_an_entry_whose_key_no_longer_matches_is_not_read(backcoach_home: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    load_catalog(strict=False)
    [entry] = entries()
    values_read: list[int] = []
    real = cache._Reviver

    def counting(known: Mapping[str, type]) -> Callable[[dict[str, Any]], Any]:
        revive = real(known)
        values_read.append(1)
        return revive

    monkeypatch.setattr(cache, "_Reviver", counting)
    assert load_catalog(strict=False) == build_catalog(user_scan())
    assert values_read == [1]  # the entry as written: its value is read

    key, value = lines(entry)
    key["version"] = "0.0.1"  # written by another backcoach
    entry.write_text(f"{json.dumps(key)}\n{json.dumps(value)}\n", encoding="utf-8")
    values_read.clear()
    assert load_catalog(strict=False) == build_catalog(user_scan())
    assert values_read == []  # rebuilt without parsing the stale value
    assert lines(entry)[0]["version"] != "0.0.1"  # and written again


@pytest.mark.parametrize("value", [b"[]", b'{"__": "tuple", "items": []}',
                                   b'{"__": "tuple", "items": [1, 2]}', b"1"])
def test_settings_and_red_flags_entries_of_another_shape_are_rebuilt(
        backcoach_home: Path, value: bytes) -> None:
    from backcoach.library.settings import load_settings

    write_user(backcoach_home, ".", "config", "voice: true\n")
    good_settings = load_settings()
    redflags.load_questions.cache_clear()
    good_questions = redflags.load_questions()
    for name in ("settings", "red-flags"):
        [entry] = sorted(paths.cache_dir().glob(f"{name}-*.json"))
        entry.write_bytes(key_line(entry) + b"\n" + value + b"\n")
    redflags.load_questions.cache_clear()
    assert load_settings() == good_settings and redflags.load_questions() == good_questions


def test_the_cache_is_json_in_the_cache_folder_not_in_the_home(backcoach_home: Path) -> None:
    load_catalog(strict=False)
    redflags.load_questions.cache_clear()
    redflags.load_questions()
    names = sorted(entry.name.split("-")[0] for entry in paths.cache_dir().glob("*.json"))
    assert names == ["catalog", "red"]
    for entry in paths.cache_dir().glob("*.json"):
        assert len(lines(entry)) == 2  # key and value, JSON: never pickle
    assert not any(path.suffix == ".json" for path in backcoach_home.rglob("*")
                   if "schema" not in path.parts)


def test_messages_name_files_from_where_the_command_runs(backcoach_home: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write_user(backcoach_home, "routines", "mine", ROUTINE)
    monkeypatch.chdir(backcoach_home)
    inside = load_catalog(strict=False).problems
    monkeypatch.chdir(backcoach_home.parent.parent)
    outside = load_catalog(strict=False).problems
    assert inside[0].path == "routines/mine.yaml"
    assert outside[0].path.endswith("backcoach/routines/mine.yaml") and outside != inside


def test_the_red_flags_from_the_cache_equal_the_file(backcoach_home: Path) -> None:
    redflags.load_questions.cache_clear()
    parsed = redflags.load_questions()
    redflags.load_questions.cache_clear()
    cached = redflags.load_questions()
    assert cached == parsed and len(parsed) > 20


def test_a_value_it_cannot_keep_is_refused_not_written_wrong() -> None:
    with pytest.raises(TypeError):
        cache._encode(object())


def test_each_folder_a_command_runs_from_keeps_its_own_entry_and_only_the_newest_stay(
        backcoach_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders = [backcoach_home.parent / f"place-{n}" for n in range(cache.KEEP_ENTRIES + 3)]
    for folder in folders:
        folder.mkdir()
        monkeypatch.chdir(folder)
        load_catalog(strict=False)
    assert len(entries()) == cache.KEEP_ENTRIES
    monkeypatch.chdir(folders[-1])
    before = {entry: entry.stat().st_mtime_ns for entry in entries()}
    load_catalog(strict=False)  # read, not written again
    assert {entry: entry.stat().st_mtime_ns for entry in entries()} == before


def test_settings_from_the_cache_equal_the_file_and_a_change_is_seen(
        backcoach_home: Path) -> None:
    from backcoach.library.config import read_settings
    from backcoach.library.settings import load_settings, settings_path

    path = write_user(backcoach_home, ".", "config", "voice: true\nroutine: gentle\n")
    assert path == settings_path()
    first = load_settings()
    cached = load_settings()
    assert first == cached == read_settings(path)[0] and cached.voice == "full" and cached.where
    write_user(backcoach_home, ".", "config", "voice: false\n", mtime=OLD + 60)
    assert load_settings().voice == "off"
