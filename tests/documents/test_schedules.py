"""Imaging schedule, imaging report form and consultation call list: what they hold, what
they say on paper, and that their pages pass the quality checks with hard identities."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.core.records import ImagingExam
from pcsauvegarde.station.consultations import calls
from pcsauvegarde.station.documents import consultation_calls, imaging_report, imaging_schedule
from pcsauvegarde.station.documents.fmt import local_day_bounds
from pcsauvegarde.station.imaging import schedule
from pcsauvegarde.station.imaging.model import ExamReport
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import DOC_NUMBER, UUID_IPP, make_ctx
from tests.support.schedules import (
    DAY,
    EXTRACTED_AT,
    appointments,
    exams,
    long_patient,
    plain_patient,
)

UTC = dt.UTC
NAMES = {"MED-INT": "Médecine interne", "CARDIO-CS": "Cardiologie — consultations externes"}


def flat(pdf: bytes) -> str:
    """The PDF's text on one line, words cut after a hyphen at a line end joined again."""
    return " ".join(" ".join(page_texts(pdf)).split()).replace("- ", "-")


def who():
    return {p.patient.id: p for p in (long_patient(), plain_patient())}


def ct_schedule():
    return schedule.build(exams(), who(), DAY, "CT", "Scanner 1", NAMES, EXTRACTED_AT)


def test_schedule_holds_one_modality_room_and_local_day_in_time_order():
    s = ct_schedule()
    assert [line.exam.id for line in s.lines] == ["ct-1", "ct-2", "ct-3"]
    assert s.lines[0].requesting == "Médecine interne"          # the exam's own unit, named
    assert s.lines[1].requesting == plain_patient().stay.unit    # else the patient's unit
    assert s.lines[2].who is None                                # unknown patient: kept


def test_summaries_count_per_day_modality_and_room():
    found = schedule.summarise(exams())
    assert [(f.day, f.modality, f.room, f.exams) for f in found] == [
        (DAY, "CT", "Scanner 1", 3), (DAY, "CT", "Scanner 2", 1), (DAY, "MR", "IRM", 1),
        (DAY + dt.timedelta(days=1), "CT", "Scanner 1", 1)]


def test_a_day_is_local_midnight_to_midnight_even_on_dst_days():
    start, end = local_day_bounds(dt.date(2026, 10, 25))   # autumn back: 25 hours
    assert start == dt.datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    assert end - start == dt.timedelta(hours=25)
    late = ImagingExam("x", "P", "CT", "Scanner", dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC))
    assert schedule.local_day(late.scheduled_at) == dt.date(2026, 11, 28)   # 00:30 in Paris


def test_schedule_pdf_says_time_identity_exam_unit_and_status_in_french():
    pdf = imaging_schedule.render(ct_schedule(), make_ctx())
    text = flat(pdf)
    for expected in ("Planning Scanner (CT) — 27/11/2026", "Salle : Scanner 1", "08:30",
                     "09:15", "10:30", "DE LA ROCHEFOUCAULD", UUID_IPP, "Née le 03/02/1948",
                     "Pénicilline", "Scanner thoraco-abdomino-pelvien injecté",
                     "Indication : Recherche d'une embolie pulmonaire", "Médecine interne",
                     "Dr Hélène Lefèvre-Beauchamp", "prévu", "patient arrivé", "annulé",
                     "patient absent de l'extrait", "INCONNU-404",
                     "1 examen(s) d'un patient absent de l'extrait"):
        assert expected in text, expected
    for english in ("planned", "arrived", "cancelled"):
        assert english not in text
    assert_page_quality(pdf, allergies=False, barcodes={DOC_NUMBER})


def test_schedule_of_a_long_day_breaks_pages_and_keeps_quality():
    many = [dataclasses.replace(exams()[0], id=f"ct-{n}",
                                scheduled_at=exams()[0].scheduled_at + dt.timedelta(minutes=15 * n))
            for n in range(40)]
    s = schedule.build(many, who(), DAY, "CT", "Scanner 1", NAMES, EXTRACTED_AT)
    pdf = imaging_schedule.render(s, make_ctx())
    texts = page_texts(pdf)
    assert len(texts) > 2 and all("Heure" in t for t in texts)   # heading on every page
    assert_page_quality(pdf, allergies=False)


def test_report_form_of_a_planned_exam_has_band_allergies_exam_and_signature():
    report = ExamReport(exams()[0], long_patient(), "Médecine interne", EXTRACTED_AT)
    pdf = imaging_report.render(report, make_ctx())
    assert len(page_texts(pdf)) == 1   # one sheet
    text = flat(pdf)
    for expected in ("Compte-rendu d'imagerie", "DE LA ROCHEFOUCAULD-MONTMORENCY-AUBIGNÉE",
                     UUID_IPP, "ALLERGIES", "Pénicilline", "Scanner (CT)", "27/11/2026 08:30",
                     "Scanner 1", "Médecine interne", "Recherche d'une embolie pulmonaire",
                     "Résultats", "Conclusion", "Nom du radiologue", "Signature"):
        assert expected in text, expected
    assert_page_quality(pdf, allergies=True, barcodes={UUID_IPP, DOC_NUMBER})


def test_blank_report_form_asks_for_identity_and_allergies_by_hand():
    pdf = imaging_report.render(ExamReport(extracted_at=EXTRACTED_AT), make_ctx())
    assert len(page_texts(pdf)) == 1
    text = flat(pdf)
    for expected in ("Nom de naissance", "Prénoms", "Date de naissance", "IPP",
                     "Aucune allergie connue", "Allergie(s)", "Indication", "Conclusion"):
        assert expected in text, expected
    assert_page_quality(pdf, allergies=True, barcodes={DOC_NUMBER})


def test_call_list_holds_one_clinic_and_day_with_tick_columns():
    c = calls.build(appointments(), who(), "CARDIO-CS", DAY, NAMES["CARDIO-CS"], EXTRACTED_AT)
    assert [line.appointment.id for line in c.lines] == ["rdv-1", "rdv-2"]
    assert c.clinics == ("Consultation de cardiologie",)
    pdf = consultation_calls.render(c, make_ctx())
    text = flat(pdf)
    for expected in ("Planning des consultations — vendredi 27/11/2026",
                     "Consultation : Cardiologie — consultations externes (CARDIO-CS)",
                     "Intitulés des rendez-vous : Consultation de cardiologie", "Appelé",
                     "Maintenu", "Reporté", "Notes",
                     "09:00", "à 09:30", "10:00", UUID_IPP, "+33 6 12 34 56 78",
                     "⚠ aucun numéro", "Dr Jean-Baptiste", "Contrôle après pose",
                     "confirmé", "annulé", "2 rendez-vous dans l'extrait, dont 1 annulé(s)",
                     "DE LA ROCHEFOUCAULD"):
        assert expected in text, expected
    assert text.count("☐") == 3 * (2 + 3)    # three boxes a line, blank lines included
    assert_page_quality(pdf, allergies=False, barcodes={DOC_NUMBER})


def test_call_list_summaries_per_clinic_and_day():
    found = calls.summarise(appointments(), NAMES)
    got = [(c.unit, c.day, c.appointments, c.cancelled) for c in found]
    assert got == [("CARDIO-CS", DAY, 2, 1), ("CARDIO-CS", DAY + dt.timedelta(days=1), 1, 0),
                   ("PNEUMO-CS", DAY, 1, 0)]


def test_a_week_prints_each_day_with_appointments_from_a_new_page():
    from pcsauvegarde.station.consultations.model import CallWeek

    week = CallWeek("CARDIO-CS", NAMES["CARDIO-CS"], tuple(
        calls.build(appointments(), who(), "CARDIO-CS", DAY + dt.timedelta(days=k),
                    NAMES["CARDIO-CS"], EXTRACTED_AT) for k in range(3)), EXTRACTED_AT)
    pdf = consultation_calls.render(week, make_ctx())
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    assert len(texts) == 2   # Friday and Saturday have appointments, Sunday none
    assert "du vendredi 27/11/2026 au dimanche 29/11/2026" in texts[0]
    assert "Aucun rendez-vous dans l'extrait : dimanche 29/11/2026." in texts[0]
    assert "vendredi 27/11/2026" in texts[0] and "samedi 28/11/2026" in texts[1]
    assert "Appelé" in texts[1] and "1 rendez-vous dans l'extrait" in texts[1]
    assert_page_quality(pdf, allergies=False)


def test_a_whole_day_prints_every_modality_and_room_from_a_new_page():
    from pcsauvegarde.station.imaging.model import ExamDay

    found = schedule.summarise(exams())
    day = ExamDay(DAY, tuple(schedule.build(exams(), who(), DAY, s.modality, s.room, NAMES,
                                            EXTRACTED_AT) for s in found if s.day == DAY),
                  EXTRACTED_AT)
    pdf = imaging_schedule.render(day, make_ctx())
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    assert len(texts) == 3
    assert "Planning d'imagerie — 27/11/2026" in texts[0]
    assert "Scanner (CT) — Scanner 1" in texts[0] and "Scanner (CT) — Scanner 2" in texts[1]
    assert "IRM (MR) — IRM" in texts[2] and "IRM cérébrale" in texts[2]
    assert_page_quality(pdf, allergies=False)
