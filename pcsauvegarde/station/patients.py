"""Downtime admissions merged into the patient lists, search and files (provisional patients)."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core.records import Patient, Stay
from pcsauvegarde.station.documents.context import PatientFile
from pcsauvegarde.station.state.admissions import Admission, AdmissionRequest, Admissions
from pcsauvegarde.station.station import Station
from pcsauvegarde.station.store import queries

BANNER = "Identité provisoire — admission en mode dégradé"


def admissions_of(station: Station) -> Admissions:
    """The station's admissions register (ranges from its settings)."""
    s = station.settings
    return Admissions(station.state, s.station_id, s.provisional_ipp_range,
                      s.provisional_nda_range)


def records_of(a: Admission) -> tuple[Patient, Stay]:
    r: AdmissionRequest = a.request
    patient = Patient(a.ipp, r.birth_name, r.first_names, r.birth_date, r.sex,
                      used_name=r.used_name)
    stay = Stay(a.nda, a.ipp, r.unit, a.admitted_at, room=r.room, bed=r.bed,
                attending="", reason=r.reason)
    return patient, stay


def row_of(a: Admission) -> queries.PatientRow:
    patient, stay = records_of(a)
    return queries.PatientRow(patient, stay.id, stay.unit, stay.room, stay.bed, True, False,
                              provisional=True)


def search(station: Station, q: str) -> list[queries.PatientRow]:
    """The store's search, then matching provisional patients."""
    rows = queries.search(station.store, q)
    return rows + [row_of(a) for a in admissions_of(station).search(q)]


def inpatients(station: Station, unit: str) -> list[queries.PatientRow]:
    rows = queries.inpatients(station.store, unit)
    provisional = sorted((row_of(a) for a in admissions_of(station).in_unit(unit)),
                         key=lambda r: (r.room, r.bed, r.patient.birth_name))
    return rows + provisional


def with_stays(station: Station, limit: int = 500) -> list[queries.PatientRow]:
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
    names = queries.unit_names(station.store)
    snaps = station.store.snapshots()
    return PatientFile(patient=patient, stay=stay, unit_name=names.get(stay.unit, stay.unit),
                       extracted_at={d: s.extracted_at for d, s in snaps.items()},
                       provisional=True)


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
