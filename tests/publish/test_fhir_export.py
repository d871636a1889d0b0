"""A third-party FHIR R4 export in Synthea's shapes (tests/publish/data/synthea_like).

Bulk NDJSON of one patient in a current stay; a transaction Bundle of patients discharged
years ago. Conditional references, US codings (SNOMED, LOINC, RxNorm, CVX), text-only dosages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
from pcsauvegarde.publisher.publisher import write_publisher_config
from tests.support.hospital import publisher

DATA = Path(__file__).parent / "data" / "synthea_like"
PATIENT = "3f1b0a0e-8c5e-4f7e-9b8a-2d6c1e4a7b90"


@pytest.fixture(scope="module")
def bulk():
    return import_fhir(sorted((DATA / "bulk").iterdir()))


def test_bulk_export_imports_without_refusal(bulk):
    assert [r.message() for r in bulk.rejections] == []
    (patient,) = bulk.of_type("patient")
    assert patient.id == PATIENT  # MR-typed identifier: a 36-character UUID
    (stay,) = bulk.of_type("stay")
    assert stay.ipp == PATIENT and stay.discharge is None
    assert stay.unit == "b6d3f1a2-7c4e-3a9b-8d2f-5e1c0a4b9d7e"  # Organization?identifier=…
    assert stay.attending == "Dr. Reyes Gleichner"


def test_every_left_out_resource_is_counted_with_its_reason(bulk):
    ignored = bulk.ignored
    by_type = {}
    for key, n in ignored.items():
        rtype, _, reason = key.partition(" : ")
        by_type.setdefault(rtype, {})[reason] = n
    for rtype in ("Procedure", "Immunization", "DocumentReference", "Device"):
        (reason,) = by_type[rtype]
        assert "non pris en charge" not in reason and reason  # a reason of its own
    assert sum(by_type["Procedure"].values()) == 2
    observations = by_type["Observation"]
    assert observations["signes vitaux (constantes) : seuls les résultats de laboratoire sont "
                        "importés"] == 4
    assert observations["questionnaire ou score (survey) : seuls les résultats de laboratoire "
                        "sont importés"] == 2
    assert not any("hors périmètre (statut final)" in key for key in ignored)
    # every resource of the export is either imported, refused or counted as ignored
    lines = sum(len(p.read_text().splitlines()) for p in (DATA / "bulk").iterdir())
    support = sum(len((DATA / "bulk" / f"{t}.ndjson").read_text().splitlines())
                  for t in ("Organization", "Location", "Practitioner"))
    sources = {r.id.split("~")[0] for r in bulk.records if r.TYPE != "unit"}
    whole = sum(n for key, n in ignored.items() if not key.startswith("CarePlan : activité"))
    assert len(sources) + whole + support == lines


def test_publish_prints_what_it_ignored(tmp_path):
    config, _ = publisher(tmp_path / "pub", [("urg-1", "", ("*",))])
    toml = tmp_path / "pub" / "publisher.toml"
    write_publisher_config(toml, "drop", "publisher.key", config.stations)
    r = CliRunner().invoke(main, ["publish", "--config", str(toml), "--kind", "full",
                                  str(DATA / "bulk")])
    assert r.exit_code == 0, r.output
    assert "ressource(s) FHIR ignorée(s)" in r.output
    assert "  Procedure (2) : acte réalisé" in r.output
    assert "  Device (1) : dispositif médical" in r.output
    assert "  Observation (4) : signes vitaux (constantes)" in r.output


def test_care_plans_tasks_and_nursing_requests_become_care_tasks(bulk):
    tasks = {t.id: t for t in bulk.of_type("care_task")}
    assert sorted(tasks) == ["cp-diabetes~1", "cp-diabetes~2", "cp-diabetes~3",
                             "sr-glucose-monitoring", "task-dressing"]
    diet = tasks["cp-diabetes~1"]
    assert (diet.label, diet.timing.kind, diet.timing.text) == ("Diabetic diet", "text",
                                                                "sans horaire prévu")
    assert diet.comments == "Plan : Diabetes self management plan"
    assert tasks["cp-diabetes~3"].timing.times == ("10:00",)
    glucose = tasks["sr-glucose-monitoring"]
    assert glucose.ipp == PATIENT  # conditional reference Patient?identifier=…
    assert (glucose.timing.kind, glucose.timing.every_hours) == ("every_hours", 8)
    assert "300 mg/dL" in glucose.comments
    dressing = tasks["task-dressing"]
    assert dressing.end is not None and "left foot ulcer" in dressing.comments
    ignored = bulk.ignored
    assert ignored["CarePlan : activité au statut « completed » (terminée ou annulée)"] == 1
    assert ignored["CarePlan : plan de soins au statut « completed » : seuls les plans actifs "
                   "sont importés"] == 1
    assert ignored["Task : tâche au statut « completed » : seules les tâches à faire sont "
                   "importées"] == 1
    assert ignored["ServiceRequest : demande (catégorie « Laboratory procedure ») ni "
                   "d'imagerie ni de soins infirmiers"] == 1


def test_social_history_left_out_by_the_configured_rule_and_counted(bulk):
    conditions = {c.id: c for c in bulk.of_type("condition")}
    assert sorted(conditions) == ["c-diabetes-0002", "c-hypertension-0001",
                                  "c-pharyngitis-0003"]
    assert conditions["c-pharyngitis-0003"].status == "resolved"  # kept with its status
    key = next(k for k in bulk.ignored if k.startswith("Condition : mode de vie"))
    assert bulk.ignored[key] == 5 and "social_history" in key
    # the rule is configuration: with no codes nor categories, every Condition is kept
    from pcsauvegarde.publisher.importers.fhir.systems import FhirSystems

    keep_all = import_fhir(sorted((DATA / "bulk").iterdir()),
                           FhirSystems(social_history_codes=frozenset(),
                                       social_history_categories=()))
    kept = {c.id: c for c in keep_all.of_type("condition")}
    assert len(kept) == 8 and kept["c-stress-0007"].status == "resolved"


def test_abatement_without_clinical_status_means_resolved(tmp_path):
    import json

    base = json.loads((DATA / "bulk" / "Condition.ndjson").read_text().splitlines()[0])
    over = {**base, "id": "c-over", "abatementDateTime": "2020-01-01"}
    over.pop("clinicalStatus")
    still = {**base, "id": "c-still"}
    still.pop("clinicalStatus")
    path = tmp_path / "Condition.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in (over, still)) + "\n")
    result = import_fhir([*(DATA / "bulk" / f"{t}.ndjson" for t in ("Patient", "Encounter")),
                          path])
    assert {c.id: c.status for c in result.of_type("condition")} == {
        "c-over": "resolved", "c-still": "active"}


def test_imaging_modality_read_from_the_series():
    result = import_fhir([*sorted((DATA / "bulk").iterdir()),
                          DATA / "bundles" / "discharged_years_ago.json"])
    exams = {e.id: (e.modality, e.label) for e in result.of_type("imaging_exam")}
    assert exams["is-chest"] == ("DX", "Plain chest X-ray (procedure)")
    assert exams["is-knee"] == ("CT", "Right knee without contrast")  # nothing at top level
    from_bundle = [v for k, v in exams.items() if not k.startswith("is-")]
    assert from_bundle == [("US", "Entire heart")] * 2
    assert all(modality != "?" for modality, _ in exams.values())
