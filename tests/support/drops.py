"""Packages in a station's drop and what the station made of them."""

from __future__ import annotations

import json
from pathlib import Path

from pcsauvegarde.publisher.importers.fhir.importer import import_fhir

DATA = Path(__file__).resolve().parents[1] / "publish" / "data" / "synthea_like"


def dpi(records):
    return [r for r in records if r.DOMAIN == "dpi"]


def state(station):
    """What a user could see: the dpi snapshot and its patient count."""
    snap = station.store.snapshot("dpi")
    with station.store.connect() as db:
        patients = db.execute("SELECT COUNT(*) FROM record WHERE type='patient'").fetchone()[0]
    return snap.sequence, snap.package, patients


def quarantined(settings, name):
    reasons = list(settings.quarantine_dir.glob(f"*{name}.reason.json"))
    assert len(reasons) == 1, list(settings.quarantine_dir.iterdir())
    return json.loads(reasons[0].read_text())["reason"]


def fhir_records(*parts: str):
    records = []
    for part in parts:
        result = import_fhir(sorted((DATA / part).iterdir()))
        assert result.rejections == [], [r.message() for r in result.rejections]
        records += result.records
    return records


def by_domain(records, domain):
    return [r for r in records if r.DOMAIN == domain]


def publish_domains(make_package, drop, records, sequence=1, domains=("dpi", "lab", "imaging")):
    for domain in domains:
        make_package(drop, by_domain(records, domain), domain=domain, sequence=sequence)
