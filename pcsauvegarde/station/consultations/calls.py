"""Call lists per clinic and day from the appointments of the extract (pure build + reads)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pcsauvegarde.core.records import Appointment
from pcsauvegarde.station import patients
from pcsauvegarde.station.consultations.model import CallLine, CallList, CallWeek

__all__ = ["DAYS", "CallList", "CallWeek", "ClinicDay", "build", "call_list", "call_week",
           "summaries", "summarise", "week"]
from pcsauvegarde.station.documents.context import ScheduledPatient
from pcsauvegarde.station.documents.fmt import local_day_bounds as day_bounds
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.station import Station

DAYS = 7   # today and the next six days: the patients to call back first


def local_day(when: dt.datetime) -> dt.date:
    return to_local(when).date()


@dataclass(frozen=True)
class ClinicDay:
    """One clinic on one day on the consultations screen: how many appointments, cancelled."""

    unit: str
    name: str
    day: dt.date
    appointments: int
    cancelled: int


def summarise(appointments: Iterable[Appointment], names: Mapping[str, str]
              ) -> list[ClinicDay]:
    """One entry per (clinic unit, local day), by clinic name then day."""
    total: Counter = Counter()
    cancelled: Counter = Counter()
    for a in appointments:
        key = (a.unit, local_day(a.start))
        total[key] += 1
        cancelled[key] += a.status == "cancelled"
    return sorted((ClinicDay(u, names.get(u, u), d, n, cancelled[(u, d)])
                   for (u, d), n in total.items()),
                  key=lambda c: (c.name.casefold(), c.unit, c.day))


def build(appointments: Iterable[Appointment], who: Mapping[str, ScheduledPatient], unit: str,
          day: dt.date, unit_name: str = "",
          extracted_at: dict[str, dt.datetime] | None = None) -> CallList:
    """The call list of one clinic unit and local day (pure), in time order."""
    mine = sorted((a for a in appointments if a.unit == unit and local_day(a.start) == day),
                  key=lambda a: (a.start, a.id))
    clinics = tuple(dict.fromkeys(a.clinic for a in mine if a.clinic))
    return CallList(unit, unit_name, day, clinics,
                    tuple(CallLine(a, who.get(a.ipp)) for a in mine), dict(extracted_at or {}))


def week(station: Station, today: dt.date, days: int = DAYS) -> list[Appointment]:
    start, _ = day_bounds(today)
    _, end = day_bounds(today + dt.timedelta(days=days - 1))
    return patients.appointments(station, start, end)


def summaries(station: Station, today: dt.date) -> list[ClinicDay]:
    """Every clinic and day with appointments from ``today`` over DAYS days."""
    return summarise(week(station, today), patients.unit_names(station))


def call_list(station: Station, unit: str, day: dt.date) -> CallList:
    """One clinic's call list for ``day`` from the station's data."""
    start, end = day_bounds(day)
    found = [a for a in patients.appointments(station, start, end) if a.unit == unit]
    who = patients.scheduled_patients(station, {a.ipp for a in found})
    return build(found, who, unit, day, patients.unit_names(station).get(unit, ""),
                 patients.extracted_at(station))


def call_week(station: Station, unit: str, today: dt.date, days: int = DAYS) -> CallWeek:
    """One clinic's call lists from ``today`` over ``days`` days, in one document's data."""
    found = [a for a in week(station, today, days) if a.unit == unit]
    who = patients.scheduled_patients(station, {a.ipp for a in found})
    name = patients.unit_names(station).get(unit, "")
    at = patients.extracted_at(station)
    return CallWeek(unit, name, tuple(build(found, who, unit, today + dt.timedelta(days=k),
                                            name, at) for k in range(days)), at)
