"""Starting files: templates and copies that validate, ids, schema files for editors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backcoach.errors import BadInput
from backcoach.library import scaffold, schema
from backcoach.library.catalog import load_catalog
from backcoach.library.loading import validate_files


@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_a_new_file_from_the_template_validates(kind: str, backcoach_home: Path) -> None:
    path = scaffold.new_file(load_catalog(), kind, "my-thing")
    folder = {"routine": "routines", "lesson": "lessons"}.get(kind, "exercises")
    assert path == backcoach_home / folder / "my-thing.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# yaml-language-server: $schema=../schema/{kind}.schema.json\n")
    found = validate_files([path])
    assert found.problems == [] and found.warnings == []
    assert "my-thing" in getattr(load_catalog(), f"{kind}s")


@pytest.mark.parametrize("kind", scaffold.KINDS)
def test_the_template_names_and_explains_every_field(kind: str) -> None:
    text = scaffold.template(kind, "my-thing")
    for spec in schema.FIELDS[kind]:
        # set, or shown commented out when there is no good default to give
        assert f"\n{spec.name}:" in text or f"\n# {spec.name}:" in text, spec.name
        if spec.name != "exercises":
            assert spec.doc[:30] in text.replace("\n# ", " "), spec.name


def test_the_routine_template_shows_each_kind_of_entry() -> None:
    text = scaffold.template("routine", "mine")
    for key in ("hold:", "reps:", "rest:", "sides: [left]"):
        assert f"    {key}" in text


def test_schema_files_are_written_next_to_the_folders_and_refreshed(backcoach_home: Path) -> None:
    folder = scaffold.write_schema_files()
    assert folder == backcoach_home / "schema"
    routine = folder / "routine.schema.json"
    assert json.loads(routine.read_text())["title"] == "backcoach routine"
    assert json.loads((folder / "config.schema.json").read_text())["title"] == (
        "backcoach settings")
    routine.write_text("{}", encoding="utf-8")  # an older backcoach's schema
    scaffold.write_schema_files()
    assert json.loads(routine.read_text())["title"] == "backcoach routine"


@pytest.mark.parametrize(("ident", "hint"), [
    ("My Routine", "such as my-routine"), ("morning_stretch", "such as morning-stretch"),
    ("--", "such as my-routine"), ("a" * 61, "such as " + "a" * 60)])
def test_bad_ids_are_refused_with_a_suggestion(ident: str, hint: str) -> None:
    with pytest.raises(BadInput, match=hint):
        scaffold.check_id(ident)


def test_a_copy_keeps_the_text_and_comments_and_changes_only_the_id(
        backcoach_home: Path) -> None:
    catalog = load_catalog()
    path = scaffold.new_file(catalog, "routine", "my-daily", "daily")
    original = Path(catalog.routines["daily"].origin.path).read_text(encoding="utf-8")
    copied = path.read_text(encoding="utf-8")
    assert copied.startswith("# yaml-language-server: $schema=../schema/routine.schema.json\n"
                             "# Started from the built-in routine 'daily' (")
    # Only the id and the name change: a copy is named after its id (issue 14, item 10).
    assert original.replace("id: daily\n", "id: my-daily\n").replace(
        "name: Daily lower-back routine\n", "name: My daily\n") in copied
    assert validate_files([path]).problems == []


def test_a_copy_of_a_copy_has_one_header(backcoach_home: Path) -> None:
    first = scaffold.new_file(load_catalog(), "exercise", "my-knee", "knee-to-chest")
    second = scaffold.new_file(load_catalog(), "exercise", "my-knee-2", "my-knee")
    text = second.read_text(encoding="utf-8")
    assert text.count("yaml-language-server") == 1
    assert text.count("# Started from the") == 1 and "'my-knee' (" in text
    assert "id: my-knee-2\n" in text
    assert validate_files([first, second]).problems == []


def test_copy_builtin_uses_the_same_id(backcoach_home: Path) -> None:
    path = scaffold.copy_builtin(load_catalog().routines["gentle"])
    assert path == backcoach_home / "routines" / "gentle.yaml"
    assert "# Your copy of the built-in routine 'gentle'." in path.read_text(encoding="utf-8")
    catalog = load_catalog()
    assert not catalog.routines["gentle"].origin.builtin and "gentle" in catalog.replaced


@pytest.mark.parametrize(("kind", "ident", "source", "message"), [
    ("routine", "daily", None, "'daily' is a built-in routine; `backcoach edit daily`"),
    ("routine", "chin-tuck", None, "'chin-tuck' is already the id of a built-in exercise"),
    ("routine", "mine", "chin-tuck", "'chin-tuck' is an exercise, not a routine; `backcoach new "
     "exercise ID --from chin-tuck` copies it"),
    ("exercise", "mine", "daily", "'daily' is a routine, not an exercise"),
    ("routine", "mine", "dialy", "no routine called 'dialy' to copy (did you mean 'daily'?)"),
    ("workout", "mine", None, "the kind of file is exercise, routine or lesson, got 'workout'"),
])
def test_new_refuses_with_a_reason(kind: str, ident: str, source: str | None,
                                   message: str) -> None:
    with pytest.raises(BadInput) as caught:
        scaffold.new_file(load_catalog(), kind, ident, source)
    assert str(caught.value).startswith(message), caught.value


def test_new_never_overwrites(backcoach_home: Path) -> None:
    path = scaffold.new_file(load_catalog(), "routine", "mine")
    path.write_text("broken: [", encoding="utf-8")  # a broken file is found by its name
    for kind in scaffold.KINDS:
        with pytest.raises(BadInput, match=r"mine\.yaml already exists; `backcoach edit mine`"):
            scaffold.new_file(load_catalog(strict=False), kind, "mine")
    assert path.read_text(encoding="utf-8") == "broken: ["


def test_a_built_in_may_be_replaced_by_a_copy_of_another(backcoach_home: Path) -> None:
    path = scaffold.new_file(load_catalog(), "routine", "daily", "gentle")
    assert path == backcoach_home / "routines" / "daily.yaml"
    assert load_catalog().routines["daily"].name == "Daily"  # not gentle's name twice
