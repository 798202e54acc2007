"""Steps written into the person's routine file and taken back (`progress --apply`, `--undo`),
from real sessions in history; the text edits round-trip byte for byte (issue 17, item 1)."""

from __future__ import annotations

import os
from datetime import UTC, timedelta
from pathlib import Path

import pytest

from backcoach import app
from backcoach.errors import BadInput
from backcoach.history import coaching
from backcoach.history.store import HistoryStore
from backcoach.library import doseedit
from backcoach.library.catalog import load_catalog
from backcoach.paths import HomeError
from backcoach.safety import progression
from backcoach.safety.flow import clear_screen
from backcoach.safety.progression import Step, Verdict
from tests.app_helpers import T0, environment

NOW = T0 + timedelta(days=10)


@pytest.fixture
def screened(backcoach_home: Path) -> Path:
    with HistoryStore.open() as store:
        clear_screen(store, T0 - timedelta(days=1))
    return backcoach_home


def run(routine: str, day: int, before: int = 3, after: int = 3) -> None:
    env, _, err, _ = environment(interactive=False, start=T0 + timedelta(days=day))
    code = app.run_session(app.SessionOptions(routine=routine, speed=1000, output="jsonl",
                                              pain_before=before, pain_after=after), env)
    assert code == 0, err.getvalue()


def verdict_of(routine: str) -> Verdict:
    with HistoryStore.open() as store:
        found = dict((r.id, v) for r, v in coaching.verdicts(store, load_catalog(), NOW))
    return found[routine]


def test_three_comfortable_strength_sessions_step_up_and_back(screened: Path) -> None:
    for day in range(3):
        run("strength", day)
    verdict = verdict_of("strength")
    assert verdict.line.startswith("Step up: Glute bridge, 8 → 9 reps. Why: 3 comfortable")
    catalog = load_catalog()
    with HistoryStore.open() as store:
        applied = coaching.apply_step(store, catalog, catalog.routine("strength"), verdict, NOW,
                                      UTC)
    path = screened / "routines" / "strength.yaml"
    assert applied.created and applied.path == path
    text = path.read_text(encoding="utf-8")
    assert ("  # 2026-03-20 backcoach progress --apply: step up, Glute bridge, 8 → 9 reps, as 3 "
            "comfortable sessions in a row, every rep done and nothing stopped; `backcoach "
            "progress --undo` takes it back\n  - id: glute-bridge\n    reps: 9\n  - heel-taps\n"
            in text)
    now_in_force = load_catalog().routine("strength")
    assert not now_in_force.origin.builtin
    assert now_in_force.items[0].override.reps == 9
    # Nothing else of the copy differs from the built-in's text but the copy's header.
    builtin = (Path(__file__).resolve().parents[2] / "exercises" / "routines" /
               "strength.yaml").read_text(encoding="utf-8")
    expected = builtin.replace("  - glute-bridge\n", "  - id: glute-bridge\n    reps: 9\n")

    def uncommented(text: str) -> list[str]:
        return [line for line in text.splitlines() if not line.lstrip().startswith("#")]

    assert uncommented(text) == uncommented(expected)
    assert "You changed it" in verdict_of("strength").line  # no second step meanwhile
    with HistoryStore.open() as store:
        undone = coaching.undo_last(store, NOW)
        assert undone.created_file and not path.exists()  # the built-in is back in force
        with pytest.raises(BadInput, match="nothing to undo"):
            coaching.undo_last(store, NOW)
    assert load_catalog().routine("strength").origin.builtin


LAYOUTS = {
    "block": ("id: mine\nname: Mine\nexercises:\n  - knee-to-chest  # my favourite\n"
              "  - id: glute-bridge\n    reps: 8\n    hold: 5s\n"),
    "flow": "id: mine\nname: Mine\nexercises: [knee-to-chest, {id: glute-bridge, reps: 8}]\n",
    "crlf-and-bom": ("\ufeffid: mine\r\nname: Mine\r\nexercises:\r\n  - knee-to-chest\r\n"
                     "  - id: glute-bridge\r\n    hold: 5s\r\n"),
    "no-final-line-break": "id: mine\nname: Mine\nexercises:\n  - knee-to-chest\n"
                           "  - {id: glute-bridge, hold: 5s, sides: none}",
    "comments-and-blank-lines": ("# my routine\n\nid: mine  # the id\nname: Mine\n\n"
                                 "exercises:\n  # lying\n  - knee-to-chest\n\n"
                                 "  - id: glute-bridge   # strength\n    reps: 8   # eight\n"),
}


def step_for(catalog_routine: str, position: int, kind: str, new_id: str | None = None,
             **dose: int) -> Verdict:
    catalog = load_catalog()
    routine = catalog.routine(catalog_routine)
    entry = catalog.exercise(routine.items[position].exercise_id)
    old = routine.items[position].override.apply(entry.dose)
    new_exercise = catalog.exercise(new_id) if new_id else entry
    new = (new_exercise.dose if new_id else old)._replace(**dose)
    step = Step("up", kind, position, entry, old, new_exercise, new)
    return Verdict(catalog_routine, step, f"Step up: {step.what}. Why: a test.", "a test")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("position", "kind", "new_id", "dose"), [
    (0, "hold", None, {"hold": 35}), (0, "reps", None, {"reps": 4}),
    (1, "reps", None, {"reps": 9}), (1, "hold", None, {"hold": 10}),
    (1, "variant", "single-leg-bridge", {})])
def test_apply_and_undo_round_trip_byte_for_byte(backcoach_home: Path, layout: str,
                                                 position: int, kind: str, new_id: str | None,
                                                 dose: dict[str, int]) -> None:
    path = backcoach_home / "routines" / "mine.yaml"
    path.parent.mkdir(parents=True)
    original = LAYOUTS[layout].encode("utf-8")
    path.write_bytes(original)
    os.chmod(path, 0o640)
    catalog = load_catalog()
    verdict = step_for("mine", position, kind, new_id, **dose)
    with HistoryStore.open() as store:
        applied = coaching.apply_step(store, catalog, catalog.routine("mine"), verdict, NOW,
                                      UTC)
    assert not applied.created
    after = path.read_bytes()
    # What changed: the dated comment, and the values the step needs, nothing else.
    lines_before = original.decode("utf-8").splitlines()
    lines_after = after.decode("utf-8").splitlines()
    comments = [line for line in lines_after if "backcoach progress --apply" in line]
    assert len(comments) == 1 and comments[0].strip().startswith("# 2026-03-20 ")
    assert len(lines_after) - len(lines_before) in (1, 2)  # the comment, maybe one key line
    in_force = load_catalog().routine("mine")
    item = in_force.items[position]
    assert item.exercise_id == (new_id or item.exercise_id)
    assert item.override.apply(load_catalog().exercise(item.exercise_id).dose) == verdict.step.new  # type: ignore[union-attr]
    assert (b"\r\n" in after) == (b"\r\n" in original)
    assert after.startswith(b"\xef\xbb\xbf") == original.startswith(b"\xef\xbb\xbf")
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o640)
    with HistoryStore.open() as store:
        coaching.undo_last(store, NOW)
    assert path.read_bytes() == original


def test_undo_keeps_what_you_changed_elsewhere_since(backcoach_home: Path) -> None:
    path = backcoach_home / "routines" / "mine.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(LAYOUTS["block"], encoding="utf-8")
    catalog = load_catalog()
    with HistoryStore.open() as store:
        coaching.apply_step(store, catalog, catalog.routine("mine"),
                            step_for("mine", 1, "reps", reps=9), NOW, UTC)
    path.write_text(path.read_text(encoding="utf-8").replace("name: Mine", "name: My own"),
                    encoding="utf-8")
    with HistoryStore.open() as store:
        coaching.undo_last(store, NOW)
    assert path.read_text(encoding="utf-8") == LAYOUTS["block"].replace("name: Mine",
                                                                         "name: My own")


def test_undo_refuses_when_the_changed_lines_were_changed_again(backcoach_home: Path) -> None:
    path = backcoach_home / "routines" / "mine.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(LAYOUTS["block"], encoding="utf-8")
    catalog = load_catalog()
    with HistoryStore.open() as store:
        coaching.apply_step(store, catalog, catalog.routine("mine"),
                            step_for("mine", 1, "reps", reps=9), NOW, UTC)
    edited = path.read_text(encoding="utf-8").replace("reps: 9", "reps: 12")
    path.write_text(edited, encoding="utf-8")
    with HistoryStore.open() as store, pytest.raises(BadInput, match="change them back by "
                                                                      "hand with `backcoach "
                                                                      "edit mine`"):
        coaching.undo_last(store, NOW)
    assert path.read_text(encoding="utf-8") == edited  # nothing lost


def test_a_routine_file_linked_from_outside_the_home_is_never_written(backcoach_home: Path,
                                                                       tmp_path: Path) -> None:
    outside = tmp_path / "shared.yaml"
    outside.write_text(LAYOUTS["block"], encoding="utf-8")
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "mine.yaml").symlink_to(outside)
    catalog = load_catalog()
    with HistoryStore.open() as store, pytest.raises(HomeError, match="outside"):
        coaching.apply_step(store, catalog, catalog.routine("mine"),
                            step_for("mine", 1, "reps", reps=9), NOW, UTC)
        assert store.dose_changes() == []
    assert outside.read_text(encoding="utf-8") == LAYOUTS["block"]


def test_the_gentle_routine_is_not_written_anywhere(backcoach_home: Path) -> None:
    catalog = load_catalog()
    step = Step("down", "gentle", -1, None, None)
    with HistoryStore.open() as store, pytest.raises(BadInput, match="nothing to write"):
        coaching.apply_step(store, catalog, catalog.routine("daily"),
                            Verdict("daily", step, "Step down: ...", "x"), NOW, UTC)
    assert not (backcoach_home / "routines").exists()


def test_doseedit_refuses_what_it_cannot_place() -> None:
    with pytest.raises(doseedit.EditFailed, match="no exercise number 3"):
        doseedit.change_entry(LAYOUTS["block"], 2, {"reps": "3"}, "c")
    with pytest.raises(doseedit.EditFailed, match="quoted"):
        doseedit.change_entry("id: r\nname: R\nexercises:\n  - 'knee-to-chest'\n", 0,
                              {"reps": "3"}, "c")


def test_a_file_the_step_cannot_be_placed_in_is_left_alone(backcoach_home: Path) -> None:
    path = backcoach_home / "routines" / "mine.yaml"
    path.parent.mkdir(parents=True)
    text = "id: mine\nname: Mine\nexercises:\n  - 'knee-to-chest'\n  - glute-bridge\n"
    path.write_text(text, encoding="utf-8")
    catalog = load_catalog()
    with HistoryStore.open() as store:
        with pytest.raises(BadInput, match=r"cannot write the step into .*mine\.yaml: the "
                                           r"entry's id is quoted or spread over lines; make "
                                           r"the change by hand with `backcoach edit mine`"):
            coaching.apply_step(store, catalog, catalog.routine("mine"),
                                step_for("mine", 0, "reps", reps=3), NOW, UTC)
        assert store.dose_changes() == []
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_verdicts_read_only_the_sessions_they_weigh(backcoach_home: Path, seed: int) -> None:
    """Verdicts read exercise rows only for each routine's newest sessions and the ones
    before them: over a random history of two routines with stops and flares, they equal the
    verdicts worked out from every session with every exercise row."""
    from tests.perf.gen_history import generate

    path = backcoach_home / "history.sqlite3"
    generate(path, days=150, end=NOW, seed=seed)
    with HistoryStore.open(path) as store:
        store._conn.execute("UPDATE sessions SET routine_id = 'gentle' WHERE id % 3 = 0")
    catalog = load_catalog()
    with HistoryStore.open(path) as store:
        full = store.sessions(since=NOW - coaching.LOOKBACK, with_counts=False)
        every_class = coaching.classify_sessions(full)
        light = coaching.recent_sessions(store, NOW)
        read, classified = coaching.with_windows(store, light, ["daily", "gentle"])
        assert 0 < sum(1 for s in read if s.exercises) < len(light) // 2
        assert classified and all(every_class[i] == c for i, c in
                                  coaching.classify_sessions(read, only=classified).items())
        for routine, verdict in coaching.verdicts(store, catalog, NOW):
            own = [s for s in full if s.routine_id == routine.id]
            changes = [progression.LastChange(c.applied_at, c.exercise_id, c.direction, c.step)
                       for c in store.dose_changes(routine.id)]
            assert verdict == progression.decide(
                routine.id, coaching.entries_of(routine, catalog),
                coaching.outcomes_of(own, every_class), catalog.exercises, changes)
        assert {r.id for r, _ in coaching.verdicts(store, catalog, NOW)} == {"daily", "gentle"}
