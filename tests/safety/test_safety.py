"""The pure safety rules: questions, tiers, re-screening, clearance and pain advice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
import yaml

from backcoach.library.catalog import load_catalog
from backcoach.library.model import CONTRAINDICATIONS
from backcoach.safety import redflags, rules
from backcoach.safety.redflags import Tier
from backcoach.safety.rules import PainPoint
from tests.safety_helpers import NOW, screen

EXPECTED_TIERS = {
    "saddle-numbness": Tier.EMERGENCY,
    "bladder-bowel": Tier.EMERGENCY,
    "sexual-function": Tier.EMERGENCY,
    "both-legs": Tier.EMERGENCY,
    "serious-injury": Tier.EMERGENCY,
    "chest-pain": Tier.EMERGENCY,
    "fever-unwell": Tier.URGENT,
    "weight-loss": Tier.URGENT,
    "cancer-history": Tier.URGENT,
    "lump-or-shape": Tier.URGENT,
    "rest-night-pain": Tier.URGENT,
    "infection-fracture-risk": Tier.URGENT,
    "one-limb-nerve": Tier.SEE_SOON,
    "not-improving": Tier.SEE_SOON,
    "first-over-50": Tier.SEE_SOON,
    "osteoporosis": Tier.CLEARANCE,
    "spinal-fracture": Tier.CLEARANCE,
    "hip-replacement": Tier.CLEARANCE,
    "recent-surgery": Tier.CLEARANCE,
    "pregnancy": Tier.CLEARANCE,
    "heart-condition": Tier.CLEARANCE,
    "shoulder-problem": Tier.CLEARANCE,
    "knee-problem": Tier.CLEARANCE,
}
JARGON = ("cauda", "equina", "nprs", "contraindicat", "a&e", "red flag")


def question_text() -> str:
    return resources.files("backcoach.safety").joinpath("red_flags.yaml").read_text("utf-8")


def raw_questions() -> dict[str, Any]:
    data = yaml.safe_load(question_text())
    assert isinstance(data, dict)
    return data


def one(**answers: bool) -> redflags.ScreenOutcome:
    return redflags.evaluate({key.replace("_", "-"): value for key, value in answers.items()})


# --- the question file ----------------------------------------------------------------------------

def test_question_file_is_sound() -> None:
    assert redflags.question_problems(question_text()) == []


def test_every_question_has_its_tier_in_order() -> None:
    questions = redflags.load_questions()
    assert {q.id: q.tier for q in questions} == EXPECTED_TIERS
    tiers = [q.tier for q in questions]
    assert tiers == sorted(tiers, reverse=True), "asked worst tier first"


def test_clearance_questions_set_exactly_their_own_tag_and_cover_every_tag() -> None:
    clearance = [q for q in redflags.load_questions() if q.tier is Tier.CLEARANCE]
    assert all(q.sets == (q.id,) and q.label for q in clearance)
    assert {tag for q in clearance for tag in q.sets} == set(CONTRAINDICATIONS)
    others = [q for q in redflags.load_questions() if q.tier is not Tier.CLEARANCE]
    assert all(q.sets == () and q.label == "" for q in others)


@pytest.mark.parametrize("ident", ["saddle-numbness", "bladder-bowel", "sexual-function"])
def test_nerve_pressure_questions_ask_about_new_changes_within_two_weeks(ident: str) -> None:
    question = next(q for q in redflags.load_questions() if q.id == ident)
    assert "new" in question.ask and "two weeks" in question.ask


def test_questions_and_reasons_are_plain() -> None:
    for question in redflags.load_questions():
        assert question.ask.endswith(("?", "?)"))
        assert not any(word in (question.ask + question.why).lower() for word in JARGON)


PATH = "backcoach/safety/red_flags.yaml"
TAGS = ", ".join(CONTRAINDICATIONS)
TIERS = "emergency, urgent, see-soon, clearance"
NL, BLANK = "\n", "' '"  # for f-strings, which take no backslash or quote of their own


def at(text: str, before: str, value: str, nth: int = 1) -> str:
    """`line:col` of `value` where it follows `before` for the nth time in the text."""
    index = -1
    for _ in range(nth):
        index = text.index(before + value, index + 1)
    index += len(before)
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - text.rfind(NL, 0, index)}"


def dumped(change: Callable[[dict[str, Any]], object]) -> str:
    """The packaged questions, changed, written back as YAML (one line for each key)."""
    data = raw_questions()
    change(data)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def doc(key: str) -> str:
    return next(spec.doc for spec in redflags.QUESTION_FIELDS if spec.name == key)


# (id, change to the parsed file, the exact problems in the file it is written back as)
QUESTION_CASES: list[tuple[str, Callable[[dict[str, Any]], object],
                           Callable[[str], list[str]]]] = [
    ("unknown-tier", lambda d: d["questions"][0].update(tier="severe"),
     lambda t: [f"{at(t, 'tier: ', 'severe')}: tier must be one of {TIERS}, got 'severe'"]),
    ("tier-ok", lambda d: d["questions"][0].update(tier="ok"),
     lambda t: [f"{at(t, 'tier: ', 'ok')}: tier must be one of {TIERS}, got 'ok'"]),
    ("id-twice", lambda d: d["questions"][1].update(id="saddle-numbness"),
     lambda t: [f"{at(t, 'id: ', 'saddle-numbness', nth=2)}: id 'saddle-numbness' is already "
                f"used by the question at line {at(t, 'id: ', 'saddle-numbness').split(':')[0]}; "
                "ids must be unique"]),
    ("not-a-question", lambda d: d["questions"][0].update(ask="Numbness."),
     lambda t: [f"{at(t, 'ask: ', 'Numbness.')}: ask must be a question, ending in '?'"]),
    ("no-why", lambda d: d["questions"][0].pop("why"),
     lambda t: [f"{at(t, '- ', 'id: saddle-numbness')}: question is missing 'why': {doc('why')}"]),
    ("empty-why", lambda d: d["questions"][0].update(why=" "),
     lambda t: [f"{at(t, 'why: ', BLANK)}: why must not be empty"]),
    ("unknown-key", lambda d: d["questions"][0].update(colour="red"),
     lambda t: [f"{at(t, '  ', 'colour')}: unknown key 'colour' in question; known keys: id, "
                "tier, ask, why, label, sets"]),
    ("bad-id", lambda d: d["questions"][0].update(id="Saddle_Numbness"),
     lambda t: [f"{at(t, 'id: ', 'Saddle_Numbness')}: id must use only lowercase letters, "
                "digits and single hyphens, such as knee-to-chest, got 'Saddle_Numbness'"]),
    ("tags-outside-clearance", lambda d: d["questions"][0].update(sets=["pregnancy"]),
     lambda t: [f"{at(t, 'sets:' + NL + '  ', '- pregnancy')}: sets is only for "
                "clearance questions; remove it from this 'emergency' question"]),
    ("label-outside-clearance", lambda d: d["questions"][0].update(label="x"),
     lambda t: [f"{at(t, 'label: ', 'x')}: label is only for clearance questions; remove it "
                "from this 'emergency' question"]),
    ("unknown-tag", lambda d: d["questions"][-1].update(sets=["bad-knee"]),
     lambda t: [f"{at(t, '- ', 'bad-knee')}: sets item 1 must be one of {TAGS}, got "
                "'bad-knee'"]),
    ("no-tags", lambda d: d["questions"][-1].update(sets=[]),
     lambda t: [f"{at(t, 'sets: ', '[]')}: sets must list at least one item"]),
    ("tags-missing", lambda d: d["questions"][-1].pop("sets"),
     lambda t: [f"{at(t, '- ', 'id: knee-problem')}: a clearance question needs 'sets': "
                f"{doc('sets')}"]),
    ("label-missing", lambda d: d["questions"][-1].pop("label"),
     lambda t: [f"{at(t, '- ', 'id: knee-problem')}: a clearance question needs 'label': "
                f"{doc('label')}"]),
    ("reversed", lambda d: d["questions"].reverse(),
     lambda t: [f"{at(t, 'tier: ', tier)}: questions must go from the worst tier down: this "
                f"'{tier}' question comes after a '{before}' one"
                for tier, before in (("see-soon", "clearance"), ("urgent", "see-soon"),
                                     ("emergency", "urgent"))]),
    ("questions-not-a-list", lambda d: d.update(questions={}),
     lambda t: [f"{at(t, 'questions: ', '{}')}: questions must be a list (lines starting "
                "with '- '), got a mapping (key: value pairs)"]),
    ("no-questions", lambda d: d.update(questions=[]),
     lambda t: [f"{at(t, 'questions: ', '[]')}: questions must list at least one item"]),
    ("questions-missing", lambda d: d.pop("questions"),
     lambda t: ["1:1: question file is missing 'questions': the questions in the order they "
                "are asked, worst tier first"]),
    ("wrong-version", lambda d: d.update(version=2),
     lambda t: [f"{at(t, 'version: ', '2')}: version must be from 1 to 1, got the number 2"]),
]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in QUESTION_CASES],
                         ids=[case[0] for case in QUESTION_CASES])
def test_question_problems_are_found(change: Callable[[dict[str, Any]], object],
                                     expected: Callable[[str], list[str]]) -> None:
    text = dumped(change)
    found = [str(problem) for problem in redflags.question_problems(text)]
    assert found == [f"{PATH}:{line}" for line in expected(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("", ["1:1: file is empty; it needs version and questions"]),
    ("- version: 1\n",
     ["1:1: question file must be a mapping of 'key: value' lines, got a list"]),
    ("version: 1\nquestions: [a, b\n",
     ["2:12: YAML syntax error: a list in '[' is not closed with ']'"]),
    ("version: 1\nversion: 1\nquestions: []\n",
     ["2:1: duplicate key 'version' (first at line 1); keep one",
      "3:12: questions must list at least one item"]),
])
def test_problems_yaml_alone_shows(text: str, expected: list[str]) -> None:
    """What only the nodes show (a repeated key, the place of a syntax error) is found too."""
    assert [str(p) for p in redflags.question_problems(text)] == [
        f"{PATH}:{line}" for line in expected]


def test_a_repeated_key_in_a_question_is_found() -> None:
    text = question_text().replace("    tier: emergency\n", "    tier: emergency\n"
                                   "    tier: clearance\n", 1)
    line = at(text, "    ", "tier: clearance").split(":")[0]
    assert [str(p) for p in redflags.question_problems(text)] == [
        f"{PATH}:{line}:5: duplicate key 'tier' (first at line {int(line) - 1}); keep one"]


def test_a_broken_packaged_file_stops_with_every_place(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    text = question_text().replace("tier: emergency", "tier: severe", 1).replace(
        "ask: Do you have chest pain?", "ask: Chest pain.")
    (tmp_path / "red_flags.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(redflags, "resources", SimpleNamespace(files=lambda package: tmp_path))
    redflags.load_questions.cache_clear()
    try:
        with pytest.raises(RuntimeError) as caught:
            redflags.load_questions()
    finally:
        redflags.load_questions.cache_clear()  # the next test reads the real file again
    assert str(caught.value).splitlines() == [
        f"{PATH} is broken:",
        f"{PATH}:{at(text, 'tier: ', 'severe')}: tier must be one of {TIERS}, got 'severe'",
        f"{PATH}:{at(text, 'ask: ', 'Chest pain.')}: ask must be a question, ending in '?'"]


# The question file's rules across fields and across questions, which its JSON Schema (fields
# only) cannot state; every other case is one JSON Schema refuses as well.
ACROSS_FIELDS = {
    "id-twice": "ids are unique across questions: uniqueItems compares whole questions",
    "tags-outside-clearance": "only a clearance question sets tags: a rule across fields",
    "label-outside-clearance": "only a clearance question has a label: a rule across fields",
    "tags-missing": "a clearance question needs its tags: a rule across fields",
    "label-missing": "a clearance question needs its label: a rule across fields",
    "reversed": "the order of the tiers: a rule across questions",
}


def test_the_question_file_passes_its_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(redflags.json_schema())
    assert jsonschema.Draft202012Validator(redflags.json_schema()).is_valid(raw_questions())


@pytest.mark.parametrize("change", [case[1] for case in QUESTION_CASES],
                         ids=[case[0] for case in QUESTION_CASES])
def test_json_schema_refuses_what_the_field_checks_refuse(
        change: Callable[[dict[str, Any]], object], request: pytest.FixtureRequest) -> None:
    name = request.node.callspec.id
    text = dumped(change)
    assert redflags.question_problems(text), "every case is a bad file"
    valid = jsonschema.Draft202012Validator(redflags.json_schema()).is_valid(yaml.safe_load(text))
    assert valid is (name in ACROSS_FIELDS), ACROSS_FIELDS.get(name, "a field check")


def test_user_files_cannot_replace_the_questions(backcoach_home: Path) -> None:
    for folder in (backcoach_home, backcoach_home / "exercises", backcoach_home / "data"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "red_flags.yaml").write_text("version: 1\nquestions: []\n")
    redflags.load_questions.cache_clear()
    assert len(redflags.load_questions()) == len(EXPECTED_TIERS)


# --- outcomes -------------------------------------------------------------------------------------

def test_all_no_is_ok() -> None:
    outcome = redflags.evaluate(dict.fromkeys(EXPECTED_TIERS, False))
    assert (outcome.tier, outcome.triggered, outcome.tags) == (Tier.OK, (), frozenset())
    assert not outcome.blocks
    assert "clear to exercise" in " ".join(outcome.message)


def test_no_answers_at_all_is_ok() -> None:
    assert redflags.evaluate({}).tier is Tier.OK


@pytest.mark.parametrize(("ident", "tier"), EXPECTED_TIERS.items())
def test_each_yes_gives_its_tier(ident: str, tier: Tier) -> None:
    outcome = redflags.evaluate({ident: True})
    assert outcome.tier is tier
    assert [q.id for q in outcome.triggered] == [ident]
    assert outcome.blocks is (tier >= Tier.URGENT)


@pytest.mark.parametrize(("answers", "tier"), [
    ({"pregnancy": True, "first-over-50": True}, Tier.SEE_SOON),
    ({"first-over-50": True, "weight-loss": True}, Tier.URGENT),
    ({"weight-loss": True, "chest-pain": True, "osteoporosis": True}, Tier.EMERGENCY),
    ({"knee-problem": True, "one-limb-nerve": True, "fever-unwell": True,
      "bladder-bowel": True}, Tier.EMERGENCY),
])
def test_worst_answer_wins(answers: dict[str, bool], tier: Tier) -> None:
    assert redflags.evaluate(answers).tier is tier


def test_unknown_ids_and_no_answers_are_ignored() -> None:
    assert redflags.evaluate({"retired-question": True, "chest-pain": False}).tier is Tier.OK


def test_tier_order_and_names() -> None:
    assert Tier.OK < Tier.CLEARANCE < Tier.SEE_SOON < Tier.URGENT < Tier.EMERGENCY
    assert Tier.parse("see-soon") is Tier.SEE_SOON
    assert Tier.parse("EMERGENCY") is Tier.EMERGENCY
    with pytest.raises(ValueError, match="unknown tier"):
        Tier.parse("bad")


@pytest.mark.parametrize(("tier", "blocks"), [
    (Tier.OK, False), (Tier.CLEARANCE, False), (Tier.SEE_SOON, False),
    (Tier.URGENT, True), (Tier.EMERGENCY, True)])
def test_only_emergency_and_urgent_block(tier: Tier, blocks: bool) -> None:
    assert redflags.blocks_session(tier) is blocks


def test_emergency_message_says_what_to_do_first_then_why() -> None:
    message = one(saddle_numbness=True).message
    assert message[0] == "Call emergency services or go to an emergency department now."
    assert "groin" in message[1] and "nerves" in message[1]
    assert "Do not do any exercises today." in message
    assert "`backcoach screen`" in message[-1]


def test_urgent_message() -> None:
    message = one(fever_unwell=True, cancer_history=True).message
    assert message[0].startswith("Get medical advice today")
    assert any("infection" in line for line in message)
    assert any("cancer" in line for line in message)
    assert "Please don't exercise today." in message
    assert "`backcoach screen`" in message[-1]


def test_emergency_message_gives_only_emergency_reasons() -> None:
    message = one(chest_pain=True, weight_loss=True).message
    assert not any("Weight loss" in line for line in message)


def test_see_soon_message_allows_careful_exercise() -> None:
    message = " ".join(one(one_limb_nerve=True).message)
    assert message.startswith("Arrange to see a doctor or physiotherapist soon.")
    assert "keep exercising gently" in message and "Stop any exercise" in message
    assert "spread" in message


def test_clearance_message_names_the_conditions() -> None:
    outcome = one(hip_replacement=True, pregnancy=True)
    assert outcome.tier is Tier.CLEARANCE
    assert outcome.tags == {"hip-replacement", "pregnancy"}
    text = " ".join(outcome.message)
    assert "a hip replacement and pregnancy" in text and "left out" in text


def test_see_soon_with_clearance_says_both() -> None:
    text = " ".join(one(first_over_50=True, osteoporosis=True).message)
    assert "Arrange to see" in text and "osteoporosis" in text


@pytest.mark.parametrize("ident", list(EXPECTED_TIERS))
def test_messages_are_plain_and_calm(ident: str) -> None:
    text = " ".join(redflags.evaluate({ident: True}).message).lower()
    assert not any(word in text for word in JARGON)
    assert "!" not in text and "push through" not in text


def test_blocked_message_says_what_to_do_and_how_to_clear() -> None:
    emergency = redflags.blocked_message(Tier.EMERGENCY, datetime(2026, 3, 1, tzinfo=UTC))
    assert "on 01 Mar 2026" in emergency
    assert "Call emergency services or go to an emergency department now" in emergency
    assert "run `backcoach screen` again" in emergency
    assert "Get medical advice today" in redflags.blocked_message(Tier.URGENT)


# --- re-screening ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("days", "due"), [(0, False), (29, False), (30, False),
                                           (30.01, True), (31, True), (400, True)])
def test_rescreen_after_30_days(days: float, due: bool) -> None:
    assert redflags.needs_rescreen(screen(days), NOW) is due


def test_rescreen_when_never_screened_and_with_other_periods() -> None:
    assert redflags.needs_rescreen(None, NOW)
    assert redflags.needs_rescreen(screen(8), NOW, days=7)
    assert not redflags.needs_rescreen(screen(6), NOW, days=7)


def test_naive_times_are_read_as_utc() -> None:
    record = screen(31)
    naive = type(record)(record.taken_at.replace(tzinfo=None), record.tier, record.answers)
    assert redflags.needs_rescreen(naive, NOW)


def test_record_tier_is_the_worse_of_stored_and_answers() -> None:
    assert redflags.record_tier(screen(1, "URGENT")) is Tier.URGENT
    assert redflags.record_tier(screen(1, "OK", {"chest-pain": True})) is Tier.EMERGENCY
    assert redflags.record_tier(screen(1, "nonsense")) is Tier.OK


# --- clearance ------------------------------------------------------------------------------------

HIDDEN_BY_TAG = {
    "osteoporosis": {"knee-to-chest", "double-knee-to-chest"},
    "spinal-fracture": {"knee-to-chest", "double-knee-to-chest"},
    "hip-replacement": {"kneeling-hip-flexor", "standing-hip-flexor", "piriformis-cross-body",
                        "piriformis-figure-four"},
    "knee-problem": {"kneeling-hip-flexor", "piriformis-figure-four"},
    "shoulder-problem": {"doorway-chest-stretch"},
    "recent-surgery": set(),
    "pregnancy": set(),
    "heart-condition": set(),
}


@pytest.mark.parametrize(("tag", "hidden"), HIDDEN_BY_TAG.items())
def test_clearance_hides_the_right_builtin_exercises(tag: str, hidden: set[str]) -> None:
    catalog = load_catalog()
    outcome = redflags.evaluate({tag: True})
    found = redflags.hidden_exercises(catalog.exercises.values(), outcome.tags)
    assert set(found) == hidden
    label = redflags.TAG_LABELS[tag]
    assert all(label in reason for reason in found.values())


def test_clearance_reasons_name_every_matching_condition() -> None:
    catalog = load_catalog()
    found = redflags.hidden_exercises(catalog.exercises.values(),
                                      {"hip-replacement", "knee-problem"})
    assert "a knee problem and a hip replacement" in found["kneeling-hip-flexor"]
    assert found["kneeling-hip-flexor"].startswith("not advised with")
    assert "doctor or physiotherapist" in found["kneeling-hip-flexor"]


def test_no_tags_hide_nothing() -> None:
    assert redflags.hidden_exercises(load_catalog().exercises.values(), ()) == {}


def test_hide_reason_for_one_exercise() -> None:
    exercise = load_catalog().exercise("doorway-chest-stretch")
    assert redflags.hide_reason(exercise, iter(["pregnancy"])) is None
    reason = redflags.hide_reason(exercise, iter(["shoulder-problem"]))
    assert "a shoulder problem" in (reason or "")


# --- the first-run statement ----------------------------------------------------------------------

def test_disclaimer_is_short_and_says_what_it_is_not() -> None:
    text = " ".join(redflags.DISCLAIMER)
    assert "general information" in text and "does not diagnose or treat" in text
    assert "Get medical help instead" in text
    assert len(text.split()) < 120
    assert redflags.DISCLAIMER_VERSION


# --- during a stretch -----------------------------------------------------------------------------

@pytest.mark.parametrize("level", [None, 0, 2, 5, 10])
@pytest.mark.parametrize("kind", ["sharp", "spreading"])
def test_sharp_or_spreading_pain_always_stops(kind: str, level: int | None) -> None:
    advice = rules.assess_hurt(kind, level)
    assert advice.stop and advice.reason
    assert "Stop this exercise for today" in advice.message
    assert "push" not in advice.message.replace("not to push on", "")


def test_spreading_records_why() -> None:
    assert rules.assess_hurt("spreading").reason == "pain spreading into a leg or arm"
    assert rules.assess_hurt("sharp").reason == "sharp pain"


@pytest.mark.parametrize("neck", [True, False])
def test_dizziness_stops(neck: bool) -> None:
    advice = rules.assess_hurt("dizzy", None, neck=neck)
    assert advice.stop
    assert ("neck" in (advice.reason or "")) is neck
    assert "medical advice" in advice.message


@pytest.mark.parametrize(("level", "stop", "ease_off"), [
    (0, False, False), (3, False, False), (4, False, True), (5, False, True),
    (6, True, False), (10, True, False), (None, False, True)])
def test_dull_pain_by_level(level: int | None, stop: bool, ease_off: bool) -> None:
    advice = rules.assess_hurt("dull", level)
    assert (advice.stop, advice.ease_off) == (stop, ease_off)
    if level is not None and level <= 3:
        assert "Hurt is not the same as harm" in advice.message
    if ease_off:
        assert "settles" in advice.message
    if stop:
        assert advice.reason == f"pain {level}/10"


def test_bad_hurt_input_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        rules.assess_hurt("burning")
    with pytest.raises(ValueError, match="0-10"):
        rules.assess_hurt("dull", 11)


# --- after a session ------------------------------------------------------------------------------

def test_no_advice_without_both_scores() -> None:
    assert rules.after_session(None, 4) == rules.AfterAdvice(None, False, False, ())
    assert rules.after_session(4, None).lines == ()


@pytest.mark.parametrize(("before", "after", "flare"), [
    (4, 2, False), (4, 4, False), (4, 5, False), (4, 6, True), (4, 7, True), (0, 2, True)])
def test_flare_at_two_points(before: int, after: int, flare: bool) -> None:
    advice = rules.after_session(before, after)
    assert advice.change == after - before
    assert advice.flare is flare
    assert not advice.see_clinician
    text = " ".join(advice.lines)
    assert ("backcoach run gentle" in text) is flare
    if flare:
        assert f"from {before} to {after}" in text and "fewer reps" in text
        assert "Hurt is not the same as harm" in text


def test_better_or_same_says_keep_going() -> None:
    assert "better" in rules.after_session(5, 3).lines[0]
    assert "Keep going" in rules.after_session(5, 5).lines[0]
    assert "a little" in rules.after_session(5, 6).lines[0]


def test_worse_again_after_an_earlier_flare_advises_a_clinician() -> None:
    advice = rules.after_session(4, 6, recent=[(3, 3), (3, 5)])
    assert advice.flare and advice.see_clinician
    assert "see a physiotherapist or doctor" in " ".join(advice.lines)
    assert "Hurt is not the same as harm" not in " ".join(advice.lines)


def test_one_flare_after_calm_sessions_is_not_worse_again() -> None:
    assert not rules.after_session(4, 6, recent=[(4, 4), (4, 5)]).see_clinician


def test_only_the_last_three_sessions_count() -> None:
    assert not rules.after_session(4, 6, [(2, 5), (4, 4), (4, 4), (4, 4)]).see_clinician
    assert rules.after_session(4, 6, [(4, 4), (2, 5), (4, 4), (4, 4)]).see_clinician


@pytest.mark.parametrize(("start", "now", "worse"), [(3, 4, False), (3, 5, True)])
def test_starting_pain_creeping_up_over_sessions(start: int, now: int, worse: bool) -> None:
    advice = rules.after_session(now, now, recent=[(start, start), (start + 1, start + 1)])
    assert advice.see_clinician is worse
    assert not advice.flare


def test_rising_start_needs_more_than_one_earlier_session() -> None:
    assert not rules.after_session(6, 6, recent=[(3, 3)]).see_clinician


# --- over weeks -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("baseline", "current", "improved"), [
    (8, 6.1, False), (8, 6, True),  # 2 points (30% of 8 would be 2.4)
    (5, 3.6, False), (5, 3.5, True),  # 30% of 5 is 1.5
    (2, 1.5, False), (2, 1.4, True),  # 30% of 2 is 0.6
    (0, 0, False), (3, 4, False)])
def test_improvement_needs_two_points_or_thirty_percent(baseline: float, current: float,
                                                         improved: bool) -> None:
    assert rules.is_improvement(baseline, current) is improved


TODAY = date(2026, 3, 31)


def daily(first: date, days: int, pains: list[int] | int, every: int = 1) -> list[PainPoint]:
    values = pains if isinstance(pains, list) else [pains] * days
    return [PainPoint(first + timedelta(days=i), values[i], None) for i in range(0, days, every)]


def test_seven_day_average() -> None:
    points = [PainPoint(date(2026, 3, 1), 4), PainPoint(date(2026, 3, 3), 6),
              PainPoint(date(2026, 3, 9), 1), PainPoint(date(2026, 3, 4), None, 2)]
    assert rules.average_pain(points, date(2026, 3, 1), date(2026, 3, 7)) == 4
    assert rules.average_pain(points, date(2026, 3, 20), date(2026, 3, 26)) is None


@pytest.mark.parametrize(("span", "ready"), [(13, False), (14, True)])
def test_trend_waits_for_two_weeks(span: int, ready: bool) -> None:
    points = daily(TODAY - timedelta(days=span), span + 1, 5)
    assert (rules.pain_trend(points, TODAY) is not None) is ready


@pytest.mark.parametrize(("every", "regular"), [(2, True), (3, False)])
def test_regular_means_six_days_in_two_weeks(every: int, regular: bool) -> None:
    points = daily(TODAY - timedelta(days=14), 15, 5, every=every)  # 8 or 5 days
    trend = rules.pain_trend(points, TODAY)
    assert trend is not None and trend.regular is regular


def steady_then(first_week: int, last_week: int) -> list[PainPoint]:
    """15 daily sessions: the first 8 days at one score, the last 7 at another."""
    start = TODAY - timedelta(days=14)
    return [*daily(start, 8, first_week),
            *daily(start + timedelta(days=8), 7, last_week)]


@pytest.mark.parametrize(("first", "last", "says"), [
    (6, 5, "short of the 2 points or 30%"),  # 1 point, 17%
    (6, 4, "a real improvement"),  # 2 points
    (5, 4, "short of the 2 points or 30%"),  # 1 point, 20%
    (3, 2, "a real improvement"),  # 1 point, 33%
    (2, 4, "your average pain has gone up, from"),  # worse is said as worse
    (4, 4, "short of the 2 points or 30%"),  # no change
])
def test_no_improvement_after_two_weeks_suggests_a_clinician(first: int, last: int,
                                                             says: str) -> None:
    lines = rules.long_term_advice(steady_then(first, last), None, TODAY)
    assert len(lines) == 1 and says in lines[0]
    if "short" in says or "gone up" in says:
        assert "GP or physiotherapist" in lines[0]


def test_no_trend_line_when_sessions_were_irregular_or_pain_free() -> None:
    sparse = daily(TODAY - timedelta(days=14), 15, 5, every=3)
    assert rules.long_term_advice(sparse, None, TODAY) == []
    assert rules.long_term_advice(daily(TODAY - timedelta(days=14), 15, 0), None, TODAY) == []


@pytest.mark.parametrize(("days", "says"), [
    (14, None), (42, None), (43, "more than 6 weeks"), (84, "more than 6 weeks"),
    (85, "more than 12 weeks")])
def test_pain_duration(days: int, says: str | None) -> None:
    lines = rules.long_term_advice([PainPoint(TODAY, 4)], TODAY - timedelta(days=days), TODAY)
    if says is None:
        assert lines == []
    else:
        assert len(lines) == 1 and says in lines[0]
        assert "GP or physiotherapist" in lines[0] or "physiotherapist" in lines[0]


def test_persistent_pain_recommends_a_supervised_programme() -> None:
    lines = rules.long_term_advice([], TODAY - timedelta(days=100), TODAY)
    assert "persistent" in lines[0] and "supervised by a physiotherapist" in lines[0]


def test_duration_falls_back_to_the_first_session_with_pain() -> None:
    points = [PainPoint(TODAY - timedelta(days=50), 0), PainPoint(TODAY - timedelta(days=43), 3),
              PainPoint(TODAY, 3)]
    assert "6 weeks" in rules.long_term_advice(points, None, TODAY)[0]
    points[1] = PainPoint(TODAY - timedelta(days=42), 3)
    assert rules.long_term_advice(points, None, TODAY) == []


def test_no_duration_advice_once_pain_is_gone() -> None:
    points = [PainPoint(TODAY - timedelta(days=90), 5), PainPoint(TODAY, 0)]
    lines = rules.long_term_advice(points, TODAY - timedelta(days=100), TODAY)
    assert lines == ["Your average pain has come down from 5.0 to 0.0 since you started: "
                     "a real improvement. Keep going."]


def test_at_most_two_lines() -> None:
    points = steady_then(6, 5)
    lines = rules.long_term_advice(points, TODAY - timedelta(days=120), TODAY)
    assert len(lines) == 2
    assert "12 weeks" in lines[0] and "short of" in lines[1]
