"""Blood group and RAI mapped at import from LOINC-coded results (FHIR and HL7 v2 ORU^R01)."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
from tests.support.fhir import ndjson_file, patient_resource
from tests.support.pam import msh, only, pid, run, seg

LOINC = "http://loinc.org"
SCT = "http://snomed.info/sct"


def observation(oid: str, code: str, status: str = "final", **value: object) -> dict:
    return {"resourceType": "Observation", "id": oid, "status": status,
            "category": [{"coding": [{"code": "laboratory"}]}],
            "code": {"coding": [{"system": LOINC, "code": code}]},
            "subject": {"reference": "Patient/p1"},
            "effectiveDateTime": "2026-11-27T06:00:00+01:00", **value}


def concept(code: str, display: str, system: str = SCT) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def fhir(tmp_path, *resources: dict):
    return import_fhir([ndjson_file(tmp_path / "obs.ndjson", patient_resource(), *resources)])


def test_fhir_abo_rh_panel_screen_and_components(tmp_path):
    result = fhir(
        tmp_path,
        observation("g1", "882-1", valueCodeableConcept=concept("278152006",
                                                                "Blood group A Rh(D) negative")),
        observation("s1", "890-4", valueCodeableConcept=concept("260385009", "Negative")),
        observation("panel", "882-1", component=[
            {"code": concept("883-9", "ABO", LOINC), "valueCodeableConcept":
             concept("58460004", "Blood group O")},
            {"code": concept("10331-7", "Rh", LOINC), "valueCodeableConcept":
             concept("165747007", "RhD positive")},
            {"code": concept("890-4", "RAI", LOINC), "valueString": "anti-E"}]))
    assert result.rejections == []
    typed = {r.id: r for r in result.of_type("blood_typing")}
    assert (typed["g1"].test, typed["g1"].abo, typed["g1"].rhd) == ("group", "A", "negative")
    assert typed["g1"].collected_at == dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.UTC)
    assert (typed["s1"].test, typed["s1"].screen) == ("antibody_screen", "negative")
    assert (typed["panel"].abo, typed["panel"].rhd) == ("O", "positive")
    assert (typed["panel#rai"].screen, typed["panel#rai"].antibodies) == ("positive", "anti-E")
    # the plain results stay lab results; a value-less panel only gives its typing
    assert {r.id for r in result.of_type("lab_result")} == {"g1", "s1"}


def test_fhir_unreadable_or_preliminary_group_is_never_guessed(tmp_path):
    result = fhir(tmp_path,
                  observation("g1", "882-1", valueString="voir compte rendu"),
                  observation("g2", "882-1", status="preliminary", valueString="A+"),
                  observation("h1", "718-7", valueString="A+"))   # not a blood-bank code
    assert result.of_type("blood_typing") == []
    assert {r.id for r in result.of_type("lab_result")} == {"g1", "g2", "h1"}  # kept
    (reason,) = [k for k in result.ignored if "groupage" in k]
    assert "« voir compte rendu »" in reason and result.ignored[reason] == 1


def oru(ctl: str, *obx: str) -> str:
    return "\r".join([msh("ORU^R01^ORU_R01", ctl), pid(), "ORC|RE|CMD9|LAB9",
                      seg("OBR", {1: "1", 2: "CMD9", 3: "LAB9", 4: "882-1^Groupe^LN",
                                  7: "202611270600", 22: "202611270745"}), *obx])


def obx(n: int, kind: str, code: str, value: str, status: str = "F") -> str:
    return seg("OBX", {1: str(n), 2: kind, 3: code, 5: value, 11: status})


def test_hl7_oru_group_rh_and_screen(tmp_path):
    result = run(tmp_path, oru("B1", obx(1, "CWE", "883-9^ABO^LN", "278149003^Blood group A^SCT"),
                               obx(2, "CWE", "10331-7^Rh^LN", "165747007^Rh positive^SCT"),
                               obx(3, "CWE", "890-4^RAI^LN", "NEG^Negative^HL70078"),
                               obx(4, "ST", "882-1^Groupe^LN", "O RH:-1")))
    assert result.rejections == []
    typed = {r.code: r for r in result.of_type("blood_typing")}
    # an ABO test reports ABO only, even when coded with an ABO+Rh concept
    assert (typed["883-9"].abo, typed["883-9"].rhd) == ("A", "")
    assert (typed["10331-7"].abo, typed["10331-7"].rhd) == ("", "positive")
    assert typed["890-4"].screen == "negative"
    assert (typed["882-1"].abo, typed["882-1"].rhd) == ("O", "negative")
    assert typed["890-4"].collected_at == dt.datetime(2026, 11, 27, 5, 0, tzinfo=dt.UTC)
    assert len(result.of_type("lab_result")) == 4


def test_hl7_deleted_or_unreadable_typing(tmp_path):
    first = oru("B1", obx(1, "ST", "882-1^Groupe^LN", "AB+"))
    assert only(run(tmp_path, first), "blood_typing").abo == "AB"
    deleted = run(tmp_path, first, oru("B2", obx(1, "ST", "882-1^Groupe^LN", "AB+", "D")))
    assert deleted.of_type("blood_typing") == [] and deleted.of_type("lab_result") == []
    odd = run(tmp_path, oru("B3", obx(1, "ST", "882-1^Groupe^LN", "A1")))
    assert odd.of_type("blood_typing") == [] and len(odd.of_type("lab_result")) == 1
    (note,) = odd.rejections
    assert "groupage / RAI non lu" in note.reason_fr and "« A1 »" in note.reason_fr


@pytest.mark.parametrize(("value", "abo", "rhd", "phenotype"), [
    ("A+", "A", "positive", ""), ("O RH-", "O", "negative", ""), ("AB", "AB", "", ""),
    ("B RH:-1", "B", "negative", ""), ("Groupe O Rhésus négatif", "O", "negative", ""),
    ("RH:1,2,-3,4,5 KEL:-1", "", "", "RH:1,2,-3,4,5 KEL:-1"), ("CcDEe", "", "", "CcDEe"),
])
def test_strict_spellings(tmp_path, value, abo, rhd, phenotype):
    typed = only(run(tmp_path, oru("B1", obx(1, "ST", "882-1^Groupe^LN", value))),
                 "blood_typing")
    assert (typed.abo, typed.rhd, typed.phenotype) == (abo, rhd, phenotype)
