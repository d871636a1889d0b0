"""The patient index: full rebuild from stored lines, incremental update after deltas."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from pcsauvegarde.core.package import Deletion, Manifest
from pcsauvegarde.core.records import Patient, Stay, record_from_dict
from pcsauvegarde.station.store import Store, fold
from pcsauvegarde.station.store.db import record_rows
from pcsauvegarde.station.store.patient_index import update_patient_index

UTC = dt.UTC
T0 = dt.datetime(2026, 11, 20, 8, tzinfo=UTC)


def manifest(kind: str, sequence: int) -> Manifest:
    return Manifest(kind=kind, domain="dpi", station="st-1", source="test",
                    extracted_at=T0, sequence=sequence,
                    base_sequence=sequence - 1 if kind == "delta" else None)


def hospital() -> list:
    out = []
    for n in range(30):
        out.append(Patient(f"P{n}", "MARTIN", "Zoé", dt.date(1950, 1, 1 + n % 28), "F",
                           used_name="DUPONT" if n % 3 else ""))
        out.append(Stay(f"N{n}a", f"P{n}", f"U{n % 4}", T0 - dt.timedelta(days=n), room=str(n),
                        discharge=T0 - dt.timedelta(days=n - 1) if n % 2 else None))
        if n % 5 == 0:  # an older stay too, and one in another time zone
            out.append(Stay(f"N{n}b", f"P{n}", "U9", T0 - dt.timedelta(days=40 + n),
                            discharge=(T0 - dt.timedelta(days=35)).astimezone(
                                dt.timezone(dt.timedelta(hours=2)))))
    return out


def index(store: Store) -> list[tuple]:
    with store.connect() as db:
        return db.execute("SELECT * FROM patient_index ORDER BY ipp").fetchall()


def reference(store: Store) -> list[tuple]:
    """The index as the previous full rebuild computed it, from decoded records."""
    with store.connect() as db:
        stays = [record_from_dict(json.loads(d)) for (d,) in
                 db.execute("SELECT data FROM record WHERE type='stay' ORDER BY id")]
        patients = [record_from_dict(json.loads(d)) for (d,) in
                    db.execute("SELECT data FROM record WHERE type='patient'")]
    best: dict = {}
    for s in stays:
        b = best.get(s.ipp)
        current = s.discharge is None and not s.planned
        if b is None or (not (b.discharge is None and not b.planned) and
                         (current or s.admission > b.admission)):
            best[s.ipp] = s
    rows = []
    for p in patients:
        s = best.get(p.id)
        names = fold(" ".join(filter(None, (p.birth_name, p.used_name, p.first_names,
                                            p.used_first_name, *p.merged_ipps))))
        rows.append((p.id, names, p.birth_date.isoformat(), s.id if s else None,
                     s.unit if s else None, s.room if s else None, s.bed if s else None,
                     int(s is not None and s.discharge is None and not s.planned),
                     s.admission.isoformat() if s else None,
                     s.discharge.isoformat() if s and s.discharge else None))
    return sorted(rows)


def test_full_then_deltas_match_a_full_rebuild(tmp_path):
    store = Store(tmp_path / "store.sqlite")
    records = hospital()
    store.promote(manifest("full", 1), record_rows("dpi", records), "full")
    assert index(store) == reference(store) and len(index(store)) == 30
    stay = next(r for r in records if r.id == "N2a")
    deltas = [
        [Patient("P99", "NOUVEAU", "Élodie", dt.date(1990, 1, 1), "F"),
         Stay("N99", "P99", "U1", T0)],                                 # admission
        [dataclasses.replace(stay, discharge=T0)],                      # discharge
        [dataclasses.replace(stay, ipp="P3")],                          # stay moved to P3
        [Deletion("stay", "N4a")],                                      # stay removed
        [Deletion("patient", "P6"), Deletion("stay", "N6a")],           # patient removed
        [Stay("N7c", "P7", "U2", T0 + dt.timedelta(hours=1))],          # second current stay
        [dataclasses.replace(records[0], used_first_name="Zoë")],       # renamed
        [Stay("N98", "P98", "U1", T0)],                                 # stay before patient
        [Patient("P98", "TARDIF", "Noé", dt.date(1980, 1, 1), "M")],
        [Stay("N97", "P98", "U3", T0 + dt.timedelta(days=2), planned=True)],  # pre-admission
        [dataclasses.replace(records[3], merged_ipps=("P77", "IPP-X 7"))],     # merge (A40)
    ]
    for sequence, items in enumerate(deltas, start=2):
        store.promote(manifest("delta", sequence), record_rows("dpi", items), f"d{sequence}")
        assert index(store) == reference(store), sequence
    with store.connect() as db:  # and a full rebuild gives the same rows
        update_patient_index(db)
    assert index(store) == reference(store)
    assert ("P6",) not in [r[:1] for r in index(store)]


def test_planned_stay_is_not_current_and_merged_ipps_find_the_survivor(tmp_path):
    from pcsauvegarde.station.store import queries

    store = Store(tmp_path / "store.sqlite")
    items = [Patient("900222", "MARTIN", "Zoé", dt.date(1950, 1, 1), "F",
                     merged_ipps=("900111", "IPP-AB")),
             Patient("900333", "DURAND", "Léa", dt.date(1960, 1, 1), "F"),
             Stay("V3", "900333", "U1", T0 + dt.timedelta(days=1), planned=True)]
    store.promote(manifest("full", 1), record_rows("dpi", items), "full")
    assert [r.patient.id for r in queries.search(store, "900111")] == ["900222"]
    assert [r.patient.id for r in queries.search(store, "ipp-ab")] == ["900222"]
    assert queries.search(store, "9001") == []  # a whole IPP, not a part of one
    assert queries.inpatients(store, "U1") == []
