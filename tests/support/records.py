"""Records and manifests: a few dpi records, one valid record of every type, a manifest."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.core import records
from pcsauvegarde.core.package import Manifest

UTC = dt.UTC
EXTRACTED = dt.datetime(2026, 11, 27, 13, 5, tzinfo=UTC)


def sample_records(n: int = 3) -> list[records.Record]:
    """A few dpi records: patients with one medication order each."""
    out: list[records.Record] = []
    for i in range(n):
        out.append(records.Patient(id=f"P{i}", birth_name="DUPONT", first_names="Hélène",
                                   birth_date=dt.date(1950, 1, 1 + i % 28), sex="F"))
        out.append(records.MedicationOrder(
            id=f"o{i}", ipp=f"P{i}", drug="PARACÉTAMOL 1 g", dose="1", unit="g",
            timing=records.Timing(kind="fixed_times", times=("08:00", "20:00")),
            start=dt.datetime(2026, 11, 26, 8, tzinfo=UTC)))
    return out


def manifest(**overrides) -> Manifest:
    fields = {"kind": "full", "domain": "dpi", "station": "st-urg-1", "source": "DPI de test",
                  "extracted_at": EXTRACTED, "sequence": 42}
    fields.update(overrides)
    return Manifest(**fields)


T = dt.datetime(2026, 11, 27, 8, 30, tzinfo=UTC)


def valid_records() -> list[records.Record]:
    """One valid record of every type, optional fields filled."""
    return [
        *sample_records(1),
        records.Stay("NDA1", "P0", "U01", T, room="12", bed="A", discharge=T),
        records.Allergy("AL1", "P0", "Iode", severity="grave"),
        records.Condition("CO1", "P0", "HTA", onset=dt.date(2020, 1, 2)),
        records.MedicationAdministration("MA1", "P0", "o0", T, status="refused"),
        records.CareTask("CT1", "P0", "Pansement", records.Timing("every_hours", every_hours=8)),
        records.LabResult("LR1", "P0", "2823-3", "K", "4.1", T, abnormal="H", validated_at=T),
        records.ImagingExam("IM1", "P0", "CT", "Scanner", T),
        records.SurgeryCase("SC1", "P0", "B2", T, "Appendicectomie"),
        records.Product("9000001", "Produit"), records.Supplier("F1", "Labo"),
        records.WardStock("U01-9000001", "U01", "9000001", 3),
        records.Tray("PL1", "Boîte", composition=(records.TrayLine("Pince", 2),)),
        records.SterilisationCycle("C1", "AUTOCLAVE-1", "12", T, tray_ids=("PL1",)),
        records.Unit("U01", "Unité 1"), records.StaffEntry("S1", "Dr X"),
    ]
