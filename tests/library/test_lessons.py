"""Lessons: a third file kind, checked like exercises and routines; the built-in ones; the one
picked after a session; finding one by topic (issue 17, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backcoach.errors import BadInput
from backcoach.library import lessons, model
from backcoach.library.catalog import load_catalog
from backcoach.library.loading import kind_of, validate_files
from backcoach.library.model import Lesson
from backcoach.safety.rules import AdviceClass

BUILTIN = Path(__file__).resolve().parents[2] / "exercises" / "lessons"
TOPICS = {  # the issue's list, each with the lesson that covers it
    "staying active and avoiding bed rest": "stay-active",
    "hurt is not harm": "hurt-is-not-harm",
    "pacing": "pacing",
    "heat and cold": "heat-and-cold",
    "sitting and breaks": "sitting-and-breaks",
    "posture": "posture",
    "lifting with the legs": "lifting",
    "sleep and mattresses": "sleep",
    "pain relievers": "pain-relievers",
    "weight, smoking and stress": "weight-smoking-stress",
    "when to get help": "when-to-get-help",
}
FILES = sorted(BUILTIN.glob("*.yaml"))


def lesson(ident: str, fits: tuple[str, ...] = (), order: int = 50) -> Lesson:
    return Lesson(ident, ident.title(), "word " * 60, ("a leaflet",), fits, order)


def test_every_topic_of_the_issue_has_a_lesson() -> None:
    found = load_catalog().lessons
    assert set(TOPICS.values()) <= set(found)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_built_in_lesson_passes_validate_and_keeps_to_the_rules(path: Path) -> None:
    assert validate_files([path]).problems == []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = len(data["text"].split())
    assert model.LESSON_WORDS[0] <= words <= model.LESSON_WORDS[1], words
    assert data["sources"], "every lesson says where its facts come from"
    assert kind_of(path, yaml.compose(path.read_text(encoding="utf-8"))) == "lesson"


def test_the_pain_relievers_lesson_follows_nice_and_never_gives_a_dose() -> None:
    text = " ".join(load_catalog().lessons["pain-relievers"].text.split()).lower()
    assert "against paracetamol on its own" in text
    assert "lowest dose that works, for the shortest time" in text
    assert "ask a pharmacist or doctor" in text
    assert not any(unit in text for unit in (" mg", "tablet", "twice a day", "every 4 hours"))


def test_the_moments_a_lesson_can_fit_are_the_advices_classes() -> None:
    """A lesson names the advice it fits by the advice's own words; an emergency gets none."""
    assert set(model.LESSON_MOMENTS) == {
        kind.value for kind in AdviceClass if kind is not AdviceClass.EMERGENCY} | {
        "first-session"}


def test_after_a_rise_the_lesson_is_hurt_is_not_harm() -> None:
    found = load_catalog().lessons.values()
    for moment in ("first-rise", "small-rise", "stopped"):
        picked = lessons.pick(found, set(), moment)
        assert picked is not None and picked.id == "hurt-is-not-harm", moment


def test_a_lesson_is_offered_once_then_the_next_that_fits() -> None:
    found = load_catalog().lessons.values()
    picked = lessons.pick(found, {"hurt-is-not-harm"}, "first-rise")
    assert picked is not None and picked.id == "pacing"
    read_all = {item.id for item in found}
    assert lessons.pick(found, read_all, "steady") is None


def test_the_first_session_starts_with_staying_active() -> None:
    picked = lessons.pick(load_catalog().lessons.values(), set(), "steady", first_session=True)
    assert picked is not None and picked.id == "stay-active"


def test_good_days_go_through_the_lessons_in_order_hard_days_only_what_fits() -> None:
    mine = [lesson("b", order=2), lesson("a", order=1), lesson("c", fits=("high",), order=3)]
    assert [lessons.pick(mine, read, "steady").id  # type: ignore[union-attr]
            for read in (set(), {"a"}, {"a", "b"})] == ["a", "b", "c"]
    picked = lessons.pick(mine, set(), "high")
    assert picked is not None and picked.id == "c"
    assert lessons.pick(mine, {"c"}, "high") is None  # nothing else fits a hard day
    assert lessons.pick(mine, set(), "severe") is None


@pytest.mark.parametrize(("topic", "found"), [
    ("pacing", "pacing"), ("PACING", "pacing"), ("heat", "heat-and-cold"),
    ("cold", "heat-and-cold"), ("mattresses", "sleep"), ("when-to", "when-to-get-help"),
    ("sleeping", "sleep"), ("mattress", "sleep"), ("lift", "lifting"),
    ("smoking", "weight-smoking-stress"), ("stressed", "weight-smoking-stress"),
    ("hurt", "hurt-is-not-harm")])
def test_find_by_id_start_or_title_words(topic: str, found: str) -> None:
    assert lessons.find(load_catalog().lessons, topic).id == found


def test_find_says_what_it_could_not_decide() -> None:
    found = load_catalog().lessons
    with pytest.raises(BadInput, match="no lesson about 'pacng' \\(did you mean 'pacing'\\?\\)"):
        lessons.find(found, "pacng")
    with pytest.raises(BadInput, match="fits more than one lesson: "):
        lessons.find(found, "s")


def test_a_lesson_of_your_own_is_read_from_your_lessons_folder(backcoach_home: Path) -> None:
    folder = backcoach_home / "lessons"
    folder.mkdir(parents=True)
    text = " ".join(["Walk"] + ["to the corner shop and back"] * 12)
    (folder / "walking.yaml").write_text(f"id: walking\ntitle: My walks\ntext: {text}\n"
                                         "sources: [my physiotherapist]\n", encoding="utf-8")
    (folder / "pacing.yaml").write_text(f"id: pacing\ntitle: My pacing\ntext: {text}\n"
                                        "sources: [my physiotherapist]\n", encoding="utf-8")
    catalog = load_catalog()
    assert catalog.lessons["walking"].title == "My walks"
    assert catalog.lessons["pacing"].title == "My pacing"  # yours replaces the built-in
    assert not catalog.lessons["walking"].origin.builtin
    assert "walking" not in catalog.exercises  # lessons have ids of their own


def test_a_broken_lesson_of_yours_is_named_and_leaves_the_library_alone(
        backcoach_home: Path) -> None:
    folder = backcoach_home / "lessons"
    folder.mkdir(parents=True)
    (folder / "knee-to-chest.yaml").write_text("id: knee-to-chest\ntitle: T\ntext: too short\n"
                                               "sources: [x]\n", encoding="utf-8")
    catalog = load_catalog(strict=False)
    assert [p.message for p in catalog.problems] == ["text must be 60 to 120 words, got 2"]
    assert "knee-to-chest" in catalog.exercises  # an exercise of that id is untouched
    assert "knee-to-chest" not in catalog.lessons
