"""The pure safety rules: questions, tiers, re-screening, clearance and pain advice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from backcoach.library import model
from backcoach.library.catalog import load_catalog
from backcoach.library.model import CONTRAINDICATIONS
from backcoach.safety import questions_file, redflags, rules
from backcoach.safety.redflags import Tier
from tests.safety_helpers import NOW, screen

EXPECTED_TIERS = {
    "saddle-numbness": Tier.EMERGENCY,
    "bladder-bowel": Tier.EMERGENCY,
    "sexual-function": Tier.EMERGENCY,
    "both-legs": Tier.EMERGENCY,
    "serious-injury": Tier.EMERGENCY,
    "stroke-signs": Tier.EMERGENCY,
    "sudden-headache": Tier.EMERGENCY,
    "chest-pain": Tier.EMERGENCY,
    "fever-unwell": Tier.URGENT,
    "weight-loss": Tier.URGENT,
    "cancer-history": Tier.URGENT,
    "lump-or-shape": Tier.URGENT,
    "infection-fracture-risk": Tier.URGENT,
    "hands-arms-walking": Tier.URGENT,
    "neck-instability": Tier.URGENT,
    "neck-injury": Tier.URGENT,
    "recent-surgery": Tier.WAIT,
    "rest-night-pain": Tier.SEE_SOON,
    "both-legs-checked": Tier.SEE_SOON,
    "one-limb-nerve": Tier.SEE_SOON,
    "not-improving": Tier.SEE_SOON,
    "first-over-50": Tier.SEE_SOON,
    "osteoporosis": Tier.CLEARANCE,
    "spinal-fracture": Tier.CLEARANCE,
    "hip-replacement": Tier.CLEARANCE,
    "pregnancy": Tier.CLEARANCE,
    "heart-condition": Tier.CLEARANCE,
    "shoulder-problem": Tier.CLEARANCE,
    "knee-problem": Tier.CLEARANCE,
}
# What a yes means for the session: neck questions leave neck exercises out instead.
SESSION_TIERS = {**EXPECTED_TIERS, "neck-instability": Tier.CLEARANCE,
                 "neck-injury": Tier.CLEARANCE}
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
    assert questions_file.question_problems(question_text()) == []


def test_every_question_has_its_tier_in_order() -> None:
    questions = redflags.load_questions()
    assert {q.id: q.tier for q in questions} == EXPECTED_TIERS
    tiers = [q.tier for q in questions]
    assert tiers == sorted(tiers, reverse=True), "asked worst tier first"


def test_clearance_questions_set_exactly_their_own_tag_and_cover_every_tag() -> None:
    clearance = [q for q in redflags.load_questions() if q.tier is Tier.CLEARANCE]
    assert all(q.sets == (q.id,) and q.label for q in clearance)
    # recent surgery blocks every session until cleared (tier wait): no question sets its tag,
    # which stays for exercise files that name it
    assert {tag for q in clearance for tag in q.sets} == set(CONTRAINDICATIONS) - {
        "recent-surgery"}
    others = [q for q in redflags.load_questions() if q.tier is not Tier.CLEARANCE]
    assert all(q.sets == () for q in others)
    assert all(bool(q.label) is q.clearable for q in others)


@pytest.mark.parametrize("ident", ["saddle-numbness", "bladder-bowel", "sexual-function",
                                   "both-legs"])
def test_item_13_nerve_questions_ask_new_or_getting_worse_not_yet_checked(ident: str) -> None:
    question = next(q for q in redflags.load_questions() if q.id == ident)
    assert "new or getting worse" in question.ask and "not yet checked by a doctor" in question.ask
    assert "two weeks" not in question.ask


def test_item_13_constant_night_pain_is_see_soon_and_long_standing_legs_are_not_emergency(
        ) -> None:
    night = next(q for q in redflags.load_questions() if q.id == "rest-night-pain")
    assert night.tier is Tier.SEE_SOON and not one(rest_night_pain=True).blocks
    assert "all the time" in night.ask and " and worse at night" in night.ask
    known = next(q for q in redflags.load_questions() if q.id == "both-legs-checked")
    assert known.tier is Tier.SEE_SOON and "not getting worse" in known.ask
    assert not one(both_legs_checked=True).blocks


def test_item_10_neck_red_flags_with_their_tiers() -> None:
    asks = {q.id: q.ask for q in redflags.load_questions()}
    for word in ("double vision", "slurred speech", "trouble swallowing", "numbness in your face",
                 "drop attacks"):
        assert word in asks["stroke-signs"]
    assert "sudden, severe headache or neck pain" in asks["sudden-headache"]
    assert "clumsy" in asks["hands-arms-walking"] and "both arms" in asks["hands-arms-walking"]
    assert "rheumatoid arthritis" in asks["neck-instability"]
    assert "neck" in asks["neck-injury"] and "last few weeks" in asks["neck-injury"]
    assert one(stroke_signs=True).tier is Tier.EMERGENCY
    assert one(sudden_headache=True).tier is Tier.EMERGENCY
    assert one(hands_arms_walking=True).tier is Tier.URGENT and one(hands_arms_walking=True).blocks
    # urgent before neck exercises: they are left out, the back exercises stay
    for ident in ("neck_instability", "neck_injury"):
        outcome = one(**{ident: True})
        assert not outcome.blocks and outcome.regions == {"neck"}
        assert any("before doing any neck exercises" in line for line in outcome.message)
    # questions cover the neck too where both apply
    assert "head or neck" in asks["serious-injury"]
    assert "neck" in asks["one-limb-nerve"] and "neck" in asks["first-over-50"]


def test_questions_and_reasons_are_plain() -> None:
    for question in redflags.load_questions():
        assert question.ask.endswith(("?", "?)"))
        assert not any(word in (question.ask + question.why).lower() for word in JARGON)


PATH = "backcoach/safety/red_flags.yaml"
TAGS = ", ".join(CONTRAINDICATIONS)
REGIONS = ", ".join(model.REGIONS)
TIERS = "emergency, urgent, wait, see-soon, clearance"
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


def by_id(data: dict[str, Any], ident: str) -> dict[str, Any]:
    """One question of the parsed file, by id."""
    found: dict[str, Any] = next(q for q in data["questions"] if q["id"] == ident)
    return found


def doc(key: str) -> str:
    return next(spec.doc for spec in questions_file.QUESTION_FIELDS if spec.name == key)


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
                "tier, ask, why, label, sets, only_if, regions, clearable"]),
    ("bad-id", lambda d: d["questions"][0].update(id="Saddle_Numbness"),
     lambda t: [f"{at(t, 'id: ', 'Saddle_Numbness')}: id must use only lowercase letters, "
                "digits and single hyphens, such as knee-to-chest, got 'Saddle_Numbness'"]),
    ("tags-outside-clearance", lambda d: d["questions"][0].update(sets=["pregnancy"]),
     lambda t: [f"{at(t, 'sets:' + NL + '  ', '- pregnancy')}: sets is only for "
                "clearance questions; remove it from this 'emergency' question"]),
    ("label-outside-clearance", lambda d: d["questions"][0].update(label="x"),
     lambda t: [f"{at(t, 'label: ', 'x')}: label is only for clearance questions and "
                "clearable ones; remove it from this 'emergency' question"]),
    ("regions-outside-urgent", lambda d: d["questions"][0].update(regions=["neck"]),
     lambda t: [f"{at(t, 'regions:' + NL + '  ', '- neck')}: regions is only for urgent "
                "questions; remove it from this 'emergency' question"]),
    ("clearable-without-label", lambda d: by_id(d, "cancer-history").pop("label"),
     lambda t: [f"{at(t, '- ', 'id: cancer-history')}: a clearable question needs 'label': "
                f"{doc('label')}"]),
    ("unknown-region", lambda d: by_id(d, "neck-instability").update(regions=["elbow"]),
     lambda t: [f"{at(t, '- ', 'elbow')}: regions item 1 must be one of {REGIONS}, got "
                "'elbow'"]),
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
                for tier, before in (("see-soon", "clearance"), ("wait", "see-soon"),
                                     ("urgent", "wait"), ("emergency", "urgent"))]),
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
    found = [str(problem) for problem in questions_file.question_problems(text)]
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
    assert [str(p) for p in questions_file.question_problems(text)] == [
        f"{PATH}:{line}" for line in expected]


def test_a_repeated_key_in_a_question_is_found() -> None:
    text = question_text().replace("    tier: emergency\n", "    tier: emergency\n"
                                   "    tier: clearance\n", 1)
    line = at(text, "    ", "tier: clearance").split(":")[0]
    assert [str(p) for p in questions_file.question_problems(text)] == [
        f"{PATH}:{line}:5: duplicate key 'tier' (first at line {int(line) - 1}); keep one"]


def test_a_broken_packaged_file_stops_with_every_place(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    text = question_text().replace("tier: emergency", "tier: severe", 1).replace(
        "ask: Do you have chest pain?", "ask: Chest pain.")
    (tmp_path / "red_flags.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(redflags, "QUESTIONS_SOURCE", tmp_path / "red_flags.yaml")
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
    "regions-outside-urgent": "only an urgent question acts on regions: a rule across fields",
    "clearable-without-label": "a clearable question needs its label: a rule across fields",
    "tags-outside-clearance": "only a clearance question sets tags: a rule across fields",
    "label-outside-clearance": "only a clearance question has a label: a rule across fields",
    "tags-missing": "a clearance question needs its tags: a rule across fields",
    "label-missing": "a clearance question needs its label: a rule across fields",
    "reversed": "the order of the tiers: a rule across questions",
}


def test_the_question_file_passes_its_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(questions_file.json_schema())
    assert jsonschema.Draft202012Validator(questions_file.json_schema()).is_valid(raw_questions())


@pytest.mark.parametrize("change", [case[1] for case in QUESTION_CASES],
                         ids=[case[0] for case in QUESTION_CASES])
def test_json_schema_refuses_what_the_field_checks_refuse(
        change: Callable[[dict[str, Any]], object], request: pytest.FixtureRequest) -> None:
    name = request.node.callspec.id
    text = dumped(change)
    assert questions_file.question_problems(text), "every case is a bad file"
    validator = jsonschema.Draft202012Validator(questions_file.json_schema())
    valid = validator.is_valid(yaml.safe_load(text))
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


@pytest.mark.parametrize(("ident", "tier"), SESSION_TIERS.items())
def test_each_yes_gives_its_tier(ident: str, tier: Tier) -> None:
    outcome = redflags.evaluate({ident: True})
    assert outcome.tier is tier
    assert [q.id for q in outcome.triggered] == [ident]
    assert outcome.blocks is (tier >= Tier.WAIT)


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
    assert Tier.OK < Tier.CLEARANCE < Tier.SEE_SOON < Tier.WAIT < Tier.URGENT < Tier.EMERGENCY
    assert Tier.parse("see-soon") is Tier.SEE_SOON
    assert Tier.parse("EMERGENCY") is Tier.EMERGENCY
    with pytest.raises(ValueError, match="unknown tier"):
        Tier.parse("bad")


@pytest.mark.parametrize(("tier", "blocks"), [
    (Tier.OK, False), (Tier.CLEARANCE, False), (Tier.SEE_SOON, False), (Tier.WAIT, True),
    (Tier.URGENT, True), (Tier.EMERGENCY, True)])
def test_only_emergency_urgent_and_wait_block(tier: Tier, blocks: bool) -> None:
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
    assert "not advised with a hip replacement are left out" in text
    assert "not advised with pregnancy are left out" in text


def test_item_11_each_clearance_says_what_it_leaves_out_or_that_it_leaves_out_nothing() -> None:
    exercises = load_catalog().exercises.values()
    outcome = redflags.evaluate({"heart-condition": True, "osteoporosis": True},
                                exercises=exercises)
    text = " ".join(outcome.message)
    assert "Nothing is left out for a heart condition." in text
    assert "Left out for osteoporosis: Cat-cow, Double knee-to-chest stretch and " \
           "Knee-to-chest stretch." in text
    early = redflags.evaluate({"pregnancy": True, "pregnancy:only-if": False},
                              exercises=exercises)
    assert early.tags == frozenset() and early.tier is Tier.OK
    assert "Nothing is left out for pregnancy yet." in " ".join(early.message)
    later = redflags.evaluate({"pregnancy": True, "pregnancy:only-if": True}, exercises=exercises)
    assert later.tags == {"pregnancy"}
    assert "lying flat on your back" in " ".join(later.message)
    # an old screen without the follow-up is read the cautious way
    assert redflags.evaluate({"pregnancy": True}).tags == {"pregnancy"}


def test_item_11_recent_surgery_not_cleared_blocks_until_cleared() -> None:
    outcome = one(recent_surgery=True)
    assert outcome.tier is Tier.WAIT and outcome.blocks
    assert "surgical team" in outcome.message[0]
    message = redflags.blocked_message(Tier.WAIT, triggered=outcome.triggered)
    assert message.startswith("no session yet") and "`backcoach screen`" in message
    assert "--clear" not in message


def test_item_12_a_clearance_lets_a_lifelong_answer_stand_without_blocking() -> None:
    cleared = {"cancer-history": NOW}
    assert one(cancer_history=True).blocks
    outcome = redflags.evaluate({"cancer-history": True}, cleared=cleared)
    assert outcome.tier is Tier.OK and not outcome.blocks
    assert outcome.cleared == cleared
    assert any("on 10 Mar 2026" in line and "a past cancer" in line for line in outcome.message)
    neck = redflags.evaluate({"neck-instability": True}, cleared={"neck-instability": NOW})
    assert neck.regions == frozenset()
    # a clearance is for clearable questions only: it cannot quiet chest pain
    assert redflags.evaluate({"chest-pain": True}, cleared={"chest-pain": NOW}).blocks
    blocked = redflags.blocked_message(Tier.URGENT, triggered=one(cancer_history=True).triggered)
    assert "say so" in blocked and "--clear" not in blocked


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
    "osteoporosis": {"knee-to-chest", "double-knee-to-chest", "cat-cow"},
    "spinal-fracture": {"knee-to-chest", "double-knee-to-chest", "cat-cow"},
    "hip-replacement": {"kneeling-hip-flexor", "standing-hip-flexor", "piriformis-cross-body",
                        "piriformis-figure-four", "knee-to-chest", "double-knee-to-chest"},
    "knee-problem": {"kneeling-hip-flexor", "piriformis-figure-four", "bird-dog",
                     "quadruped-leg-reach", "cat-cow"},
    "shoulder-problem": {"doorway-chest-stretch"},
    "recent-surgery": set(),
    "pregnancy": {"knee-to-chest", "double-knee-to-chest", "piriformis-cross-body",
                  "piriformis-figure-four", "pelvic-tilt", "glute-bridge", "single-leg-bridge",
                  "dead-bug", "heel-taps"},
    "heart-condition": set(),
}


def test_item_11_pregnancy_leaves_out_every_exercise_lying_down() -> None:
    lying = {e.id for e in load_catalog().exercises.values() if e.position == "lying"}
    assert lying == HIDDEN_BY_TAG["pregnancy"]


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
    advice = rules.assess_hurt("dizzy", None, ["neck"] if neck else ["hip"])
    assert advice.stop
    assert ("neck" in (advice.reason or "")) is neck
    assert "medical advice" in advice.message
    assert (advice.follow_up is not None) is neck


def test_item_6_dizziness_in_neck_work_ends_all_neck_work_and_asks_about_emergency_signs(
        ) -> None:
    advice = rules.assess_hurt("dizzy", None, ["neck", "shoulder"])
    assert advice.skip_regions == {"neck"} and advice.reason == rules.REASON_DIZZY_NECK
    assert advice.follow_up is not None
    for sign in ("double vision", "slurred speech", "trouble swallowing", "numbness in your face",
                 "fallen"):
        assert sign in advice.follow_up.question
    yes, no = advice.follow_up.if_yes, advice.follow_up.if_no
    assert yes.emergency and yes.stop and yes.message.startswith(
        "Call emergency services or go to an emergency department now.")
    assert not no.emergency and no.skip_regions == {"neck"}
    assert "other neck exercises" in no.message and "call emergency services" in no.message
    # arm symptoms in neck work: spreading, which ends the neck work too
    arm = rules.assess_hurt("spreading", None, ["neck"])
    assert arm.skip_regions == {"neck"} and "other neck exercises" in arm.message


def test_item_7_spreading_symptoms_skip_the_regions_the_exercise_loads() -> None:
    advice = rules.assess_hurt("spreading", None, ["low-back", "hip"])
    assert advice.stop and advice.skip_regions == {"low-back", "hip"}
    assert "loads the hip and low back is left out" in advice.message
    assert rules.assess_hurt("sharp", None, ["hip"]).skip_regions == frozenset()


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
