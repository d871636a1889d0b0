"""Care plan: planned exams and OR cases with their preparation; none for a discharged patient."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.core.records import Allergy, ImagingExam, SurgeryCase
from pcsauvegarde.station.documents import care_plan
from tests.support.pdfcheck import page_texts
from tests.support.sample import IPP

UTC = dt.UTC


def text_of(pdf: bytes) -> str:
    return " ".join("\n".join(page_texts(pdf)).split())


def test_planned_exam_and_or_case_with_preparation(patient_file, ctx) -> None:
    # Printed 27/11 14:17 Paris: the plan runs to 28/11 16:00 (whole 4-h periods).
    exams = (ImagingExam("ct", IPP, "CT", "Scanner thoracique injecté",
                         dt.datetime(2026, 11, 28, 11, 0, tzinfo=UTC), "Scanner 1"),
             ImagingExam("mr", IPP, "MR", "IRM cérébrale",
                         dt.datetime(2026, 11, 27, 19, 30, tzinfo=UTC), "IRM 1"),
             ImagingExam("late", IPP, "US", "Échographie de J+3",
                         dt.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),
             ImagingExam("done", IPP, "CT", "Scanner déjà fait",
                         dt.datetime(2026, 11, 27, 16, 0, tzinfo=UTC), status="done"))
    surgery = (SurgeryCase("or1", IPP, "Salle 3", dt.datetime(2026, 11, 28, 7, 30, tzinfo=UTC),
                           "Cholécystectomie coelioscopique", "Dr Zoé Müller", "Dr Paul Roux"),)
    allergies = (Allergy("a1", IPP, "Produits de contraste iodés"),)
    file = dataclasses.replace(patient_file, imaging_exams=exams, surgery_cases=surgery,
                               allergies=allergies)
    text = text_of(care_plan.render(file, ctx))
    assert "Examens et interventions prévus" in text
    assert "Scanner thoracique injecté — 28/11/2026 12:00" in text
    assert "Injection de produit de contraste : vérifier allergie" in text
    assert "⚠ ALLERGIE : Produits de contraste iodés — prévenir le radiologue" in text
    assert "IRM cérébrale — 27/11/2026 20:30" in text and "stimulateur" in text
    assert "Cholécystectomie coelioscopique — 28/11/2026 08:30" in text
    assert "Chirurgien : Dr Zoé Müller · Anesthésiste : Dr Paul Roux" in text
    assert "jeûne et consignes d'anesthésie" in text
    assert "Échographie de J+3" not in text and "Scanner déjà fait" not in text
    # in time order, before the care tasks
    assert (text.index("IRM cérébrale") < text.index("Cholécystectomie")
            < text.index("Scanner thoracique injecté") < text.index("Soins prescrits"))


def test_no_care_plan_for_a_discharged_patient(patient_file, ctx) -> None:
    left = dataclasses.replace(patient_file.stay, discharge=dt.datetime(2026, 11, 25, 9, 0,
                                                                       tzinfo=UTC))
    texts = page_texts(care_plan.render(dataclasses.replace(patient_file, stay=left), ctx))
    assert len(texts) == 1
    assert "PATIENT SORTI LE 25/11/2026 10:00 — pas de plan de soins" in text_of(
        care_plan.render(dataclasses.replace(patient_file, stay=left), ctx))
    assert "Surveillances" not in texts[0]
