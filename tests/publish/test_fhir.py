"""FHIR R4 importer: demo export, official examples, references, and malformed resources."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pcsauvegarde.core.records import record_from_dict
from pcsauvegarde.demo import generate_fhir
from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
from tests.support.fhir import IPP, ndjson_file, patient_resource

NOW = dt.datetime(2026, 11, 27, 13, 5, tzinfo=dt.UTC)
EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "fhir-r4-examples"
if not EXAMPLES.is_dir():
    EXAMPLES = Path("/work/shared/testdata/fhir-r4-examples")


def _order(oid: str, subject: object, **extra: object) -> dict:
    return {"resourceType": "MedicationRequest", "id": oid, "status": "active", "intent": "order",
            "subject": subject, "authoredOn": "2026-11-27T08:00",
            "medicationCodeableConcept": {"text": "Paracétamol 1 g"}, **extra}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[dict, object]:
    folder = tmp_path_factory.mktemp("fhir")
    counts = generate_fhir(folder, seed=1, now=NOW)
    return counts, import_fhir(sorted(folder.glob("*.ndjson")))


def test_demo_imports_without_rejection(demo) -> None:
    counts, result = demo
    assert result.rejections == []
    got = result.counts()
    assert got["patient"] == counts["Patient"]
    assert got["stay"] == counts["Encounter"]
    assert got["allergy"] == counts["AllergyIntolerance"]
    assert got["condition"] == counts["Condition"]
    assert got["medication_administration"] == counts["MedicationAdministration"]
    assert got["lab_result"] == counts["Observation"]
    assert got["imaging_exam"] == counts["ServiceRequest"]
    assert got["unit"] == 3 + 3   # care units, then the consultations' clinics
    assert got["appointment"] == counts["Appointment"]
    active = len(result.of_type("medication_order"))
    assert 0 < active < counts["MedicationRequest"]  # discharged patients' orders are completed
    assert {o.timing.kind for o in result.of_type("medication_order")} == {
        "fixed_times", "every_hours", "times_per_day", "as_needed", "once", "text"}
    for record in result.records:
        assert record_from_dict(record.to_dict()) == record


def test_demo_care_plans_become_care_tasks(demo) -> None:
    counts, result = demo
    tasks = result.of_type("care_task")
    assert counts["CarePlan"] > 10 and len(tasks) >= 2 * counts["CarePlan"]
    current = {s.ipp for s in result.of_type("stay") if s.discharge is None}
    assert {t.ipp for t in tasks} <= current
    kinds = {t.timing.kind for t in tasks}
    assert {"text", "fixed_times", "every_hours"} <= kinds
    assert all(t.comments.startswith("Plan : Plan de soins") for t in tasks)


def test_demo_discharge_completes_the_care_plan(tmp_path) -> None:
    counts = generate_fhir(tmp_path, seed=1, now=NOW, minute=30)
    plans = [json.loads(line) for line in (tmp_path / "CarePlan.ndjson").read_text().splitlines()]
    assert counts["CarePlan"] == len(plans)
    assert {p["status"] for p in plans} == {"active", "completed"}
    result = import_fhir(sorted(tmp_path.glob("*.ndjson")))
    done = sum(p["status"] == "completed" for p in plans)
    key = "CarePlan : plan de soins au statut « completed » : seuls les plans actifs sont importés"
    assert result.ignored[key] == done


def test_demo_references_are_resolved(demo) -> None:
    _, result = demo
    stays = {s.id: s for s in result.of_type("stay")}
    current = [s for s in stays.values() if s.discharge is None]
    assert {s.unit for s in current} == {"REA", "MED", "CHD"}
    assert all(s.room and s.bed and s.attending for s in current)
    orders = result.of_type("medication_order")
    assert all(o.prescriber and o.nda in stays and len(o.code) == 13 for o in orders)
    ids = {o.id for o in orders}
    assert all(a.order_id in ids for a in result.of_type("medication_administration"))
    # imaging requests name their patient by a conditional reference on the IPP
    patients = {p.id for p in result.of_type("patient")}
    assert all(e.ipp in patients for e in result.of_type("imaging_exam"))
    assert any(p.ins and p.ins_status == "qualifiée" and p.birth_place_code
               for p in result.of_type("patient"))
    assert any(p.used_name for p in result.of_type("patient"))


def test_official_examples_never_raise(tmp_path: Path) -> None:
    stubs = ndjson_file(tmp_path / "stubs.ndjson",
                    patient_resource("pat1", "99000001"), patient_resource("dicom", "99000002"))
    result = import_fhir([*sorted(EXAMPLES.glob("*.json")), stubs])
    for rejection in result.rejections:
        assert rejection.reason_fr and rejection.resource_type
    patients = {p.id: p for p in result.of_type("patient")}
    example = patients["12345"]  # patient-example.json: MR identifier, maiden name
    assert (example.birth_name, example.used_name, example.first_names) == (
        "Windsor", "Chalmers", "Peter James")
    orders = {o.id: o for o in result.of_type("medication_order")}
    assert orders["medrx0318"].timing.kind == "every_hours"
    assert orders["medrx0318"].timing.every_hours == 6
    assert orders["medrx0312"].timing.per_day == 3
    assert orders["medrx0310"].timing.kind == "as_needed"
    assert orders["medrx0332"].timing.kind == "once"
    assert orders["medrx0327"].timing.kind == "text"  # three times a week
    assert orders["medrx0303~3"].dose == "1"  # one order per dosage instruction
    assert "medrx0301" not in orders  # completed
    assert result.ignored["Procedure : acte réalisé (historique, non repris sur les documents "
                          "de mode dégradé)"] == 2
    assert {r.file for r in result.rejections} >= {"encounter-example-f001-heart.json"}
    assert result.of_type("lab_result") and result.of_type("imaging_exam")


def test_examples_without_their_patients_are_refused_one_by_one() -> None:
    result = import_fhir([EXAMPLES / "medicationrequest0318.json",
                          EXAMPLES / "patient-example.json"])
    assert result.counts() == {"patient": 1}
    (rejection,) = result.rejections
    assert rejection.resource_id == "medrx0318"
    assert "patient inconnu" in rejection.reason_fr and "Patient/pat1" in rejection.reason_fr


def test_bundle_with_urn_uuid_and_conditional_references(tmp_path: Path) -> None:
    bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:aaaa", "resource": patient_resource("x", "11112222")},
        {"fullUrl": "urn:uuid:bbbb", "resource": {
            "resourceType": "Practitioner", "identifier": [{"system": "urn:rpps", "value": "42"}],
            "name": [{"family": "Da Silva", "given": ["François"]}]}},
        {"resource": _order("o1", {"reference": "urn:uuid:aaaa"},
                            requester={"reference": "Practitioner?identifier=urn:rpps|42"},
                            dosageInstruction=[{"text": "Selon douleur, voir protocole"}])},
        {"resource": _order("o2", {"reference": f"Patient?identifier={IPP}|11112222"},
                            dosageInstruction=[{"timing": {"repeat": {
                                "timeOfDay": ["08:00:00", "20:00:00"]}}}])},
    ]}
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), "utf-8")
    result = import_fhir([path])
    assert result.rejections == []
    orders = {o.id: o for o in result.of_type("medication_order")}
    assert orders["o1"].ipp == orders["o2"].ipp == "11112222"
    assert orders["o1"].prescriber == "François Da Silva"
    assert orders["o1"].timing.kind == "text"
    assert orders["o1"].timing.text == "Selon douleur, voir protocole"
    assert orders["o2"].timing.times == ("08:00", "20:00")
    # a local time without offset is Europe/Paris (UTC+1 in November)
    assert orders["o2"].start == dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC)


def test_malformed_resources_are_refused_alone(tmp_path: Path) -> None:
    path = ndjson_file(
        tmp_path / "mixed.ndjson",
        patient_resource("good", "10000001"),
        patient_resource("badbirth", "10000002", birthDate="1950-13-45"),
        "{not json",
        _order("nosubject", None),
        _order("unknown", {"reference": "Patient/nobody"}),
        _order("wrongtype", "Patient/good"),
        _order("baddate", {"reference": "Patient/good"}, authoredOn="hier"),
        _order("ok", {"reference": "Patient/good"}),
        {"resourceType": "Condition", "id": "c1", "subject": {"reference": "Patient/badbirth"},
         "code": {"text": "HTA"}},
        {"resourceType": "Observation", "id": "obs1", "status": "final",
         "category": [{"coding": [{"code": "laboratory"}]}], "code": {"text": "Potassium"},
         "subject": {"reference": "Patient/good"}, "effectiveDateTime": "2026-11-27T06:30:00Z",
         "valueQuantity": {"value": "4,1"}},
        {"resourceType": "Basic", "id": "b1"},
        [1, 2, 3],
    )
    result = import_fhir([path])
    assert [r.id for r in result.records] == ["10000001", "ok"]
    reasons = {r.resource_id or f"line{r.line_or_index}": r.reason_fr for r in result.rejections}
    assert "birthDate" in reasons["badbirth"]
    assert "JSON" in reasons["line3"]
    assert "subject" in reasons["nosubject"] and "absent" in reasons["nosubject"]
    assert "Patient/nobody" in reasons["unknown"]
    assert "subject" in reasons["wrongtype"] and "objet" in reasons["wrongtype"]
    assert "authoredOn" in reasons["baddate"] and "hier" in reasons["baddate"]
    assert "refusé" in reasons["c1"]
    assert "valueQuantity.value" in reasons["obs1"]
    assert "resourceType" in reasons["line12"]
    assert result.ignored["Basic : type de ressource non pris en charge"] == 1
    message = result.rejections[0].message()
    assert message.startswith("mixed.ndjson (ligne 2) : Patient/badbirth refusée")


def test_duplicate_ipp_and_unreadable_file(tmp_path: Path) -> None:
    path = ndjson_file(tmp_path / "dup.ndjson", patient_resource("a", "10000001"),
                       patient_resource("b", "10000001"))
    missing = tmp_path / "absent.ndjson"
    result = import_fhir([path, missing])
    assert len(result.of_type("patient")) == 1
    reasons = [r.reason_fr for r in result.rejections]
    assert any("en double" in r for r in reasons)
    assert any("illisible" in r for r in reasons)


def test_record_id_with_trailing_newline_is_refused():
    """`$` would accept "abc\\n": ids are matched whole."""
    import pytest

    from pcsauvegarde.core.records import RecordError, record_from_dict
    with pytest.raises(RecordError):
        record_from_dict({"type": "unit", "id": "REA\n", "name": "Réanimation"})


def test_allergy_keeps_severity_criticality_and_no_known_allergy(tmp_path: Path) -> None:
    snomed = "http://snomed.info/sct"
    allergy = {"resourceType": "AllergyIntolerance", "id": "al1", "criticality": "high",
               "patient": {"reference": "Patient/p1"},
               "code": {"coding": [{"system": snomed, "code": "91936005"}],
                        "text": "Pénicilline"},
               "reaction": [{"severity": "severe",
                             "manifestation": [{"text": "choc anaphylactique"}]}]}
    none = {"resourceType": "AllergyIntolerance", "id": "al2",
            "patient": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": snomed, "code": "716186003",
                                 "display": "No known allergy"}]}}
    result = import_fhir([ndjson_file(tmp_path / "a.ndjson", patient_resource(), allergy, none)])
    assert result.rejections == []
    found = {a.id: a for a in result.of_type("allergy")}
    assert (found["al1"].severity, found["al1"].criticality, found["al1"].code) == \
        ("severe", "high", "91936005")
    assert found["al2"].code == "716186003"
