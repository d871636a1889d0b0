"""Records and manifests for the package-format tests."""

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
