"""Which lesson to read: one found by the topic a person types, and the one unread lesson that
fits the day after a session. Pure: the lessons, what was read and the moment are passed in."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from backcoach.errors import BadInput
from backcoach.library import schema
from backcoach.library.model import Lesson

# After these the lessons simply come in order (any lesson suits a good day). After the others
# only a lesson that fits them is offered: a hard day is no time for the next of the series.
_IN_ORDER = frozenset({"better", "steady", "no-scores"})
# A small rise is a calm day too: a fitting lesson first (hurt is not harm), else the next one.
_FITTING_FIRST = frozenset({"small-rise"})


def in_order(lessons: Iterable[Lesson]) -> list[Lesson]:
    """Lessons in the order they are offered: by `order`, then id."""
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.id))


def pick(lessons: Iterable[Lesson], read: Collection[str], moment: str,
         first_session: bool = False) -> Lesson | None:
    """The one unread lesson that fits after a session with this advice (`moment`, a
    LESSON_MOMENTS word). After the first session, one that fits it; on a good day, the next
    unread lesson in order; after a small rise, one that fits it, else the next; on a harder
    day, only one that fits it. None when nothing unread fits."""
    unread = [lesson for lesson in in_order(lessons) if lesson.id not in read]
    wanted = ({"first-session"} if first_session else set()) | (
        set() if moment in _IN_ORDER else {moment})
    fitting = [lesson for lesson in unread if wanted & set(lesson.fits)]
    if fitting:
        return fitting[0]
    if moment in _IN_ORDER or moment in _FITTING_FIRST:
        return unread[0] if unread else None
    return None


def find(lessons: Mapping[str, Lesson], topic: str) -> Lesson:
    """The lesson a person means by `topic`: its id, the start of one id, words of an id, or
    words of a title, in that order; BadInput naming the candidates otherwise."""
    wanted = topic.strip().lower()
    if wanted in lessons:
        return lessons[wanted]
    by_start = [lesson for ident, lesson in lessons.items() if ident.startswith(wanted)]
    words = wanted.replace("-", " ").split()
    by_id = [lesson for lesson in lessons.values()
             if words and all(_says(set(lesson.id.split("-")), word) for word in words)]
    by_title = [lesson for lesson in lessons.values()
                if words and all(_says(_words(lesson), word) for word in words)]
    for found in (by_start, by_id, by_title):
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            names = ", ".join(lesson.id for lesson in in_order(found))
            raise BadInput(f"'{schema.clip(topic)}' fits more than one lesson: {names}; "
                           "name one of them")
    raise BadInput(f"no lesson about '{schema.clip(topic)}'"
                   f"{schema.did_you_mean(wanted, list(lessons))}; `backcoach learn` lists them")


def _says(title: set[str], word: str) -> bool:
    """Whether a typed word is one of the title's, or the same word with another ending
    (`sleeping` for sleep, `lift` for lifting): the shorter at least 4 letters."""
    return word in title or any(
        min(len(word), len(known)) >= 4 and (known.startswith(word) or word.startswith(known))
        for known in title)


def _words(lesson: Lesson) -> set[str]:
    text = f"{lesson.id.replace('-', ' ')} {lesson.title}".lower()
    return {word.strip(".,:;!?()'\"") for word in text.split()}
