"""Read queries for schedules: a time window of imaging exams or appointments, with the
identity, current stay and active allergies of their patients (called by station.patients)."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from pcsauvegarde.core.records import Allergy, Appointment, ImagingExam, Patient, Stay, format_utc
from pcsauvegarde.station.documents.context import ScheduledPatient
from pcsauvegarde.station.store.db import Store
from pcsauvegarde.station.store.queries import _of, _of_type, _records, unit_names

S = TypeVar("S", ImagingExam, Appointment)
_WHEN = {ImagingExam: "scheduled_at", Appointment: "start"}


def between(store: Store, cls: type[S], start: dt.datetime, end: dt.datetime) -> list[S]:
    """Exams or appointments of ``cls`` starting in ``[start, end)``, in time order."""
    field = _WHEN[cls]
    # UTC on the wire as 2026-11-27T13:05:00Z: text order is time order
    where = f"json_extract(data, '$.{field}') >= ? AND json_extract(data, '$.{field}') < ?"
    with store.connect() as db:
        found = _of_type(db, cls, where, (format_utc(start), format_utc(end)))
    return sorted(found, key=lambda r: (getattr(r, field), r.id))


def one(store: Store, cls: type[S], record_id: str) -> S | None:
    """One exam or appointment by id, or None."""
    with store.connect() as db:
        found = _of_type(db, cls, "id = ?", (record_id,))
    return found[0] if found else None


def scheduled_patients(store: Store, ipps: set[str]) -> dict[str, ScheduledPatient]:
    """Identity, current (else last) stay and active allergies of each known IPP."""
    names = unit_names(store)
    out: dict[str, ScheduledPatient] = {}
    with store.connect() as db:
        for ipp in sorted(ipps):
            found = _records(db, "SELECT data FROM record WHERE ipp = ? AND type IN "
                                 "('patient', 'stay', 'allergy')", (ipp,))
            patients = _of(Patient, found)
            if not patients:
                continue
            stays = sorted(_of(Stay, found), key=lambda s: s.admission)
            current = [s for s in stays if s.discharge is None and not s.planned]
            stay = current[-1] if current else None
            out[ipp] = ScheduledPatient(patients[0], stay,
                                        names.get(stay.unit, stay.unit) if stay else "",
                                        tuple(_of(Allergy, found)))
    return out
