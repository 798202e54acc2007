"""The history as a FHIR R4 Bundle, for clinical systems (`backcoach export --format fhir`).

A `collection` Bundle: one Patient (no name or identifier: backcoach does not know them; the
receiving system links it to its own record), and for each session a Procedure (the home
exercise session, SNOMED CT 229065009 "Exercise therapy") with a Procedure for each exercise
in it (`partOf` the session), and the pain scores as Observations (LOINC 72514-3, the 0-10
numeric rating) `partOf` the session or exercise they were given in. References between
entries are `urn:uuid:` full URLs made from the history file and the session, so the same
history exports to the same ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from backcoach.history.db import utc_text
from backcoach.history.store import StoredExercise, StoredSession

LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SNOMED = "http://snomed.info/sct"
EXERCISE_THERAPY = ("229065009", "Exercise therapy")
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_NAMESPACE = uuid.UUID("5b0f3c1e-6c1d-4b7e-9a55-1f0c8d6b2a18")  # backcoach's, for uuid5

# A session's or exercise's status in backcoach, as a FHIR Procedure.status.
SESSION_STATUS = {"done": "completed", "partial": "stopped", "stopped": "stopped"}
EXERCISE_STATUS = {"done": "completed", "partial": "stopped", "stopped": "stopped",
                   "skipped": "not-done", "not_reached": "not-done"}


def _url(*parts: object) -> str:
    return "urn:uuid:" + str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _ref(url: str) -> dict[str, str]:
    return {"reference": url}


def _pain(url: str, subject: str, part_of: str, value: int, when: datetime,
          text: str) -> dict[str, Any]:
    return {"fullUrl": url, "resource": {
        "resourceType": "Observation", "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey",
                                  "display": "Survey"}]}],
        "code": {"coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}],
                 "text": text},
        "subject": _ref(subject), "partOf": [_ref(part_of)],
        "effectiveDateTime": utc_text(when), "valueInteger": value}}


def _exercise_note(rows: list[StoredExercise]) -> str:
    first = rows[0]
    sides = "; ".join(f"{row.side if row.side != 'none' else 'done'}: {row.reps_done} of "
                      f"{row.planned_reps} holds, {round(row.seconds_held)} s held"
                      for row in rows)
    return f"Planned {first.planned_reps} x {first.planned_hold} s. {sides}."


def _session_entries(session: StoredSession, patient: str, key: str) -> list[dict[str, Any]]:
    url = _url(key, session.id, "session")
    start = utc_text(session.started_at)
    period = {"start": start}
    if session.ended_at is not None:
        period["end"] = utc_text(session.ended_at)
    procedure: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": SESSION_STATUS.get(session.status, "unknown"),
        "code": {"coding": [{"system": SNOMED, "code": EXERCISE_THERAPY[0],
                             "display": EXERCISE_THERAPY[1]}],
                 "text": f"Home exercise session: {session.routine_name}"},
        "subject": _ref(patient), "performedPeriod": period,
        "note": [{"text": f"Routine {session.routine_id}: {session.exercises_done} of "
                          f"{session.exercises_total} exercises done; "
                          f"{round(session.elapsed_seconds)} s; ended: {session.end_reason}."}]}
    if session.status != "done" and session.end_reason:
        procedure["statusReason"] = {"text": session.end_reason}
    entries = [{"fullUrl": url, "resource": procedure}]
    if session.pain_before is not None:
        entries.append(_pain(_url(key, session.id, "pain-before"), patient, url,
                             session.pain_before, session.started_at,
                             "Pain before the exercise session"))
    if session.pain_after is not None:
        entries.append(_pain(_url(key, session.id, "pain-after"), patient, url,
                             session.pain_after, session.ended_at or session.started_at,
                             "Pain after the exercise session"))
    by_place: dict[int, list[StoredExercise]] = {}
    for row in session.exercises:
        by_place.setdefault(row.position, []).append(row)
    for place, rows in by_place.items():
        first = rows[0]
        part = _url(key, session.id, "exercise", place)
        exercise: dict[str, Any] = {
            "resourceType": "Procedure", "partOf": [_ref(url)],
            "status": EXERCISE_STATUS.get(first.status, "unknown"),
            "code": {"text": first.name}, "subject": _ref(patient),
            "performedDateTime": start, "note": [{"text": _exercise_note(rows)}]}
        if first.stop_reason:
            exercise["statusReason"] = {"text": first.stop_reason}
        entries.append({"fullUrl": part, "resource": exercise})
        if first.pain is not None:
            entries.append(_pain(_url(key, session.id, "exercise", place, "pain"), patient,
                                 part, first.pain, session.started_at,
                                 f"Pain during {first.name}"))
    return entries


def bundle(sessions: Iterable[StoredSession], exported_at: datetime,
           history_key: str) -> dict[str, Any]:
    """The sessions (oldest first) as one FHIR R4 `collection` Bundle; `history_key` names
    the history they come from (its path), so ids stay the same from one export to the next."""
    patient = _url(history_key, "patient")
    entries: list[dict[str, Any]] = [{"fullUrl": patient, "resource": {
        "resourceType": "Patient",
        "text": {"status": "generated",
                 "div": '<div xmlns="http://www.w3.org/1999/xhtml">The person whose home '
                        "exercise sessions backcoach recorded.</div>"}}}]
    for session in sorted(sessions, key=lambda s: (s.started_at, s.id)):
        entries += _session_entries(session, patient, history_key)
    return {"resourceType": "Bundle", "type": "collection",
            "timestamp": utc_text(exported_at), "entry": entries}
