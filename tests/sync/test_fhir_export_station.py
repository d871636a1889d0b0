"""A Synthea-shaped FHIR export, imported, packaged and pulled: what the station shows and prints.

Data: tests/publish/data/synthea_like/bulk (one patient in a current stay, US codings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.station.documents import care_plan
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.store import queries
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.drops import fhir_records, publish_domains
from tests.support.pdfcheck import page_texts
from tests.support.sample import make_ctx

PATIENT = "3f1b0a0e-8c5e-4f7e-9b8a-2d6c1e4a7b90"


@pytest.fixture
def exported(unpulled, drop, keys, make_package):
    """The empty station after pulling the bulk export."""
    for p in drop.iterdir():
        p.unlink()
    publish_domains(make_package, drop, fhir_records("bulk"))
    station = open_station(unpulled)
    (run,) = pull_all(unpulled, station.store, keys)
    assert run.accepted == 3 and not run.not_kept
    return station


def test_active_care_plan_prints_on_the_plan_de_soins(exported):
    file = queries.patient_file(exported.store, PATIENT)
    labels = sorted(t.label for t in file.care_tasks)
    assert labels == ["Capillary blood glucose monitoring", "Diabetic diet", "Diet education",
                      "Exercise therapy", "Wound dressing change"]
    ctx = make_ctx(printed_at=dt.datetime.now(dt.UTC).replace(microsecond=0))
    text = " ".join("\n".join(page_texts(care_plan.render(file, ctx))).split())
    assert "Aucun soin programmé" not in text
    for label in labels:
        assert label in text
    assert "Plan : Diabetes self management plan" in text
    assert "sans horaire prévu" in text and "toutes les 8 h" in text and "10:00" in text
    # the completed activity and the completed plan are not printed
    assert "Food allergy diet" not in text and "Recommendation to avoid" not in text
    empty = dataclasses.replace(file, care_tasks=())
    assert "Aucun soin programmé" in "\n".join(page_texts(care_plan.render(empty, ctx)))


def test_last_known_lab_values_when_nothing_in_72_hours(exported):
    from pcsauvegarde.station.documents import patient_summary

    file = queries.patient_file(exported.store, PATIENT)
    shown = {r.id: r.value for r in file.lab_results}
    assert shown == {"o-glucose-last": "142.7", "o-creat-last": "1.1", "o-hba1c-last": "7.9"}
    ctx = make_ctx(printed_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
                   extracted_at=exported.store.snapshot("lab").extracted_at)
    pdf = patient_summary.render(file, ctx)
    text = " ".join("\n".join(page_texts(pdf)).split())
    assert "Aucun résultat biologique sur cette période" in text
    assert "Dernière valeur connue" in text
    assert "Glucose [Mass/volume] in Blood" in text and "101" not in text
    assert "142,7 mg/dL 70-99 mg/dL ↑" in text  # decimal comma and arrow flag on paper
    assert text.count("ancien, il y a") == 3


def test_lab_query_keeps_the_window_and_the_last_of_other_tests():
    from pcsauvegarde.core.records import LabResult

    now = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)

    def result(rid, code, hours):
        return LabResult(rid, PATIENT, code, code.lower(), "1", now - dt.timedelta(hours=hours))

    results = [result("k1", "K", 2), result("k2", "K", 30), result("k3", "K", 200),
               result("t1", "TSH", 300), result("t2", "TSH", 900), result("x", "", 500)]
    got = queries.lab_results(results, now - dt.timedelta(hours=72))
    assert sorted(r.id for r in got) == ["k1", "k2", "t1", "x"]


def test_problem_list_without_social_history_and_with_resolved_status(exported):
    from pcsauvegarde.station.documents import patient_summary

    file = queries.patient_file(exported.store, PATIENT)
    assert {c.label: c.status for c in file.conditions} == {
        "Essential hypertension (disorder)": "active",
        "Diabetes mellitus type 2 (disorder)": "active",
        "Acute viral pharyngitis (disorder)": "resolved"}
    ctx = make_ctx(printed_at=dt.datetime.now(dt.UTC).replace(microsecond=0))
    text = " ".join("\n".join(page_texts(patient_summary.render(file, ctx))).split())
    assert "Acute viral pharyngitis (disorder) (195662009) — depuis le 03/02/2024 — résolu" in text
    for social in ("employment", "Housing", "education", "Stress", "transportation"):
        assert social not in text
