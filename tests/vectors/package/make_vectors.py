"""Regenerate the package test vectors (TEST ONLY keys; never use them for real data).

Run from the repository root: ``.venv/bin/python tests/vectors/package/make_vectors.py``.
Plaintexts, gzip and signatures are deterministic; age encryption is not (fresh ephemeral key
each run), so regenerating changes the ``.age`` and ``.minisig`` files — commit them together.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from pcsauvegarde.core import records
from pcsauvegarde.core.fsutil import atomic_write as write_atomic
from pcsauvegarde.core.package import Deletion, Manifest, age, compress, minisign
from pcsauvegarde.core.package.seal import sign_package

UTC = dt.UTC
STATION = "test-station"
KEYS = {"identity": HERE / "TEST-ONLY-station-identity.txt",
        "secret": HERE / "TEST-ONLY-publisher-minisign.key",
        "public": HERE / "TEST-ONLY-publisher-minisign.pub"}


def full_records() -> list[records.Record]:
    """The full dpi vector: one patient with a stay, an allergy and two orders."""
    return [
        records.Patient(id="900001", birth_name="MARTIN", first_names="Élodie Anne",
                        birth_date=dt.date(1948, 3, 9), sex="F", used_name="DURAND",
                        ins="248037512345678", ins_status="qualifiée"),
        records.Stay(id="NDA0001", ipp="900001", unit="CARDIO", room="12", bed="A",
                     admission=dt.datetime(2026, 11, 25, 9, 30, tzinfo=UTC)),
        records.Allergy(id="al1", ipp="900001", substance="Pénicilline", reaction="urticaire"),
        records.MedicationOrder(
            id="mo1", ipp="900001", drug="AMOXICILLINE 1 g", dose="1", unit="g", route="IV",
            timing=records.Timing(kind="every_hours", every_hours=8),
            start=dt.datetime(2026, 11, 25, 10, 0, tzinfo=UTC), nda="NDA0001"),
        records.MedicationOrder(
            id="mo2", ipp="900001", drug="PARACÉTAMOL 1 g", dose="1", unit="g", route="PO",
            timing=records.Timing(kind="as_needed", max_per_day=4, min_interval_hours=6),
            start=dt.datetime(2026, 11, 25, 10, 0, tzinfo=UTC)),
    ]


def delta_items() -> list[records.Record | Deletion]:
    """The delta vector (sequence 2 on top of 1): one order changed, one removed."""
    changed = records.MedicationOrder(
        id="mo1", ipp="900001", drug="AMOXICILLINE 1 g", dose="1", unit="g", route="IV",
        timing=records.Timing(kind="every_hours", every_hours=8),
        start=dt.datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        end=dt.datetime(2026, 11, 27, 10, 0, tzinfo=UTC), nda="NDA0001")
    return [changed, Deletion("medication_order", "mo2")]


def vectors() -> list[tuple[Manifest, list]]:
    full = Manifest(kind="full", domain="dpi", station=STATION, source="vecteurs de test",
                    extracted_at=dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC), sequence=1)
    delta = Manifest(kind="delta", domain="dpi", station=STATION, source="vecteurs de test",
                     extracted_at=dt.datetime(2026, 11, 27, 12, 1, tzinfo=UTC), sequence=2,
                     base_sequence=1)
    return [(full, full_records()), (delta, delta_items())]


def ensure_keys() -> tuple[minisign.SecretKey, age.Identity]:
    if not KEYS["identity"].exists():
        age.save_identity(age.generate_identity(), KEYS["identity"])
    if not KEYS["secret"].exists():
        minisign.save_keypair(minisign.generate_keypair(), KEYS["secret"], KEYS["public"])
    return minisign.load_secret_key(KEYS["secret"]), age.load_identity(KEYS["identity"])


def main() -> None:
    import pyrage
    key, identity = ensure_keys()
    for manifest, items in vectors():
        plain, manifest = compress(manifest, items)
        text_path = HERE / (manifest.file_name.removesuffix(".age") + ".ndjson")
        ndjson = "".join(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n"
                         for d in [manifest.to_dict(), *[i.to_dict() for i in items]])
        text_path.write_text(ndjson, encoding="utf-8")
        encrypted = pyrage.encrypt(plain, [identity.to_public()])
        target = HERE / manifest.file_name
        write_atomic(target.with_name(target.name + ".minisig"),
                     sign_package(encrypted, manifest, key).encode())
        write_atomic(target, encrypted)
        print(target.relative_to(HERE.parents[2]))


if __name__ == "__main__":
    main()
