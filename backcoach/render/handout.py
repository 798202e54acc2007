"""The printed handout of a routine, as a physiotherapist would hand it over: who it is for,
the schedule, each exercise with its picture, steps, dose, cautions and stop signs, when to get
help, a weekly chart to tick by hand, the disclaimer and the sources. HTML (self-contained,
printable on A4 or Letter) or Markdown. Pure: the routine, catalog and date come in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from backcoach.library.catalog import Catalog, TimedEntry, timeline
from backcoach.library.model import Dose, Routine, format_duration
from backcoach.library.pictures import captions
from backcoach.render import html as page
from backcoach.safetext import visible
from backcoach.safety.redflags import Tier

# When to get help: one line for each red-flag question of the safety screen, by its id, in
# words for a printed page (tests/render/test_handout.py checks that every question that can
# stop or change a session has one, so a new question cannot be left off the handout).
GET_HELP: dict[Tier, tuple[str, tuple[tuple[str, str], ...]]] = {
    Tier.EMERGENCY: (
        "Call emergency services or go to an emergency department now if you have:", (
            ("saddle-numbness", "new or worsening numbness, tingling or an odd feeling around "
                                "your genitals, back passage, buttocks or inner thighs"),
            ("bladder-bowel", "new trouble starting, stopping or holding in urine, or leaking "
                              "urine or stool"),
            ("sexual-function", "a new change in sexual function or feeling"),
            ("both-legs", "new or worsening pain, tingling, numbness or weakness in both legs, "
                          "or walking that is getting harder"),
            ("serious-injury", "pain that began with a serious accident, fall or blow, "
                               "including one to the head or neck"),
            ("stroke-signs", "dizziness, double vision, slurred speech, trouble swallowing, a "
                             "numb face or sudden falls, at rest or when you move your neck"),
            ("sudden-headache", "a sudden, severe headache or neck pain unlike any before"),
            ("chest-pain", "chest pain"),
        )),
    Tier.URGENT: (
        "Stop the exercises and get medical advice the same day if you have:", (
            ("fever-unwell", "a temperature of 38°C (100.4°F) or more, or you feel generally "
                             "unwell"),
            ("weight-loss", "lost weight without knowing why"),
            ("cancer-history", "ever had cancer, and no doctor has checked this pain yet"),
            ("lump-or-shape", "a lump or swelling on your back, or your back has changed shape"),
            ("infection-fracture-risk", "weakened immunity, injected drugs, taken steroid "
                                        "tablets for a long time, or osteoporosis with new "
                                        "pain after a minor fall"),
            ("hands-arms-walking", "clumsy hands, tingling, numbness or weakness in both "
                                   "arms, or unsteady walking"),
            ("neck-instability", "rheumatoid arthritis, Down syndrome or a neck you were told "
                                 "is unstable: ask before any neck exercise"),
            ("neck-injury", "hurt your neck in the last few weeks: ask before any neck "
                            "exercise"),
        )),
    Tier.WAIT: (
        "Wait for your surgical team's OK before you start if you have:", (
            ("recent-surgery", "had an operation in the last few months"),
        )),
    Tier.SEE_SOON: (
        "See a doctor or physiotherapist soon, and leave out any exercise that makes it worse, "
        "if you have:", (
            ("rest-night-pain", "pain that is there all the time, the same whether you move or "
                                "rest, and worse at night"),
            ("both-legs-checked", "long-standing symptoms in both legs that a doctor has "
                                  "checked: tell them if anything changes"),
            ("one-limb-nerve", "numbness, tingling or weakness in one leg or arm, or pain "
                               "spreading below the knee"),
            ("not-improving", "pain that is not easing after a few weeks of regular "
                              "exercise, is getting worse, or stops you doing everyday things"),
            ("first-over-50", "back or neck pain for the first time in your life, and you are "
                              "over 50 or under 20"),
        )),
}

HOW_TO = (
    "Stretch only to a mild pull. It should never hurt, and sharp pain means stop.",
    "Move in and out of each position slowly, with no bouncing, and keep breathing.",
    "Some discomfort while you exercise is normal and is not a sign of harm. Pain that is "
    "still worse the next morning means do less next time: fewer repetitions or shorter holds.",
    "Stop an exercise at once if pain, tingling or numbness spreads into a leg or an arm, or if "
    "a neck exercise makes you dizzy or changes your vision.",
)

DISCLAIMER = (
    "This handout gives general information about exercises for back and neck pain. It is not "
    "a diagnosis and does not replace advice from your doctor or physiotherapist. Where it "
    "differs from what your clinician told you, follow your clinician.")

GENERAL_SOURCES = (
    "ACSM: stretching and flexibility guidelines (2021)",
    "NHS: exercises for lower back pain",
    "NICE guideline NG59: low back pain and sciatica in over 16s",
)

WEEKS = 4
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BLANK = "_" * 24  # a line to write on


@dataclass(frozen=True)
class Handout:
    """What a handout says, worked out once for both formats."""

    routine: Routine
    entries: list[TimedEntry]
    for_whom: str
    today: date

    @property
    def minutes(self) -> str:
        """About how long one session takes."""
        total = self.entries[-1].end if self.entries else 0
        return format_duration(total)

    @property
    def schedule(self) -> str:
        """How often, in words."""
        schedule = self.routine.schedule
        times = {1: "once", 2: "twice"}.get(schedule.per_day, f"{schedule.per_day} times")
        days = ("every day" if schedule.days_per_week == 7
                else f"{schedule.days_per_week} days a week")
        return f"{times.capitalize()} a day, {days}; each session takes about {self.minutes}."

    @property
    def sources(self) -> list[str]:
        """Every source of the exercises, then the general ones, each once."""
        found = [s for entry in self.entries for s in entry.exercise.sources]
        return list(dict.fromkeys([*found, *GENERAL_SOURCES]))


def build(routine: Routine, catalog: Catalog, today: date, for_whom: str | None = None
          ) -> Handout:
    """The handout of a routine for a person (default: the routine's `prescribed_for`)."""
    return Handout(routine, timeline(routine, catalog),
                   for_whom if for_whom is not None else routine.prescribed_for, today)


def dose_words(dose: Dose) -> str:
    """`3 x 30 s each side, 10 s rest between` (with the rest only when there are reps)."""
    rest = f", {format_duration(dose.rest)} rest between" if dose.reps > 1 and dose.rest else ""
    return dose.describe() + rest


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _contraindications(tags: Sequence[str]) -> str:
    return ", ".join(tag.replace("-", " ") for tag in tags)


# --- HTML ------------------------------------------------------------------------------------

def _list(items: Sequence[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{page.esc(item)}</li>" for item in items) + f"</{tag}>"


def _exercise_html(number: int, entry: TimedEntry) -> str:
    exercise, dose = entry.exercise, entry.dose
    parts = [f'<section class="exercise" id="{page.esc(exercise.id)}">',
             f"<h3>{number}. {page.esc(exercise.name)}</h3>"]
    if exercise.summary:
        parts.append(f"<p>{page.esc(exercise.summary)}</p>")
    if exercise.picture is not None:
        parts.append(page.figures(exercise.picture.drawings, exercise.name))
    parts.append(f'<p class="dose">{page.esc(dose_words(dose))} · about '
                 f"{page.esc(format_duration(entry.seconds))}</p>")
    if exercise.equipment:
        parts.append(f'<p><span class="label">You need:</span> '
                     f"{page.esc(', '.join(exercise.equipment))}</p>")
    parts.append(_list(exercise.steps, ordered=True))
    if exercise.cautions:
        parts.append(f'<div class="careful"><p class="label">Take care</p>'
                     f"{_list(exercise.cautions)}</div>")
    if exercise.stop_if:
        parts.append(f'<div class="stop"><p class="label">Stop if</p>'
                     f"{_list(exercise.stop_if)}</div>")
    if exercise.contraindications:
        parts.append("<p><span class=\"label\">Ask your clinician first if you have:</span> "
                     f"{page.esc(_contraindications(exercise.contraindications))}</p>")
    parts.append("</section>")
    return "".join(parts)


def _chart_html(handout: Handout) -> str:
    per_day = handout.routine.schedule.per_day
    head = "".join(f'<th scope="col">{day}</th>' for day in DAYS)
    rows = []
    for week in range(1, WEEKS + 1):
        for session in range(1, per_day + 1):
            label = f"Week {week}" + (f", session {session}" if per_day > 1 else "")
            rows.append(f'<tr><th scope="row">{label}</th>'
                        + '<td class="box"></td>' * len(DAYS) + "</tr>")
    return (f'<table class="chart-grid"><caption class="visually-hidden">Weekly tick chart'
            f'</caption><thead><tr><th scope="col">Week</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _help_html() -> str:
    parts = ['<div class="help">']
    for heading, items in GET_HELP.values():
        parts.append(f"<h3>{page.esc(heading)}</h3>")
        parts.append(_list([text for _, text in items]))
    parts.append("</div>")
    return "".join(parts)


def to_html(handout: Handout, paper: str | None = None) -> str:
    """The handout as one self-contained, printable HTML page."""
    routine = handout.routine
    body = [f"<h1>{page.esc(routine.name)}</h1>",
            f'<p class="meta"><b>For</b> {page.esc(handout.for_whom or BLANK)}</p>']
    if routine.prescribed_by:
        body.append(f'<p class="meta"><b>Prescribed by</b> {page.esc(routine.prescribed_by)}'
                    "</p>")
    body.append(f'<p class="meta"><b>Date</b> {page.esc(_long_date(handout.today))}</p>')
    if routine.description:
        body.append(f"<p>{page.esc(routine.description)}</p>")
    body.append("<h2>Your schedule</h2>")
    body.append(f"<p>{page.esc(handout.schedule)} The exercises, in this order:</p>")
    body.append(_list([f"{entry.exercise.name}: {dose_words(entry.dose)}"
                       for entry in handout.entries], ordered=True))
    if routine.notes:
        body.append(f"<h2>Notes from {page.esc(routine.prescribed_by or 'your clinician')}</h2>")
        body.append(_list(routine.notes))
    body.append("<h2>How to do these exercises</h2>")
    body.append(_list(HOW_TO))
    # When to get help comes before the exercises, on the first page, where it is seen.
    body.append("<h2>Get help</h2>")
    body.append(_help_html())
    body.append("<h2>The exercises</h2>")
    body += [_exercise_html(number, entry)
             for number, entry in enumerate(handout.entries, start=1)]
    body.append('<section class="exercise"><h2>Weekly chart</h2>')
    body.append("<p>Tick a box each time you do the routine. Bring this sheet to your next "
                "appointment.</p>")
    body.append(_chart_html(handout) + "</section>")
    body.append("<h2>About this handout</h2>")
    body.append(f"<p>{page.esc(DISCLAIMER)}</p>")
    body.append('<p class="small">Made with backcoach, a home-exercise coach for the terminal: '
                f"<code>backcoach run {page.esc(routine.id)}</code> guides you through it.</p>")
    body.append("<h2>Sources</h2>")
    body.append(f'<div class="small">{_list(handout.sources)}</div>')
    return page.document(f"{routine.name}: exercise handout", body, paper)


# --- Markdown --------------------------------------------------------------------------------

def _md(text: str) -> str:
    """Text for Markdown: characters that would start markup escaped."""
    out = visible(text)
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def to_markdown(handout: Handout) -> str:
    """The handout as Markdown: the same sections, the pictures in text blocks."""
    routine = handout.routine
    lines = [f"# {_md(routine.name)}", "",
             f"- **For:** {_md(handout.for_whom or BLANK)}"]
    if routine.prescribed_by:
        lines.append(f"- **Prescribed by:** {_md(routine.prescribed_by)}")
    lines += [f"- **Date:** {_long_date(handout.today)}", ""]
    if routine.description:
        lines += [_md(routine.description), ""]
    lines += ["## Your schedule", "", f"{_md(handout.schedule)} The exercises, in this order:",
              ""]
    lines += [f"{n}. {_md(e.exercise.name)}: {_md(dose_words(e.dose))}"
              for n, e in enumerate(handout.entries, start=1)]
    if routine.notes:
        lines += ["", f"## Notes from {_md(routine.prescribed_by or 'your clinician')}", ""]
        lines += [f"- {_md(note)}" for note in routine.notes]
    lines += ["", "## How to do these exercises", ""] + [f"- {_md(t)}" for t in HOW_TO]
    lines += ["", "## Get help"]
    for heading, items in GET_HELP.values():
        lines += ["", f"**{_md(heading)}**", ""] + [f"- {_md(text)}" for _, text in items]
    lines += ["", "## The exercises"]
    for number, entry in enumerate(handout.entries, start=1):
        exercise = entry.exercise
        lines += ["", f"### {number}. {_md(exercise.name)}", ""]
        if exercise.summary:
            lines += [_md(exercise.summary), ""]
        if exercise.picture is not None:
            names = captions(len(exercise.picture.drawings))
            for caption, rows in zip(names, exercise.picture.drawings, strict=True):
                if caption:
                    lines += [f"{caption}:", ""]
                lines += ["```text", *rows, "```", ""]
        lines += [f"**Dose:** {_md(dose_words(entry.dose))}, about "
                  f"{format_duration(entry.seconds)}", ""]
        if exercise.equipment:
            lines += [f"**You need:** {_md(', '.join(exercise.equipment))}", ""]
        lines += [f"{n}. {_md(step)}" for n, step in enumerate(exercise.steps, start=1)]
        if exercise.cautions:
            lines += ["", "**Take care**", ""] + [f"- {_md(c)}" for c in exercise.cautions]
        if exercise.stop_if:
            lines += ["", "**Stop if**", ""] + [f"- {_md(s)}" for s in exercise.stop_if]
        if exercise.contraindications:
            lines += ["", "**Ask your clinician first if you have:** "
                      + _md(_contraindications(exercise.contraindications))]
    lines += ["", "## Weekly chart", "",
              "Tick a box each time you do the routine. Bring this sheet to your next "
              "appointment.", "", "| Week | " + " | ".join(DAYS) + " |",
              "|---|" + "---|" * len(DAYS)]
    per_day = routine.schedule.per_day
    for week in range(1, WEEKS + 1):
        for session in range(1, per_day + 1):
            label = f"Week {week}" + (f", session {session}" if per_day > 1 else "")
            lines.append(f"| {label} |" + "   |" * len(DAYS))
    lines += ["", "## About this handout", "", _md(DISCLAIMER), "", "## Sources", ""]
    lines += [f"- {_md(source)}" for source in handout.sources]
    return "\n".join(lines) + "\n"
