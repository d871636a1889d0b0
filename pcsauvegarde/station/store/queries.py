"""Read queries on the snapshot store, shaped for screens and documents.

Only ``station.patients`` (the one read path, which adds downtime admissions) calls the
patient queries here: a caller reading the store alone would miss provisional patients.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import TypeVar

from pcsauvegarde.core.records import (
    Allergy,
    AnaesthesiaAssessment,
    Appointment,
    BloodTyping,
    CareTask,
    Condition,
    ImagingExam,
    LabResult,
    MedicationAdministration,
    MedicationOrder,
    Patient,
    Record,
    Stay,
    SurgeryCase,
    TransfusionFact,
    Unit,
    format_utc,
    record_from_dict,
)
from pcsauvegarde.station.documents.context import CensusRow, PatientFile, ScheduledPatient
from pcsauvegarde.station.documents.fmt import allergy_text
from pcsauvegarde.station.store.db import Store, fold

R = TypeVar("R", bound=Record)


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
    allergies: tuple[str, ...] = ()         # substances of the active allergies
    discharge: dt.datetime | None = None    # of the listed stay, when it has ended


def _records(db, sql: str, args: tuple = ()) -> list[Record]:
    return [record_from_dict(json.loads(d)) for (d,) in db.execute(sql, args)]


def _of_type(db, cls: type[R], where: str, args: tuple) -> list[R]:
    """Records of one class (``cls.TYPE``) matching ``where``, typed as such."""
    sql = f"SELECT data FROM record WHERE type=? AND {where}"  # noqa: S608 - fixed WHERE text
    return _of(cls, _records(db, sql, (cls.TYPE, *args)))


def _of(cls: type[R], records: list[Record]) -> list[R]:
    """The records of one class among ``records``, typed as such."""
    return [r for r in records if isinstance(r, cls)]


def unit_names(store: Store) -> dict[str, str]:
    with store.connect() as db:
        return {u.id: u.name for u in directory_units(db)}


def directory_units(db) -> list[Unit]:
    """Every unit of the directory (code, name, phone)."""
    return _of_type(db, Unit, "1=1", ())


def units(store: Store) -> list[UnitSummary]:
    """Units with current inpatients, plus every unit of the directory."""
    names = unit_names(store)
    with store.connect() as db:
        counts = dict(db.execute(
            "SELECT unit, COUNT(*) FROM patient_index WHERE current=1 GROUP BY unit"))
    codes = sorted(set(names) | {c for c in counts if c})
    return [UnitSummary(c, names.get(c, c), counts.get(c, 0)) for c in codes]


_ROW_SQL = """
SELECT r.data, i.nda, i.unit, i.room, i.bed, i.current, i.discharge
FROM patient_index i JOIN record r ON r.type = 'patient' AND r.id = i.ipp
"""


def _rows(db, where: str, args: tuple, limit: int) -> list[PatientRow]:
    sql = (f"{_ROW_SQL} WHERE {where} "
           "ORDER BY i.current DESC, i.unit, i.room, i.bed, i.names LIMIT ?")
    found = [(p, nda, unit, room, bed, current, discharge)  # the join is on type = 'patient'
             for data, nda, unit, room, bed, current, discharge
             in db.execute(sql, (*args, limit))
             if isinstance(p := record_from_dict(json.loads(data)), Patient)]
    allergies = _active_allergies(db, [p.id for p, *_ in found])
    return [PatientRow(p, nda or "", unit or "", room or "", bed or "", bool(current),
                       p.id in allergies, allergies=allergies.get(p.id, ()),
                       discharge=dt.datetime.fromisoformat(discharge) if discharge else None)
            for p, nda, unit, room, bed, current, discharge in found]


def _active_allergies(db, ipps: list[str]) -> dict[str, tuple[str, ...]]:
    """The active allergies (Allergy.active) of ``ipps`` as named on screen, by IPP."""
    out: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ipps), 500):  # under SQLite's bound-parameter limit
        chunk = ipps[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for a in _of_type(db, Allergy, f"ipp IN ({marks})", tuple(chunk)):
            if a.active and a.absence is None:   # « no known allergy » is not a badge
                out[a.ipp] = (*out.get(a.ipp, ()), allergy_text(a))
    return out


def inpatients(store: Store, unit: str) -> list[PatientRow]:
    """Current inpatients of a unit, in room/bed order."""
    with store.connect() as db:
        return _rows(db, "i.unit = ? AND i.current = 1", (unit,), 1000)


def patients_of(store: Store, ipps: list[str]) -> list[PatientRow]:
    """The patients of ``ipps`` the store knows (any stay state), in no particular order."""
    out: list[PatientRow] = []
    with store.connect() as db:
        for start in range(0, len(ipps), 500):  # under SQLite's bound-parameter limit
            chunk = tuple(ipps[start:start + 500])
            out += _rows(db, f"i.ipp IN ({','.join('?' * len(chunk))})", chunk, len(chunk))
    return out


def with_stays(store: Store, limit: int = 500) -> list[PatientRow]:
    """Patients with a stay kept by the station: current stays first, then recent discharges."""
    with store.connect() as db:
        return _rows(db, "i.nda IS NOT NULL", (), limit)


_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def search(store: Store, query: str, limit: int = 50) -> list[PatientRow]:
    """Find patients by IPP or NDA (exact, any shape), birth date (JJ/MM/AAAA) or name."""
    q = query.strip()[:100]
    if not q:
        return []
    with store.connect() as db:
        if not any(c.isspace() for c in q):
            # a scanned or typed IPP/NDA of any shape (digits, letters, UUID) is matched whole
            rows = _rows(db, "i.ipp = ? OR i.nda = ?", (q, q), limit)
            if rows:
                return rows
            if q.isdigit():  # else an IPP merged into another one
                return _rows(db, "' ' || i.names || ' ' LIKE ?", (f"% {q} %",), limit)
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
        found = _records(db, "SELECT data FROM record WHERE ipp = ?", (ipp,))
    patients = _of(Patient, found)
    if not patients:
        return None
    stays = sorted(_of(Stay, found), key=lambda s: s.admission)
    current = [s for s in stays if s.discharge is None and not s.planned]
    stay = current[-1] if current else (stays[-1] if stays else None)
    snaps = store.snapshots()
    # the window ends at the lab extract, as on the summary: old data still shows its last 72 h
    lab_at = snaps["lab"].extracted_at if "lab" in snaps else now
    since = min(now, lab_at) - dt.timedelta(hours=lab_hours)
    return PatientFile(
        patient=patients[0],
        stay=stay,
        unit_name=unit_names(store).get(stay.unit, stay.unit) if stay else "",
        allergies=tuple(_of(Allergy, found)),
        conditions=tuple(_of(Condition, found)),
        orders=tuple(sorted((o for o in _of(MedicationOrder, found) if o.status == "active"),
                            key=lambda o: (o.start, o.drug))),
        administrations=tuple(sorted(_of(MedicationAdministration, found),
                                     key=lambda a: a.at)),
        lab_results=tuple(sorted(lab_results(_of(LabResult, found), since),
                                 key=lambda r: (r.label, r.collected_at))),
        imaging_exams=tuple(sorted((e for e in _of(ImagingExam, found)
                                    if e.scheduled_at >= now - dt.timedelta(hours=1)),
                                   key=lambda e: e.scheduled_at)),
        extracted_at=extracted_at(store),
        care_tasks=tuple(_of(CareTask, found)),
        surgery_cases=tuple(sorted((c for c in _of(SurgeryCase, found) if _current_case(c, now)),
                                   key=lambda c: c.scheduled_at)),
        blood_typings=tuple(sorted(_of(BloodTyping, found), key=lambda t: t.collected_at)),
        transfusions=tuple(_of(TransfusionFact, found)),
        anaesthesia=tuple(sorted(_of(AnaesthesiaAssessment, found), key=lambda a: a.at)),
    )


def _current_case(case: SurgeryCase, now: dt.datetime) -> bool:
    """Still to come or of the last hour, or of the last 24 h (so the whole local day) and not
    done nor cancelled: a case running late during an outage stays on the patient's papers."""
    if case.scheduled_at >= now - dt.timedelta(hours=1):
        return True
    return (case.status not in ("done", "cancelled")
            and case.scheduled_at >= now - dt.timedelta(hours=24))


def imaging_exams(store: Store, ipp: str) -> list[ImagingExam]:
    """Every imaging exam of a patient in the extract, past and planned, by date."""
    with store.connect() as db:
        return sorted(_of_type(db, ImagingExam, "ipp=?", (ipp,)), key=lambda e: e.scheduled_at)


def lab_results(results: list[LabResult], since: dt.datetime) -> list[LabResult]:
    """Results collected since ``since``, plus the last known result of every other test (a
    patient whose last results are older must not look as if never tested)."""
    recent = [r for r in results if r.collected_at >= since]
    seen = {r.analysis for r in recent}
    latest: dict[str, LabResult] = {}
    for r in results:
        key = r.analysis
        if key not in seen and (key not in latest or r.collected_at > latest[key].collected_at):
            latest[key] = r
    return recent + list(latest.values())


def census_details(store: Store, rows: list[PatientRow]) -> dict[str, CensusRow]:
    """Stay and active allergies of each row's patient, by IPP (rows without a stay left out)."""
    out: dict[str, CensusRow] = {}
    with store.connect() as db:
        for r in rows:
            stays = _of_type(db, Stay, "id=?", (r.nda,))
            if not stays:
                continue
            allergies = _of_type(db, Allergy, "ipp=?", (r.patient.id,))
            out[r.patient.id] = CensusRow(r.patient, stays[0],
                                          tuple(a for a in allergies if a.active))
    return out


def extracted_at(store: Store) -> dict[str, dt.datetime]:
    """When each domain's promoted snapshot was extracted at the source."""
    return {d: s.extracted_at for d, s in store.snapshots().items()}


def patient_unit(store: Store, ipp: str) -> tuple[bool, str | None]:
    """(known, unit of the current or last stay) for one IPP: cheap, for access checks."""
    with store.connect() as db:
        row = db.execute("SELECT unit FROM patient_index WHERE ipp = ?", (ipp,)).fetchone()
    return (row is not None, row[0] if row else None)


# ---- schedules: a time window of imaging exams or appointments, with their patients ----

S = TypeVar("S", ImagingExam, Appointment)
_WHEN = {ImagingExam: "scheduled_at", Appointment: "start"}


def scheduled_between(store: Store, cls: type[S], start: dt.datetime, end: dt.datetime) -> list[S]:
    """Exams or appointments of ``cls`` starting in ``[start, end)``, in time order."""
    field = _WHEN[cls]
    # UTC on the wire as 2026-11-27T13:05:00Z: text order is time order
    where = f"json_extract(data, '$.{field}') >= ? AND json_extract(data, '$.{field}') < ?"
    with store.connect() as db:
        found = _of_type(db, cls, where, (format_utc(start), format_utc(end)))
    return sorted(found, key=lambda r: (getattr(r, field), r.id))


def scheduled_one(store: Store, cls: type[S], record_id: str) -> S | None:
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
