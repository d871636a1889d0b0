"""« Planning des interventions »: the day's OR cases per room, with what each patient needs.

Cases come from ``surgery_case`` records (imaging domain, ``interventions.csv``); each line
carries the patient file (identity, allergies, blood group and RAI read by
station/lab/bloodbank.py), the planned trays' names and the numbers of the sterilisation
traceability sheets already issued for that patient that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pcsauvegarde.core.records import SurgeryCase
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import or_traceability
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.documents.fmt import PARIS, format_date, to_local
from pcsauvegarde.station.lab import bloodbank
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.sterilisation import catalogue as cat
from pcsauvegarde.station.theatre.model import OrLine, OrSchedule, RoomDay

MAX_DAYS_AHEAD = 7   # the schedule screen offers today and the next days


class ScheduleError(ValueError):
    """A schedule request that cannot be met (French message)."""


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (UTC) of a Paris day (DST-safe)."""
    start = dt.datetime.combine(day, dt.time(), PARIS)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), PARIS)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def rooms_of(station: Station, day: dt.date) -> list[str]:
    """The rooms with at least one case that day, sorted."""
    return sorted({c.room for c in cat.or_schedule(station.store, *day_bounds(day))})


def build(station: Station, day: dt.date, room: str = "", *,
          visible: Callable[[str | None], bool] = lambda unit: True,
          now: dt.datetime | None = None) -> OrSchedule:
    """The schedule of ``day`` (every room, or ``room``); ``visible`` says which patients'
    units the reader may see (others are counted in ``hidden``, never listed)."""
    now = now or dt.datetime.now(dt.UTC)
    cases = cat.or_schedule(station.store, *day_bounds(day))
    if room:
        cases = [c for c in cases if c.room == room]
    catalogue = cat.load_catalogue(station.store)
    sheets = _sheets_by_patient(station, day)
    lines: dict[str, list[OrLine]] = {}
    hidden = 0
    for case in sorted(cases, key=lambda c: (c.room, c.scheduled_at, c.id)):
        file = patients.patient_file(station, case.ipp, now=now)
        unit = file.stay.unit if file and file.stay else None
        if not visible(unit):
            hidden += 1
            continue
        lines.setdefault(case.room, []).append(_line(case, file, catalogue, sheets, now))
    extracted = patients.extracted_at(station)
    # Journalled under the listed patients' unit when they share one, so a ward nurse can
    # reopen what she printed; a list spanning units is journalled with none (all-unit
    # accounts reopen it).
    units = {line.unit for ls in lines.values() for line in ls}
    code = units.pop() or "" if len(units) == 1 else ""
    return OrSchedule(day, tuple(RoomDay(r, tuple(ls)) for r, ls in sorted(lines.items())),
                      room, hidden, extracted, code)


def _line(case: SurgeryCase, file: PatientFile | None, catalogue: cat.Catalogue,
          sheets: dict[str, list[str]], now: dt.datetime) -> OrLine:
    trays = tuple(f"{t} — {catalogue.trays[t].name}" if t in catalogue.trays
                  else f"{t} — plateau absent du catalogue" for t in case.tray_ids)
    if file is None:
        return OrLine(case, None, bloodbank.NO_GROUP, True, trays,
                      tuple(sheets.get(case.ipp, ())))
    status = bloodbank.blood_status(file.blood_typings, file.transfusions, now)
    rai = bloodbank.rai_text(status)
    prefix = "RAI : " if status.rai is not None and not status.rai_expired else ""
    blood = f"{bloodbank.group_text(status)} · {prefix}{rai}"
    alert = (not status.known or bool(status.discordance) or status.rai is None
             or status.rai_expired or status.rai.screen == "positive")
    return OrLine(case, file, blood, alert, trays, tuple(sheets.get(case.ipp, ())))


def _sheets_by_patient(station: Station, day: dt.date) -> dict[str, list[str]]:
    """Numbers of the OR traceability sheets issued on ``day`` (Paris), by patient: the
    journal keeps the patient of a sheet, not its intervention."""
    start, end = day_bounds(day)
    out: dict[str, list[str]] = {}
    for doc in station.journal.documents_of_kind(or_traceability.KIND, start, end):
        if doc.get("ipp"):
            out.setdefault(str(doc["ipp"]), []).append(str(doc["number"]))
    return out


def parse_day(text: str | None, now: dt.datetime) -> dt.date:
    """The requested day (AAAA-MM-JJ), today when empty; refused beyond the offered days."""
    today = to_local(now).date()
    if not text:
        return today
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError(f"date « {text[:20]} » invalide (attendu AAAA-MM-JJ)") from None
    if not (today - dt.timedelta(days=1) <= day <= today + dt.timedelta(days=MAX_DAYS_AHEAD)):
        raise ScheduleError(f"date « {format_date(day)} » hors du programme disponible (de la "
                            f"veille à J+{MAX_DAYS_AHEAD})")
    return day
