"""OR schedule, anaesthesia consultations and transfusion file: CSV and FHIR ASA mapping."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues
from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
from tests.support.fhir import ndjson_file, patient_resource


def test_csv_or_schedule_anaesthesia_and_transfusions(tmp_path):
    (tmp_path / "interventions.csv").write_text(
        "Code;IPP;Salle;Date heure;Intervention;Côté;Chirurgien;Anesthésiste;Statut;Plateaux\n"
        "B1;00123456;Salle 3;27/11/2026 08:30;PTH;gauche;Dr Martin;Dr Roux;programmée;O-12|V-3\n"
        "B2;00123456;Salle 3;27/11/2026 11:00;Arthroscopie;dessus;Dr Martin;;;\n"
        "B3;00999999;Salle 1;27/11/2026 09:00;Appendicectomie;;Dr Li;;annulée;\n",
        encoding="utf-8")
    (tmp_path / "anesthesie.csv").write_text(
        "code;ipp;date_heure;asa;voies_aeriennes;jeune;anesthesiste\n"
        "C1;00123456;20/11/2026 10:00;ASA III;Mallampati 3;à jeun depuis minuit;Dr Roux\n"
        "C2;00123456;21/11/2026 10:00;7;;;\n", encoding="utf-8")
    (tmp_path / "transfusions.csv").write_text(
        "code;ipp;type;produit;date_heure;quantite;exigence;remarque\n"
        "T1;00123456;transfusion;CGR;02/11/2026 15:00;2;;\n"
        "T2;00123456;exigence;;;;irradié;greffe 2024\n"
        "T3;00123456;transfusion;;;;;\n", encoding="utf-8")
    result = import_catalogues(sorted(tmp_path.glob("*.csv")))
    got = {(r.TYPE, r.id): r for r in result.records}
    case = got[("surgery_case", "B1")]
    assert (case.side, case.status, case.tray_ids) == ("left", "planned", ("O-12", "V-3"))
    assert case.scheduled_at == dt.datetime(2026, 11, 27, 7, 30, tzinfo=dt.UTC)
    assert got[("surgery_case", "B3")].status == "cancelled"
    cpa = got[("anaesthesia_assessment", "C1")]
    assert (cpa.asa, cpa.airway, cpa.fasting) == ("3", "Mallampati 3", "à jeun depuis minuit")
    assert got[("transfusion", "T1")].kind == "given"
    assert got[("transfusion", "T2")].need == "irradiated"
    refused = {(r.file, r.line): r.message() for r in result.rejections}
    assert "« droit », « gauche » ou « bilatéral » attendu, « dessus »" in refused[
        ("interventions.csv", 3)]
    assert "classe ASA de 1 à 6 attendue, « 7 »" in refused[("anesthesie.csv", 3)]
    assert "produit et date obligatoires" in refused[("transfusions.csv", 4)]


def test_fhir_asa_observation_becomes_an_assessment(tmp_path):
    asa = {"resourceType": "Observation", "id": "asa1", "status": "final",
           "category": [{"coding": [{"code": "exam"}]}],
           "code": {"text": "Score ASA"}, "subject": {"reference": "Patient/p1"},
           "effectiveDateTime": "2026-11-20T10:00:00+01:00",
           "performer": [{"reference": "Practitioner/x", "display": "Dr Roux"}],
           "note": [{"text": "intubation difficile prévisible"}],
           "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct",
                                                "code": "413497009"}]}}
    result = import_fhir([ndjson_file(tmp_path / "a.ndjson", patient_resource(), asa)])
    assert result.rejections == []
    (cpa,) = result.of_type("anaesthesia_assessment")
    assert (cpa.asa, cpa.anaesthetist, cpa.notes) == ("3", "Dr Roux",
                                                       "intubation difficile prévisible")
    assert cpa.at == dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def test_fhir_transfusion_procedure_and_other_acts(tmp_path):
    def procedure(pid: str, code: str, status: str = "completed") -> dict:
        return {"resourceType": "Procedure", "id": pid, "status": status,
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": code,
                                     "display": "Transfusion de CGR"}]},
                "subject": {"reference": "Patient/p1"},
                "performedDateTime": "2026-11-02T15:00:00+01:00"}
    result = import_fhir([ndjson_file(tmp_path / "p.ndjson", patient_resource(),
                                      procedure("t1", "116863004"),
                                      procedure("t2", "116859006", "in-progress"),
                                      procedure("x1", "430193006"))])
    assert result.rejections == []
    (given,) = result.of_type("transfusion")
    assert (given.id, given.kind, given.product) == ("t1", "given", "Transfusion de CGR")
    assert given.at == dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)
    reasons = {k: n for k, n in result.ignored.items() if k.startswith("Procedure")}
    assert reasons == {"Procedure : acte réalisé (historique, non repris sur les documents de "
                       "mode dégradé)": 1,
                       "Procedure : transfusion au statut « in-progress » : seules les "
                       "transfusions réalisées sont reprises": 1}
