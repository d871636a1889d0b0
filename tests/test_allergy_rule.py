"""The one active-allergy rule (records.allergy_standing), every clinical × verification status."""

from __future__ import annotations

import json

import pytest

from pcsauvegarde.core.records import (
    ALLERGY_ACTIVE,
    ALLERGY_NOT_ACTIVE,
    ALLERGY_UNCONFIRMED,
    Allergy,
    allergy_standing,
)

CLINICAL = ("", "active", "inactive", "resolved", "recurrence", "suspected",
            "refuted", "entered-in-error", "something-new")
VERIFICATION = ("", "confirmed", "unconfirmed", "presumed", "refuted", "entered-in-error",
                "something-new")

# Expected standing per clinical status (rows) and verification status (columns, in the
# order of VERIFICATION): A active, U unconfirmed (shown « non confirmée »), - not active.
TABLE = {
    "":                 "AAUU--A",
    "active":           "AAUU--A",
    "inactive":         "-------",
    "resolved":         "-------",
    "recurrence":       "AAUU--A",
    "suspected":        "UUUU--U",
    "refuted":          "-------",
    "entered-in-error": "-------",
    "something-new":    "AAUU--A",
}
LETTERS = {"A": ALLERGY_ACTIVE, "U": ALLERGY_UNCONFIRMED, "-": ALLERGY_NOT_ACTIVE}


def test_table_covers_every_combination():
    assert set(TABLE) == set(CLINICAL)
    assert all(len(row) == len(VERIFICATION) for row in TABLE.values())


@pytest.mark.parametrize("clinical", CLINICAL)
@pytest.mark.parametrize("verification", VERIFICATION)
def test_standing(clinical, verification):
    expected = LETTERS[TABLE[clinical][VERIFICATION.index(verification)]]
    assert allergy_standing(clinical, verification) == expected
    assert allergy_standing(clinical.upper(), f" {verification.upper()} ") == expected
    allergy = Allergy("a", "p", "Iode", status=clinical, verification=verification)
    assert allergy.active == (expected != ALLERGY_NOT_ACTIVE)
    assert allergy.unconfirmed == (expected == ALLERGY_UNCONFIRMED)


def _fhir_allergy(rid: str, clinical: str | None, verification: str | None) -> dict:
    res = {"resourceType": "AllergyIntolerance", "id": rid, "code": {"text": f"Produit {rid}"},
           "patient": {"reference": "Patient/p1"}}
    if clinical:
        res["clinicalStatus"] = {"coding": [{"code": clinical}]}
    if verification:
        res["verificationStatus"] = {"coding": [{"code": verification}]}
    return res


def test_fhir_import_keeps_active_allergies_and_counts_the_others(tmp_path):
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
    from pcsauvegarde.publisher.importers.fhir.systems import IPP_SYSTEM

    patient = {"resourceType": "Patient", "id": "p1",
               "identifier": [{"system": IPP_SYSTEM, "value": "900100"}],
               "name": [{"family": "Martin", "given": ["Jeanne"]}],
               "birthDate": "1950-01-02", "gender": "female"}
    resources = [patient, _fhir_allergy("a1", "active", "confirmed"),
                 _fhir_allergy("a2", "active", "unconfirmed"),
                 _fhir_allergy("a3", "resolved", "confirmed"),
                 _fhir_allergy("a4", "active", "refuted"),
                 _fhir_allergy("a5", None, None)]
    path = tmp_path / "bundle.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in resources), encoding="utf-8")
    result = import_fhir([path])
    kept = {a.id: a for a in result.of_type("allergy")}
    assert set(kept) == {"a1", "a2", "a5"}, result.rejections
    assert kept["a2"].unconfirmed and kept["a2"].verification == "unconfirmed"
    assert kept["a5"].active and not kept["a5"].unconfirmed
    ignored = {k: v for k, v in result.ignored.items() if k.startswith("AllergyIntolerance")}
    assert ignored == {
        "AllergyIntolerance : allergie non active (statut resolved, vérification confirmed)": 1,
        "AllergyIntolerance : allergie non active (statut active, vérification refuted)": 1}


def test_store_flags_and_census_use_the_rule(station):
    """A patient whose only allergies are not active has no flag, on screen or census."""
    from pcsauvegarde.core.package import Manifest
    from pcsauvegarde.core.records import record_from_dict
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.store.db import record_rows

    unit = next(u for u in patients.units(station) if u.inpatients)
    row = next(r for r in patients.inpatients(station, unit.code) if not r.has_allergy)
    ipp = row.patient.id
    with station.store.connect() as db:
        sequence = db.execute("SELECT sequence FROM snapshot WHERE domain='dpi'").fetchone()[0]
    added = [record_from_dict(a.to_dict()) for a in (
        Allergy("x-resolved", ipp, "Arachide", status="resolved"),
        Allergy("x-refuted", ipp, "Codéine", verification="refuted"))]
    snap = station.store.snapshot("dpi")
    manifest = Manifest(kind="delta", domain="dpi", station=station.settings.station_id,
                        source="tests", extracted_at=snap.extracted_at, sequence=sequence + 1,
                        base_sequence=sequence)
    station.store.promote(manifest, record_rows("dpi", added), "test-delta")
    row = next(r for r in patients.inpatients(station, unit.code) if r.patient.id == ipp)
    assert not row.has_allergy
    census = {r.patient.id: r for r in patients.unit_file(station, unit.code).rows}
    assert census[ipp].allergies == ()
    assert patients.patient_file(station, ipp).allergies == ()
    station.store.promote(
        Manifest(kind="delta", domain="dpi", station=station.settings.station_id,
                 source="tests", extracted_at=snap.extracted_at, sequence=sequence + 2,
                 base_sequence=sequence + 1),
        record_rows("dpi", [Allergy("x-unsure", ipp, "Iode", verification="unconfirmed")]),
        "test-delta-2")
    row = next(r for r in patients.inpatients(station, unit.code) if r.patient.id == ipp)
    assert row.has_allergy
    assert [a.id for a in patients.patient_file(station, ipp).allergies] == ["x-unsure"]


def test_allergy_without_verification_still_decodes():
    """Packages of older publishers (or other ETLs) carry no verification status."""
    from pcsauvegarde.core.records import record_from_dict

    old = {"type": "allergy", "id": "a", "ipp": "p", "substance": "Iode", "status": "active"}
    allergy = record_from_dict(old)
    assert allergy.verification == "" and allergy.active and not allergy.unconfirmed


@pytest.mark.parametrize(("code", "substance", "absent"), [
    ("716186003", "No known allergy", "all"),
    ("409137002", "", "drug"),
    ("NKDA", "", "drug"),
    ("", "Aucune allergie médicamenteuse connue", "drug"),
    ("", "  NKA ", "all"),
    ("91936005", "Pénicilline", None),
    ("", "Aucune allergie connue à la pénicilline ?", None),   # not the statement itself
])
def test_a_record_stating_an_absence_is_recognised(code, substance, absent):
    from pcsauvegarde.core.records import Allergy
    assert Allergy("a", "1", substance, code=code).absence == absent
