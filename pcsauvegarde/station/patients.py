"""THE station-side read path for patients: the snapshot store merged with downtime admissions.

Every patient read of the station (unit screen, census, unit bundle, search, patient page,
every document, access checks) MUST go through this module: the store alone does not know the
patients admitted during the outage (provisional IPP), and a list that forgets them is a
patient-safety bug.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pcsauvegarde.core.records import Appointment, ImagingExam, Patient, Stay
from pcsauvegarde.station.documents.context import (
    CensusRow,
    PatientFile,
    ScheduledPatient,
    UnitFile,
)
from pcsauvegarde.station.state.admissions import Admission, AdmissionRequest, Admissions
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.store import queries
from pcsauvegarde.station.store.queries import PatientRow, UnitSummary

BANNER = "Identité provisoire — admission en mode dégradé"


def admissions_of(station: Station) -> Admissions:
    """The station's admissions register (ranges from its settings)."""
    from pcsauvegarde.station.exercise import numbers_prefix

    s = station.settings
    return Admissions(station.state, s.station_id, s.provisional_ipp_range,
                      s.provisional_nda_range, HighWater(s.high_water_path),
                      numbers_prefix(station))


def records_of(a: Admission) -> tuple[Patient, Stay]:
    """A downtime admission as the canonical patient and stay records documents print."""
    r: AdmissionRequest = a.request
    patient = Patient(a.ipp, r.birth_name, r.first_names, r.birth_date, r.sex,
                      used_name=r.used_name)
    stay = Stay(a.nda, a.ipp, r.unit, a.admitted_at, room=r.room, bed=r.bed,
                attending="", reason=r.reason)
    return patient, stay


def row_of(a: Admission) -> PatientRow:
    patient, stay = records_of(a)
    return PatientRow(patient, stay.id, stay.unit, stay.room, stay.bed, True, False,
                      provisional=True)


def unit_names(station: Station) -> dict[str, str]:
    """Unit code → name, from the hospital's directory."""
    return queries.unit_names(station.store)


def unit_phones(station: Station) -> dict[str, str]:
    """Unit code → phone, from the hospital's directory (units without one left out)."""
    with station.store.connect() as db:
        return {u.id: u.phone for u in queries.directory_units(db) if u.phone}


def units(station: Station) -> list[UnitSummary]:
    """Every unit of the directory or with inpatients, counting downtime admissions."""
    extra = Counter(admissions_of(station).count_by_unit())
    listed = {u.code: u for u in queries.units(station.store)}
    names = unit_names(station)
    for code in extra.keys() - listed.keys():
        listed[code] = UnitSummary(code, names.get(code, code), 0)
    return sorted((UnitSummary(u.code, u.name, u.inpatients + extra[u.code])
                   for u in listed.values()), key=lambda u: u.code)


def served_units(station: Station) -> list[UnitSummary]:
    """The units this station serves: its ``units`` setting, else those it holds patients for
    (never the whole shared directory)."""
    every = units(station)
    wanted = station.settings.units
    if "*" in wanted:
        return every
    if wanted:
        by_code, names = {u.code: u for u in every}, unit_names(station)
        return [by_code.get(c) or UnitSummary(c, names.get(c, c), 0) for c in sorted(set(wanted))]
    return [u for u in every if u.inpatients]


def is_unit(station: Station, unit: str) -> bool:
    """Whether ``unit`` is a unit of the directory or has inpatients (for 404s)."""
    return unit in unit_names(station) or bool(inpatients(station, unit))


def search(station: Station, q: str, limit: int = 50) -> list[PatientRow]:
    """The store's search, then matching provisional patients."""
    rows = queries.search(station.store, q, limit=limit)
    return rows + [row_of(a) for a in admissions_of(station).search(q, limit=limit)]


def inpatients(station: Station, unit: str) -> list[PatientRow]:
    """Current inpatients of a unit, downtime admissions included, in room/bed order."""
    return _merged(queries.inpatients(station.store, unit), admissions_of(station).in_unit(unit))


def _merged(rows: list[PatientRow], admitted: list[Admission]) -> list[PatientRow]:
    rows = rows + sorted((row_of(a) for a in admitted), key=lambda r: r.patient.birth_name)
    # Stable: the store's name order holds within a bed; empty beds sort first, as in SQL.
    return sorted(rows, key=lambda r: (r.room, r.bed))


def unit_file(station: Station, unit: str) -> UnitFile:
    """A unit's current inpatients (downtime admissions included), for unit documents."""
    admitted = {a.ipp: a for a in admissions_of(station).in_unit(unit)}
    rows = _merged(queries.inpatients(station.store, unit), list(admitted.values()))
    details = queries.census_details(station.store, [r for r in rows if not r.provisional])
    census = []
    for r in rows:
        if r.provisional:
            census.append(CensusRow(*records_of(admitted[r.patient.id])))
        elif r.patient.id in details:
            census.append(details[r.patient.id])
    return UnitFile(unit, unit_names(station).get(unit, unit), tuple(census),
                    queries.extracted_at(station.store))


def with_stays(station: Station, limit: int = 500) -> list[PatientRow]:
    """Current stays, then recent discharges, then provisional patients (the home's list)."""
    rows = queries.with_stays(station.store, limit)
    return rows + [row_of(a) for a in admissions_of(station).all()][: max(0, limit - len(rows))]


def patient_file(station: Station, ipp: str,
                 now: dt.datetime | None = None) -> PatientFile | None:
    """The store's patient file, else a provisional patient's, else None."""
    file = queries.patient_file(station.store, ipp, now=now)
    if file is not None:
        return file
    a = admissions_of(station).get(ipp)
    if a is None:
        return None
    patient, stay = records_of(a)
    return PatientFile(patient=patient, stay=stay,
                       unit_name=unit_names(station).get(stay.unit, stay.unit),
                       extracted_at=queries.extracted_at(station.store), provisional=True)


def identities(station: Station, ipps: list[str]) -> dict[str, str]:
    """« NOM Prénoms (né(e) le JJ/MM/AAAA) » of each known IPP (store, then provisional)."""
    from pcsauvegarde.station.documents.fmt import format_date

    wanted = sorted(set(ipps))
    found = {r.patient.id: r.patient for r in queries.patients_of(station.store, wanted)}
    register = admissions_of(station)
    for ipp in wanted:
        a = None if ipp in found else register.get(ipp)
        if a is not None:
            found[ipp] = records_of(a)[0]
    return {ipp: f"{p.birth_name.upper()} {p.first_names} (né(e) le {format_date(p.birth_date)})"
            for ipp, p in found.items()}


def imaging_exams_of(station: Station, ipp: str) -> list[ImagingExam]:
    """A patient's imaging exams, done and planned (a transfer pack lists them all)."""
    return queries.imaging_exams(station.store, ipp)


def extracted_at(station: Station) -> dict[str, dt.datetime]:
    """When each domain's snapshot was extracted (the data age of a page naming patients)."""
    return queries.extracted_at(station.store)


def is_known_number(station: Station, number: str) -> bool:
    """True when an IPP or NDA of the hospital's data already uses ``number``."""
    return bool(queries.search(station.store, number, limit=1))


def patient_unit(station: Station, ipp: str) -> tuple[bool, str | None]:
    """(known, unit) for access checks: the store's patients, then provisional ones."""
    known, unit = queries.patient_unit(station.store, ipp)
    if known:
        return known, unit
    a = admissions_of(station).get(ipp)
    return (a is not None, a.request.unit if a else None)


def imaging_exams(station: Station, start: dt.datetime, end: dt.datetime) -> list[ImagingExam]:
    """Imaging exams of the extract scheduled in ``[start, end)``, in time order."""
    return queries.scheduled_between(station.store, ImagingExam, start, end)


def imaging_exam(station: Station, exam_id: str) -> ImagingExam | None:
    """One imaging exam of the extract by its id, or None."""
    return queries.scheduled_one(station.store, ImagingExam, exam_id)


def appointments(station: Station, start: dt.datetime, end: dt.datetime) -> list[Appointment]:
    """Consultation appointments of the extract starting in ``[start, end)``, in time order."""
    return queries.scheduled_between(station.store, Appointment, start, end)


def scheduled_patients(station: Station, ipps: set[str]) -> dict[str, ScheduledPatient]:
    """Identity, current stay and active allergies of the patients of a schedule, by IPP
    (downtime admissions have no exam nor appointment in the extract: store only)."""
    return queries.scheduled_patients(station.store, ipps)
