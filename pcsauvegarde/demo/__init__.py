"""The synthetic demo hospital, exported as FHIR R4 Bulk Data NDJSON (as a hospital DPI would).

Identifier systems are those of :mod:`pcsauvegarde.publish.fhir_systems` (IPP, NDA, unit code,
RPPS, INS-NIR, identity status tag, UCD). Everything is synthetic; no real person is described.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from pcsauvegarde.demo.hospital import Hospital
from pcsauvegarde.demo.tables import UNITS

FILES = ("Patient", "Encounter", "AllergyIntolerance", "Condition", "MedicationRequest",
         "MedicationAdministration", "Observation", "ServiceRequest", "CarePlan", "Location",
         "Organization", "Practitioner", "Schedule", "Slot", "Appointment")
MINUTE = dt.timedelta(minutes=1)


def build_hospital(seed: int = 1, now: dt.datetime | None = None, minute: int = 0,
                   per_unit: tuple[int, int] = (15, 25), discharged: int = 10) -> Hospital:
    """The hospital as it stands at ``now``, ``minute`` minutes after the demo started.

    The demo starts at ``now - minute``; each minute since then brings one admission (in place
    of the longest stay of a unit, who goes home) and one new potassium result.
    """
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    start = now - minute * MINUTE
    hospital = Hospital(seed, start, per_unit)
    hospital.build(discharged)
    for k in range(1, minute + 1):
        hospital.now = start + k * MINUTE
        spec = UNITS[k % len(UNITS)]
        stays = hospital.inpatients[spec.code]
        if stays:
            hospital.discharge(min(stays, key=lambda c: c.admission), hospital.now)
        hospital.admit(spec, hospital.now)
        everyone = [c for code in sorted(hospital.inpatients) for c in hospital.inpatients[code]]
        from pcsauvegarde.demo.care import (
            add_lab,  # local: keeps the import graph one-way at module load
        )

        add_lab(hospital, hospital.rng.choice(everyone), "2823-3", hospital.now - 45 * MINUTE)
    hospital.now = now
    from pcsauvegarde.demo.schedules import add_schedules  # local, as add_lab above

    add_schedules(hospital)
    return hospital


def generate_fhir(out_dir: Path, seed: int = 1, now: dt.datetime | None = None,
                  minute: int = 0, per_unit: tuple[int, int] = (15, 25),
                  discharged: int = 10) -> dict:
    """Write one ``<Type>.ndjson`` per resource type into out_dir; return counts per type.

    MUST be deterministic for a given seed, now and minute. Files are replaced atomically.
    """
    hospital = build_hospital(seed, now, minute, per_unit, discharged)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for rtype in FILES:
        resources = hospital.out.get(rtype, [])
        body = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                       for r in resources)
        _write(out_dir / f"{rtype}.ndjson", body)
        counts[rtype] = len(resources)
    return counts


def _write(path: Path, body: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(body)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


__all__ = ["FILES", "build_hospital", "generate_fhir"]
