"""Read queries on the store, shaped for screens and documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from pcsauvegarde.core.records import Patient, Record, Stay, record_from_dict
from pcsauvegarde.station.documents.context import CensusRow, PatientFile, UnitFile
from pcsauvegarde.station.store.db import Store, fold


@dataclass(frozen=True)
class UnitSummary:
    code: str
    name: str
    inpatients: int


@dataclass(frozen=True)
class PatientRow:
    """One line of a patient list or search result."""

    patient: Patient
    nda: str
    unit: str
    room: str
    bed: str
    current: bool
    has_allergy: bool
    provisional: bool = False   # a downtime admission (provisional IPP/NDA), see admissions.py


def _records(db, sql: str, args: tuple = ()) -> list[Record]:
    return [record_from_dict(json.loads(d)) for (d,) in db.execute(sql, args)]


def unit_names(store: Store) -> dict[str, str]:
    with store.connect() as db:
        return {u.id: u.name for u in _records(db, "SELECT data FROM record WHERE type='unit'")}


def units(store: Store) -> list[UnitSummary]:
    """Units with current inpatients, plus every unit of the directory."""
    names = unit_names(store)
    with store.connect() as db:
        counts = dict(db.execute(
            "SELECT unit, COUNT(*) FROM patient_index WHERE current=1 GROUP BY unit"))
    codes = sorted(set(names) | {c for c in counts if c})
    return [UnitSummary(c, names.get(c, c), counts.get(c, 0)) for c in codes]


_ROW_SQL = """
SELECT r.data, i.nda, i.unit, i.room, i.bed, i.current,
       EXISTS (SELECT 1 FROM record a WHERE a.ipp = i.ipp AND a.type = 'allergy')
FROM patient_index i JOIN record r ON r.type = 'patient' AND r.id = i.ipp
"""


def _rows(db, where: str, args: tuple, limit: int) -> list[PatientRow]:
    sql = f"{_ROW_SQL} WHERE {where} ORDER BY i.current DESC, i.unit, i.room, i.bed, i.names LIMIT ?"
    out = []
    for data, nda, unit, room, bed, current, allergy in db.execute(sql, args + (limit,)):
        out.append(PatientRow(record_from_dict(json.loads(data)), nda or "", unit or "",
                              room or "", bed or "", bool(current), bool(allergy)))
    return out


def inpatients(store: Store, unit: str) -> list[PatientRow]:
    """Current inpatients of a unit, in room/bed order."""
    with store.connect() as db:
        return _rows(db, "i.unit = ? AND i.current = 1", (unit,), 1000)


_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def search(store: Store, query: str, limit: int = 50) -> list[PatientRow]:
    """Find patients by name (accent/case-insensitive), birth date (JJ/MM/AAAA), IPP or NDA."""
    q = query.strip()[:100]
    if not q:
        return []
    with store.connect() as db:
        if q.isdigit():
            return _rows(db, "i.ipp = ? OR i.nda = ?", (q, q), limit)
        m = _DATE.match(q)
        if m:
            iso = f"{m[3]}-{m[2]}-{m[1]}"
            return _rows(db, "i.birth_date = ?", (iso,), limit)
        terms = fold(q).split()
        where = " AND ".join(["i.names LIKE ? ESCAPE '\\'"] * len(terms))
        args = tuple("%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                     for t in terms)
        return _rows(db, where, args, limit)


def patient_file(store: Store, ipp: str, lab_hours: int = 72,
                 now: dt.datetime | None = None) -> PatientFile | None:
    """Everything known about one patient, or None if the IPP is unknown."""
    now = now or dt.datetime.now(dt.UTC)
    with store.connect() as db:
        by_type: dict[str, list[Record]] = {}
        for rec in _records(db, "SELECT data FROM record WHERE ipp = ?", (ipp,)):
            by_type.setdefault(rec.TYPE, []).append(rec)
    patients = by_type.get("patient", [])
    if not patients:
        return None
    stays: list[Stay] = sorted(by_type.get("stay", []), key=lambda s: s.admission)
    current = [s for s in stays if s.discharge is None]
    stay = current[-1] if current else (stays[-1] if stays else None)
    since = now - dt.timedelta(hours=lab_hours)
    snaps = store.snapshots()
    return PatientFile(
        patient=patients[0],
        stay=stay,
        unit_name=unit_names(store).get(stay.unit, stay.unit) if stay else "",
        allergies=tuple(by_type.get("allergy", [])),
        conditions=tuple(by_type.get("condition", [])),
        orders=tuple(sorted((o for o in by_type.get("medication_order", [])
                             if o.status == "active"), key=lambda o: (o.start, o.drug))),
        administrations=tuple(sorted(by_type.get("medication_administration", []),
                                     key=lambda a: a.at)),
        lab_results=tuple(sorted((r for r in by_type.get("lab_result", [])
                                  if r.collected_at >= since),
                                 key=lambda r: (r.label, r.collected_at))),
        imaging_exams=tuple(sorted((e for e in by_type.get("imaging_exam", [])
                                    if e.scheduled_at >= now - dt.timedelta(hours=1)),
                                   key=lambda e: e.scheduled_at)),
        extracted_at={d: s.extracted_at for d, s in snaps.items()},
        care_tasks=tuple(by_type.get("care_task", [])),
    )


def unit_file(store: Store, unit: str) -> UnitFile:
    """A unit's current inpatients in room/bed order, with stay and allergy records."""
    rows = inpatients(store, unit)
    out = []
    with store.connect() as db:
        for r in rows:
            stays = _records(db, "SELECT data FROM record WHERE type='stay' AND id=?", (r.nda,))
            if not stays:
                continue
            allergies = _records(db, "SELECT data FROM record WHERE type='allergy' AND ipp=?",
                                 (r.patient.id,))
            out.append(CensusRow(r.patient, stays[0], tuple(allergies)))
    snaps = store.snapshots()
    return UnitFile(unit, unit_names(store).get(unit, unit), tuple(out),
                    {d: s.extracted_at for d, s in snaps.items()})


def patient_unit(store: Store, ipp: str) -> tuple[bool, str | None]:
    """(known, unit of the current or last stay) for one IPP: cheap, for access checks."""
    with store.connect() as db:
        row = db.execute("SELECT unit FROM patient_index WHERE ipp = ?", (ipp,)).fetchone()
    return (row is not None, row[0] if row else None)
