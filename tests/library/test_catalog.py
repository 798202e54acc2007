"""The catalog: built-in and user files, overrides by id, cross-file checks, totals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backcoach import paths
from backcoach.errors import BadInput, InvalidFiles
from backcoach.library.catalog import (
    Catalog,
    load_catalog,
    routine_entries,
    shown_path,
    timed,
    timeline,
    total_seconds,
)
from backcoach.library.loading import kind_of, parse_file, validate_files
from backcoach.library.model import Dose, Exercise, Routine

BUILTIN = Path(__file__).resolve().parents[2] / "exercises"
EXERCISE_IDS = sorted(p.stem for p in BUILTIN.glob("*.yaml"))
ROUTINE_IDS = sorted(p.stem for p in (BUILTIN / "routines").glob("*.yaml"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def exercise_yaml(ident: str, name: str = "Mine", extra: str = "") -> str:
    return f"id: {ident}\nname: {name}\nposition: lying\nsteps: [Lie down.]\n{extra}"


def test_the_built_in_folder_is_found() -> None:
    # the checkout's exercises/, or its copy inside an installed package
    found = paths.builtin_dir()
    assert sorted(p.relative_to(found) for p in found.rglob("*.yaml")) == sorted(
        p.relative_to(BUILTIN) for p in BUILTIN.rglob("*.yaml"))
    assert len(EXERCISE_IDS) >= 10 and {"daily", "desk-break", "gentle"} <= set(ROUTINE_IDS)


def test_built_ins_load_without_problems() -> None:
    catalog = load_catalog()
    assert catalog.problems == []
    assert sorted(catalog.exercises) == EXERCISE_IDS
    assert sorted(catalog.routines) == ROUTINE_IDS
    assert catalog.replaced == {}
    assert all(e.origin.builtin for e in catalog.exercises.values())
    assert all(r.origin.builtin for r in catalog.routines.values())


def test_user_file_overrides_a_built_in(backcoach_home: Path) -> None:
    write(backcoach_home / "exercises" / "knee-to-chest.yaml",
          exercise_yaml("knee-to-chest", extra="hold: 45s\n"))
    catalog = load_catalog()
    mine = catalog.exercise("knee-to-chest")
    assert (mine.name, mine.dose.hold, mine.origin.builtin) == ("Mine", 45, False)
    replaced = catalog.replaced["knee-to-chest"]
    assert isinstance(replaced, Exercise)
    assert replaced.origin.builtin and replaced.name == "Knee-to-chest stretch"
    # routines that use it get the user's version
    daily = catalog.routine("daily")
    assert routine_entries(daily, catalog)[0][0] is mine


def test_a_user_routine_may_use_a_user_exercise(backcoach_home: Path) -> None:
    write(backcoach_home / "exercises" / "my-stretch.yaml", exercise_yaml("my-stretch"))
    write(backcoach_home / "routines" / "mine.yaml",
          "id: mine\nname: Mine\nexercises: [my-stretch, chin-tuck]\n")
    catalog = load_catalog()
    assert [e.id for e, _ in routine_entries(catalog.routine("mine"), catalog)] == [
        "my-stretch", "chin-tuck"]


def test_a_broken_user_copy_is_reported_and_takes_its_id_out_of_force(
        backcoach_home: Path) -> None:
    """The person changed their copy of knee-to-chest; while it is broken the built-in one
    must not run in its place unnoticed (issue 13, item 13), so the id is out of force, with
    the copy's problems, and so is every routine that uses it."""
    write(backcoach_home / "exercises" / "knee-to-chest.yaml",
          exercise_yaml("knee-to-chest", extra="hold: forever\n"))
    with pytest.raises(InvalidFiles) as caught:
        load_catalog()
    shown = shown_path(backcoach_home / "exercises" / "knee-to-chest.yaml")
    problem = f"{shown}:5:7: hold must be a duration such as 30s or 1m, got 'forever'"
    assert [str(p) for p in caught.value.problems] == [problem]
    catalog = load_catalog(strict=False)
    assert [str(p) for p in catalog.problems] == [problem]
    for lookup in (catalog.exercise, catalog.get):
        with pytest.raises(InvalidFiles) as caught:
            lookup("knee-to-chest")
        assert [str(p) for p in caught.value.problems] == [problem]
    with pytest.raises(InvalidFiles) as caught:
        catalog.routine("daily")  # the built-in daily routine uses knee-to-chest
    assert [str(p) for p in caught.value.problems] == [problem]
    assert "chin-tuck" in catalog.exercises and "desk-break" in catalog.routines
    assert catalog.replaced == {}


def test_duplicate_ids_in_user_files(backcoach_home: Path) -> None:
    first = write(backcoach_home / "exercises" / "a" / "twin.yaml", exercise_yaml("twin"))
    second = write(backcoach_home / "exercises" / "b" / "twin.yaml", exercise_yaml("twin"))
    catalog = load_catalog(strict=False)
    assert [str(p) for p in catalog.problems] == [
        f"{shown_path(second)}:1:5: id 'twin' is already used by exercise "
        f"{shown_path(first)}:1; ids must be unique"]
    # Which of the two is meant is not known: neither is used until one is removed.
    with pytest.raises(InvalidFiles) as caught:
        catalog.exercise("twin")
    assert caught.value.problems == catalog.problems


def test_an_id_names_one_thing_exercise_or_routine(backcoach_home: Path) -> None:
    first = write(backcoach_home / "exercises" / "mine.yaml", exercise_yaml("mine"))
    second = write(backcoach_home / "routines" / "mine.yaml",
                   "id: mine\nname: Mine\nexercises: [chin-tuck]\n")
    catalog = load_catalog(strict=False)
    assert [str(p) for p in catalog.problems] == [
        f"{shown_path(second)}:1:5: id 'mine' is already used by exercise "
        f"{shown_path(first)}:1; ids must be unique"]
    assert "mine" not in catalog.routines


def test_unknown_references_across_files(backcoach_home: Path) -> None:
    routine = write(backcoach_home / "routines" / "mine.yaml",
                    "id: mine\nname: Mine\nexercises:\n  - chin-tuck\n  - id: chin-tuk\n")
    variant = write(backcoach_home / "exercises" / "hard-one.yaml",
                    exercise_yaml("hard-one", extra="harder: nope\n"))
    catalog = load_catalog(strict=False)
    assert [str(p) for p in catalog.problems] == sorted([
        f"{shown_path(variant)}:5:9: harder: unknown exercise 'nope'; `backcoach list` shows "
        "the ids",
        f"{shown_path(routine)}:5:9: unknown exercise 'chin-tuk' (did you mean 'chin-tuck'?); "
        "`backcoach list` shows the ids",
    ])


def test_item_16_the_kneeling_lunge_stretch_is_found_as_lunge() -> None:
    catalog = load_catalog()
    kneeling = catalog.exercise("kneeling-hip-flexor")
    assert catalog.exercise("lunge") is kneeling and catalog.get("lunge") is kneeling
    assert catalog.aliases["lunge"] == "kneeling-hip-flexor"
    with pytest.raises(BadInput, match="no exercise called 'lunj' \\(did you mean 'lunge'\\?\\)"):
        catalog.exercise("lunj")


def test_item_16_an_alias_is_unique_across_the_library(backcoach_home: Path) -> None:
    taken = write(backcoach_home / "exercises" / "mine.yaml",
                  exercise_yaml("mine", extra="aliases: [lunge, chin-tuck, daily, fine]\n"))
    again = write(backcoach_home / "exercises" / "other.yaml",
                  exercise_yaml("other", extra="aliases:\n  - fine\n"))
    catalog = load_catalog(strict=False)
    assert [str(p) for p in catalog.problems] == sorted([
        f"{shown_path(taken)}:5:11: aliases: alias 'lunge' is already used by exercise "
        "'kneeling-hip-flexor'; aliases must be unique across exercises and routines",
        f"{shown_path(taken)}:5:18: aliases: alias 'chin-tuck' is already the id of an "
        "exercise 'chin-tuck'; aliases must be unique across exercises and routines",
        f"{shown_path(taken)}:5:29: aliases: alias 'daily' is already the id of a routine "
        "'daily'; aliases must be unique across exercises and routines",
        f"{shown_path(again)}:6:5: aliases: alias 'fine' is already used by exercise 'mine'; "
        "aliases must be unique across exercises and routines"])
    assert catalog.aliases["fine"] == "mine" and catalog.aliases["lunge"] == "kneeling-hip-flexor"
    with pytest.raises(InvalidFiles):
        load_catalog(strict=True)


def test_item_16_a_routine_names_exercises_by_id_not_by_alias(backcoach_home: Path) -> None:
    routine = write(backcoach_home / "routines" / "mine.yaml",
                    "id: mine\nname: Mine\nexercises: [lunge]\n")
    assert [str(p) for p in load_catalog(strict=False).problems] == [
        f"{shown_path(routine)}:3:13: 'lunge' is another name of exercise "
        "'kneeling-hip-flexor'; files name exercises by id: write kneeling-hip-flexor"]


def test_lookups_say_what_to_do() -> None:
    catalog = load_catalog()
    with pytest.raises(BadInput, match=r"^no exercise or routine called 'daly' \(did you mean "
                       r"'daily'\?\); `backcoach list` shows them all$"):
        catalog.get("daly")
    with pytest.raises(BadInput, match=r"^no routine called 'chin-tuck' \(that is an exercise; "
                       r"run it with --only\); `backcoach list` shows them all$"):
        catalog.routine("chin-tuck")
    with pytest.raises(BadInput, match=r"^no exercise called 'chin-tuk' \(did you mean "
                       r"'chin-tuck'\?\); `backcoach list` shows them all$"):
        catalog.exercise("chin-tuk")
    assert isinstance(catalog.get("daily"), Routine)
    assert isinstance(catalog.get("chin-tuck"), Exercise)


def test_gentle_total_by_hand() -> None:
    # From exercises/*.yaml and routines/gentle.yaml, every dose written out:
    # knee-to-chest, both sides, switch 5 s; gentle sets hold 20s, reps 2, rest 15s, setup 30s
    knee = 30 + 2 * 2 * 20 + 2 * 1 * 5 + 1 * 15            # 135
    # piriformis-figure-four, both sides, setup 10 s, switch 5 s; hold 20s, reps 2, rest 15s
    piriformis = 10 + 2 * 2 * 20 + 2 * 1 * 5 + 1 * 15      # 115
    # neck-side-bend, both sides, setup 10 s, switch 5 s, rest 10 s; hold 15s, reps 2
    neck = 10 + 2 * 2 * 15 + 2 * 1 * 5 + 1 * 10            # 90
    between = 2 * 20                                       # rest_between 20s, 3 exercises
    catalog = load_catalog()
    gentle = catalog.routine("gentle")
    assert [dose.total_seconds() for _, dose in routine_entries(gentle, catalog)] == [
        knee, piriformis, neck]
    assert total_seconds(gentle, catalog) == knee + piriformis + neck + between == 380


def test_the_timeline_lays_exercises_end_to_end_with_the_rests_between() -> None:
    catalog = load_catalog()
    gentle = catalog.routine("gentle")
    entries = timeline(gentle, catalog)
    assert [(e.exercise.id, e.start, e.seconds, e.end) for e in entries] == [
        ("knee-to-chest", 0, 135, 135),
        ("piriformis-figure-four", 135 + 20, 115, 270),
        ("neck-side-bend", 270 + 20, 90, 380)]
    assert [e.dose for e in entries] == [dose for _, dose in routine_entries(gentle, catalog)]
    assert entries[-1].end == total_seconds(gentle, catalog)


def test_a_timeline_of_nothing_is_empty_and_lasts_nothing() -> None:
    assert timed([], 15) == []
    empty = Routine(id="empty", name="Empty", items=())
    assert total_seconds(empty, Catalog()) == 0


def test_total_of_an_exercise_is_its_dose() -> None:
    catalog = load_catalog()
    chin = catalog.exercise("chin-tuck")
    assert chin.dose == Dose(hold=5, reps=10, sides=(), rest=5, setup=10, switch=5)
    assert total_seconds(chin, catalog) == 10 + 10 * 5 + 9 * 5


def test_kind_comes_from_the_folder_or_the_content(tmp_path: Path) -> None:
    loose = write(tmp_path / "mine.yaml", "id: mine\nname: Mine\nexercises: [chin-tuck]\n")
    assert parse_file(loose).kind == "routine"
    assert isinstance(parse_file(loose).definition, Routine)
    in_routines = write(tmp_path / "routines" / "x.yaml", exercise_yaml("x"))
    assert parse_file(in_routines).kind == "routine"
    assert kind_of(tmp_path / "x.yaml", None) == "exercise"


def test_validate_files_checks_only_what_it_is_given(tmp_path: Path,
                                                     backcoach_home: Path) -> None:
    write(backcoach_home / "exercises" / "broken.yaml", "id: broken\n")  # not asked about
    good = write(tmp_path / "lib" / "mine.yaml", exercise_yaml("mine", extra="easier: broken\n"))
    write(tmp_path / "lib" / "routines" / "r.yaml", "id: r\nname: R\nexercises: [mine]\n")
    checked = validate_files([good.parent])
    count, found = checked.files, checked.problems
    assert count == 2
    # 'broken' is not in force (its file is invalid): the reference names that file, and the
    # routine that uses 'mine' names mine's file (issue 13, item 12)
    broken = shown_path(backcoach_home / "exercises" / "broken.yaml")
    assert [str(p) for p in found] == [
        f"{shown_path(good)}:5:9: easier: exercise 'broken' cannot be used until {broken} is "
        "fixed; `backcoach validate` lists its problems",
        f"{shown_path(good.parent / 'routines' / 'r.yaml')}:3:13: exercise 'mine' cannot be "
        f"used until {shown_path(good)} is fixed; `backcoach validate` lists its problems"]


def test_validate_files_missing_target(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"^no such file or folder: "):
        validate_files([tmp_path / "nope"])


def test_shown_path_is_relative_inside_the_current_folder(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown_path(tmp_path / "a" / "b.yaml") == os.path.join("a", "b.yaml")
    outside = tmp_path.parent / "elsewhere.yaml"
    assert shown_path(outside) == str(outside)


def _shown_by_relpath(path: Path) -> str:
    """shown_path as it was first written, with os.path.relpath: what the faster one keeps."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


@pytest.mark.parametrize("where", ["inner", "root", "base"])
def test_shown_path_says_what_relpath_says(where: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    inner = tmp_path / "lib"
    inner.mkdir()
    monkeypatch.chdir({"inner": inner, "root": Path("/"), "base": tmp_path}[where])
    for path in [inner / "a.yaml", inner / "sub" / "b.yaml", inner, tmp_path,
                 tmp_path / "lib2" / "c.yaml", inner / ".." / "lib" / "d.yaml",
                 inner / "..hidden" / "e.yaml", Path("x.yaml"), Path("sub/./y.yaml"),
                 Path(".."), Path("../z.yaml"), Path("."), Path("/"),
                 Path("//" + str(inner).lstrip("/") + "/f.yaml")]:
        assert shown_path(path) == _shown_by_relpath(path), (where, path)


def test_an_empty_catalog_suggests_nothing() -> None:
    with pytest.raises(BadInput, match=r"^no exercise or routine called 'x'; "):
        Catalog().get("x")
