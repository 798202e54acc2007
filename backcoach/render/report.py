"""The report to take to an appointment: one printed page of what was done and how it went.

Its figures come from the functions `backcoach progress` uses (history/progress.py), and its
headline lines are the progress page's own (`history_pages.headline_lines`), so the numbers a
clinician reads on paper are the ones the person sees in the terminal. Pure: everything it
shows is passed in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from backcoach.history import progress as figures
from backcoach.history.store import StoredSession
from backcoach.library.catalog import Catalog, timeline
from backcoach.library.model import Schedule
from backcoach.render import html as page
from backcoach.render.handout import dose_words
from backcoach.render.history_pages import headline_lines, target_line, trend_line

MAX_STOPS = 8  # stops listed on the page; more are counted
MAX_WEEKS = 12  # weeks in the schedule table: the most recent ones


@dataclass(frozen=True)
class Stop:
    """An exercise stopped, or a session ended for safety: when, what, why and the pain."""

    day: date
    what: str
    why: str
    pain: int | None


@dataclass(frozen=True)
class Report:
    """What the report shows, worked out once."""

    today: date
    since: date | None  # the first day of the period; None: all of the history
    first: date | None  # the first session's day in the period
    headline: list[str]  # the progress page's own lines
    trend: str
    advice: Sequence[str]
    weeks: list[tuple[date, list[str]]]  # each week's Monday and its routines' done of planned
    days: list[figures.Day]  # every day of the period with pain, for the chart
    stops: list[Stop]
    sessions_in_period: int
    doses: list[tuple[str, str, list[tuple[str, str]]]]  # routine, schedule, (exercise, dose)
    goals: Sequence[tuple[str, str]] = ()  # (goal, its latest rating) when there are any


def _stops(sessions: Sequence[StoredSession], tz: tzinfo | None) -> list[Stop]:
    stops = []
    for session in sorted(sessions, key=lambda s: s.started_at):
        day = session.local_start(tz).date()
        seen = set()
        for row in session.exercises:
            if row.status == "stopped" and row.position not in seen:
                seen.add(row.position)
                stops.append(Stop(day, row.name, row.stop_reason or "stopped", row.pain))
        if session.end_reason == "safety" and not seen:
            stops.append(Stop(day, session.routine_name, "session ended for safety", None))
    return stops


def build(progress: figures.Progress, advice: Sequence[str], sessions: Sequence[StoredSession],
          all_sessions: Sequence[figures.SessionFacts], schedules: Mapping[str, Schedule],
          catalog: Catalog, tz: tzinfo | None, since: date | None) -> Report:
    """The report from the progress summary of the whole history (as `progress` makes it),
    the sessions of the period with their exercises, and the routines in force."""
    today = progress.today
    pairs = figures.dated(all_sessions, tz)
    in_period = [(day, s) for day, s in pairs if since is None or day >= since]
    first = in_period[0][0] if in_period else None
    weeks: list[tuple[date, list[str]]] = []
    if first is not None:
        monday = figures.week_start(first)
        last = figures.week_start(today)
        start = max(monday, last - timedelta(weeks=MAX_WEEKS - 1))
        while start <= last:
            sunday = min(start + timedelta(days=6), today)
            targets = figures.week_targets(pairs, schedules, sunday)
            weeks.append((start, [target_line(target) for target in targets]))
            start += timedelta(weeks=1)
    start_day = first or today
    days = figures.window(figures.by_day(in_period), today, (today - start_day).days + 1)
    doses = []
    for target in progress.targets:
        if target.routine_id not in catalog.routines:
            continue
        routine = catalog.routines[target.routine_id]
        schedule = routine.schedule
        doses.append((routine.name, f"{schedule.per_day}x a day, {schedule.days_per_week} "
                      "days a week", [(entry.exercise.name, dose_words(entry.dose))
                                      for entry in timeline(routine, catalog)]))
    return Report(today, since, first, headline_lines(progress), trend_line(progress),
                  advice, weeks, days, _stops(sessions, tz), len(in_period), doses)


# --- the pain chart ---------------------------------------------------------------------------

_W, _H, _LEFT, _TOP, _BOTTOM = 640, 170, 34, 10, 26


def pain_svg(days: Sequence[figures.Day]) -> str:
    """Pain before and after sessions, 0-10, one point a day with a report, as inline SVG:
    lines for the trend, a dashed one for after, a legend in words."""
    span = max(1, len(days) - 1)
    plot_w, plot_h = _W - _LEFT - 10, _H - _TOP - _BOTTOM

    def x(index: int) -> float:
        return _LEFT + plot_w * index / span

    def y(value: float) -> float:
        return _TOP + plot_h * (1 - value / 10)

    parts = [f'<svg class="chart" viewBox="0 0 {_W} {_H}" role="img" '
             'aria-labelledby="pain-title">',
             '<title id="pain-title">Pain before and after sessions, 0 to 10, by day</title>']
    for level in range(0, 11, 2):
        parts.append(f'<line x1="{_LEFT}" x2="{_W - 10}" y1="{y(level):.1f}" '
                     f'y2="{y(level):.1f}" stroke="#ddd"/>'
                     f'<text x="{_LEFT - 6}" y="{y(level) + 4:.1f}" font-size="11" '
                     f'text-anchor="end">{level}</text>')
    for attr, colour, dash in (("pain_before", "#b26b00", ""), ("pain_after", "#0b5394",
                                                                 ' stroke-dasharray="5 3"')):
        points = [(x(i), y(getattr(day, attr))) for i, day in enumerate(days)
                  if getattr(day, attr) is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"{dash}/>')
        parts += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.6" fill="{colour}"/>'
                  for px, py in points]
    if days:
        for index in sorted({0, len(days) - 1}):
            label = f"{days[index].day.day} {days[index].day:%b}"
            anchor = "start" if index == 0 else "end"
            parts.append(f'<text x="{x(index):.1f}" y="{_H - 8}" font-size="11" '
                         f'text-anchor="{anchor}">{label}</text>')
    parts.append(f'<text x="{_W / 2:.0f}" y="{_H - 8}" font-size="11" text-anchor="middle">'
                 "solid line: before · dashed line: after · 0 = no pain, 10 = worst</text></svg>")
    return "".join(parts)


# --- the page ---------------------------------------------------------------------------------

_REPORT_CSS = """
body.report { font-size: 10pt; line-height: 1.3; }
.report h1 { font-size: 1.5em; }
.report h2 { font-size: 1.1em; margin: .7em 0 .25em; }
.report .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5em; }
.report table { font-size: .95em; margin: .2em 0; }
.report th, .report td { padding: .1em .3em; }
@media print { body.report { font-size: 9pt; } }
"""


def _day(day: date, month: str = "%B %Y") -> str:
    """`3 June 2024` (or `3 Jun` with month="%b"), the same on every platform."""
    return f"{day.day} {day.strftime(month)}"


def _period(report: Report) -> str:
    start = report.since or report.first
    if start is None:
        return "No sessions recorded yet."
    return (f"From {_day(start)} to {_day(report.today)}: "
            f"{report.sessions_in_period} session{'s' if report.sessions_in_period != 1 else ''}.")


def to_html(report: Report, paper: str | None = None, made: str = "") -> str:
    """The report as one self-contained, printable HTML page."""
    esc = page.esc
    body = ["<h1>Home exercise report</h1>",
            f'<p class="meta">{esc(_period(report))} {esc(made)}</p>']
    body.append('<div class="grid"><div>')
    body.append("<h2>At a glance</h2><ul>"
                + "".join(f'<li data-figure="headline">{esc(line)}</li>'
                          for line in report.headline)
                + f'<li data-figure="trend">{esc(report.trend)}</li></ul>')
    if report.advice:
        body.append("<h2>Advice backcoach gave</h2>" + "".join(
            f"<p>{esc(line)}</p>" for line in report.advice))
    body.append("</div><div>")
    body.append("<h2>Sessions against the schedule</h2>")
    if report.weeks:
        rows = "".join(f"<tr><td>{_day(monday, '%b')}</td><td>{esc('; '.join(lines) or '-')}"
                       "</td></tr>" for monday, lines in report.weeks)
        body.append('<table><thead><tr><th scope="col">Week of</th><th scope="col">Done of '
                    f"planned</th></tr></thead><tbody>{rows}</tbody></table>")
    else:
        body.append("<p>No sessions in this period.</p>")
    body.append("</div></div>")
    body.append("<h2>Pain before and after sessions</h2>")
    reported = [d for d in report.days if d.pain_before is not None or d.pain_after is not None]
    if reported:
        body.append(pain_svg(report.days))
    else:
        body.append("<p>No pain scores recorded in this period.</p>")
    body.append('<div class="grid"><div>')
    body.append("<h2>Stops and what triggered them</h2>")
    if report.stops:
        shown = report.stops[-MAX_STOPS:]
        rows = "".join(f"<tr><td>{_day(stop.day, '%b')}</td><td>{esc(stop.what)}</td>"
                       f"<td>{esc(stop.why)}</td><td class=\"num\">"
                       f"{'' if stop.pain is None else stop.pain}</td></tr>" for stop in shown)
        body.append('<table><thead><tr><th scope="col">Day</th><th scope="col">Exercise</th>'
                    '<th scope="col">Why</th><th scope="col" class="num">Pain</th></tr>'
                    f"</thead><tbody>{rows}</tbody></table>")
        if len(report.stops) > MAX_STOPS:
            body.append(f'<p class="small">The latest {MAX_STOPS} of {len(report.stops)} '
                        "stops; `backcoach export` lists them all.</p>")
    else:
        body.append("<p>No exercise was stopped in this period.</p>")
    if report.goals:
        body.append("<h2>Goals</h2><ul>" + "".join(
            f"<li>{esc(goal)}: {esc(rating)}</li>" for goal, rating in report.goals) + "</ul>")
    body.append("</div><div>")
    body.append("<h2>Current doses</h2>")
    if report.doses:
        for name, schedule, exercises in report.doses:
            rows = "".join(f"<tr><td>{esc(ex)}</td><td>{esc(dose)}</td></tr>"
                           for ex, dose in exercises)
            body.append(f"<p><b>{esc(name)}</b>, {esc(schedule)}</p><table><tbody>{rows}"
                        "</tbody></table>")
    else:
        body.append("<p>No routine in use.</p>")
    body.append("</div></div>")
    body.append('<p class="small">Pain is scored 0 (none) to 10 (worst imaginable) before and '
                "after each session. backcoach gives general information, not diagnosis or "
                "treatment; these figures are what the person recorded.</p>")
    return page.document("Home exercise report", body, paper, css=_REPORT_CSS,
                         body_class="report")
