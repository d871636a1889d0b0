"""Exam schedules per modality, room and day, from the imaging extract (pure build + reads)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pcsauvegarde.core.records import ImagingExam
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.context import ScheduledPatient
from pcsauvegarde.station.documents.fmt import local_day_bounds as day_bounds
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.imaging.model import ExamDay, ExamLine, ExamReport, ExamSchedule
from pcsauvegarde.station.station import Station

DAYS_SHOWN = 7   # today and the next six days on the screen (the extract may hold more)


@dataclass(frozen=True)
class ScheduleSummary:
    """One schedule on the imaging screen: day, modality, room and how many exams."""

    day: dt.date
    modality: str
    room: str
    exams: int


def local_day(when: dt.datetime) -> dt.date:
    """The Europe/Paris day of an instant."""
    return to_local(when).date()


def requesting_text(exam: ImagingExam, who: ScheduledPatient | None,
                    unit_names: Mapping[str, str]) -> str:
    """The requesting unit's name: the exam's own, else the patient's current unit."""
    code = exam.requesting_unit or (who.stay.unit if who and who.stay else "")
    return unit_names.get(code, code)


def summarise(exams: Iterable[ImagingExam]) -> list[ScheduleSummary]:
    """One summary per (local day, modality, room), in day then modality then room order."""
    counts = Counter((local_day(e.scheduled_at), e.modality, e.room) for e in exams)
    return [ScheduleSummary(d, m, r, n) for (d, m, r), n in sorted(counts.items())]


def build(exams: Iterable[ImagingExam], who: Mapping[str, ScheduledPatient], day: dt.date,
          modality: str, room: str, unit_names: Mapping[str, str],
          extracted_at: dict[str, dt.datetime] | None = None) -> ExamSchedule:
    """The schedule of one modality, room and local day (pure), in time order."""
    lines = tuple(ExamLine(e, who.get(e.ipp), requesting_text(e, who.get(e.ipp), unit_names))
                  for e in sorted(exams, key=lambda e: (e.scheduled_at, e.id))
                  if e.modality == modality and e.room == room
                  and local_day(e.scheduled_at) == day)
    return ExamSchedule(day, modality, room, lines, dict(extracted_at or {}))


def summaries(station: Station, today: dt.date, days: int = DAYS_SHOWN) -> list[ScheduleSummary]:
    """Every schedule from ``today`` over ``days`` days, from the station's imaging extract."""
    start, _ = day_bounds(today)
    _, end = day_bounds(today + dt.timedelta(days=days - 1))
    return summarise(patients.imaging_exams(station, start, end))


def exam_schedule(station: Station, day: dt.date, modality: str, room: str) -> ExamSchedule:
    """The schedule of one modality, room and day from the station's data."""
    start, end = day_bounds(day)
    exams = [e for e in patients.imaging_exams(station, start, end)
             if e.modality == modality and e.room == room]
    who = patients.scheduled_patients(station, {e.ipp for e in exams})
    return build(exams, who, day, modality, room, patients.unit_names(station),
                 patients.extracted_at(station))


def exam_day(station: Station, day: dt.date) -> ExamDay:
    """Every schedule of ``day`` (modality then room order) from the station's data."""
    start, end = day_bounds(day)
    exams = patients.imaging_exams(station, start, end)
    who = patients.scheduled_patients(station, {e.ipp for e in exams})
    names, at = patients.unit_names(station), patients.extracted_at(station)
    return ExamDay(day, tuple(build(exams, who, day, s.modality, s.room, names, at)
                              for s in summarise(exams)), at)


def exam_report(station: Station, exam_id: str | None) -> ExamReport | None:
    """The report form of one exam (None: unknown exam), or a blank one (``exam_id`` None)."""
    if exam_id is None:
        return ExamReport(extracted_at=patients.extracted_at(station))
    exam = patients.imaging_exam(station, exam_id)
    if exam is None:
        return None
    who = patients.scheduled_patients(station, {exam.ipp}).get(exam.ipp)
    return ExamReport(exam, who, requesting_text(exam, who, patients.unit_names(station)),
                      patients.extracted_at(station))
