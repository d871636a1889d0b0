"""Discharge / transfer pack: one PDF, every document journalled, the cover lists it all."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.issuing.issue import IssueError, issue_patient_document, stored_pdf
from pcsauvegarde.station.issuing.transfer import issue_transfer_pack
from tests.support.constants import NOW
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _patient_with_care(station) -> str:
    """A CHD inpatient with administrations in the last 24 h and active orders."""
    for row in patients.inpatients(station, "CHD"):
        file = patients.patient_file(station, row.patient.id, now=NOW)
        if file and file.orders and any(a.at >= NOW - dt.timedelta(hours=24)
                                        for a in file.administrations):
            return row.patient.id
    raise AssertionError("the demo has no CHD patient with recent administrations")


def test_discharge_pack_holds_every_document(station):
    ipp = _patient_with_care(station)
    form = issue_patient_document(station, "form", ipp, "ide", now=NOW, form="surveillance-24h")
    summary = issue_patient_document(station, "summary", ipp, "ide", now=NOW)
    issued = issue_transfer_pack(station, ipp, "ide", "discharge",
                                 "Domicile — suivi par le Dr Martin", now=NOW)
    pages = page_texts(issued.pdf)
    cover = _flat(pages[0])
    assert "Documents de sortie" in cover and "Domicile — suivi par le Dr Martin" in cover
    # the earlier downtime papers, by number
    assert form.document.number in cover and summary.document.number in cover
    assert "Feuille de surveillance" in cover or "surveillance" in cover.lower()
    whole = _flat(" ".join(pages))
    for title in ("Synthèse patient", "Ordonnance de sortie", "Administrations des dernières 24 h",
                  "Résultats cumulés"):
        assert title in whole, title
    assert "☐ P" in whole and "Signature du médecin" in whole
    # each inner document is journalled, placed in the pack and can be reprinted alone
    inner = [d for d in station.journal.documents_of(ipp)
             if d["container"] == issued.document.number]
    assert {d["kind"] for d in inner} == {"summary", "discharge_prescription",
                                          "administration_history", "lab_results_cumulative"}
    for d in inner:
        assert d["number"] in cover
        assert stored_pdf(station, d["number"]) is not None
    doc = station.journal.get(issued.document.number)
    assert (doc["kind"], doc["ipp"], doc["pages"]) == ("transfer_pack", ipp, len(pages))
    assert_page_quality(issued.pdf, allergies=True)


def test_transfer_pack_has_the_prescriptions_not_a_discharge_order(station):
    ipp = _patient_with_care(station)
    whole = _flat(" ".join(page_texts(issue_transfer_pack(station, ipp, "ide", "transfer",
                                                          "CHU voisin", now=NOW).pdf)))
    assert "Documents de transfert" in whole and "Ordonnance de sortie" not in whole
    assert "Prescriptions" in whole or "prescriptions" in whole


def test_pending_results_are_listed(station):
    import dataclasses

    from pcsauvegarde.core.records import LabResult
    from pcsauvegarde.station.issuing.transfer import pack_data
    from pcsauvegarde.station.lab.register import register_of
    ipp = _patient_with_care(station)
    batch = register_of(station).allocate("patient", 1, 2, "ide", ipp=ipp, unit="CHD", now=NOW)
    file = patients.patient_file(station, ipp, now=NOW)
    file = dataclasses.replace(file, lab_results=(*file.lab_results, LabResult(
        "pre1", ipp, "2823-3", "Potassium", "5,8", NOW - dt.timedelta(hours=2),
        unit="mmol/L", status="preliminary")))
    pack = pack_data(station, file, "transfer", "CHU", now=NOW)
    pending = " | ".join(pack.pending)
    assert "Potassium prélevé le" in pending and "résultat provisoire (5,8 mmol/L)" in pending
    assert f"Prélèvement n° {batch.numbers[0]}" in pending
    empty = pack_data(station, dataclasses.replace(file, lab_results=()), "transfer", now=NOW)
    assert not any("provisoire" in line for line in empty.pending)


def test_bad_purpose_or_patient(station):
    ipp = _patient_with_care(station)
    with pytest.raises(IssueError, match="motif"):
        issue_transfer_pack(station, ipp, "ide", "holiday", now=NOW)
    with pytest.raises(IssueError, match="introuvable"):
        issue_transfer_pack(station, "NO-SUCH-IPP", "ide", "transfer", now=NOW)


def test_an_imaging_exam_still_planned_earlier_today_is_pending(station):
    from pcsauvegarde.station.documents.fmt import to_local
    from pcsauvegarde.station.issuing.transfer import pack_data
    exam = next(e for unit in patients.units(station) for row in patients.inpatients(
                    station, unit.code) for e in patients.imaging_exams_of(station, row.patient.id)
                if e.status == "planned" and to_local(e.scheduled_at).hour < 15)
    later = exam.scheduled_at + dt.timedelta(hours=2)   # same day, the exam not done yet
    file = patients.patient_file(station, exam.ipp, now=later)
    pending = " | ".join(pack_data(station, file, "discharge", now=later).pending)
    assert f"Examen d'imagerie prévu le {format_local(exam.scheduled_at)} : {exam.label}" in (
        pending)
