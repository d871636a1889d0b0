"""OR schedule and pre-operative sheet on the demo hospital: what they say, who sees what."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from pcsauvegarde.core.records import AnaesthesiaAssessment, SurgeryCase
from pcsauvegarde.station.documents import KINDS, or_schedule, preop
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.issuing.issue import issue_patient_document, issue_theatre_document
from pcsauvegarde.station.sterilisation import service
from pcsauvegarde.station.theatre import schedule
from pcsauvegarde.station.theatre.model import OrLine, OrSchedule, RoomDay
from tests.support.blood import with_blood
from tests.support.constants import NOW
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import (
    PRINTED,
    UUID_IPP,
    make_ctx,
    make_long_patient_file,
    make_patient_file,
)

TODAY = to_local(NOW).date()


def _flat(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page_texts(pdf)))


def test_today_and_tomorrow_per_room(station):
    today = schedule.build(station, TODAY, now=NOW)
    tomorrow = schedule.build(station, TODAY + dt.timedelta(days=1), now=NOW)
    assert [r.room for r in today.rooms] == ["Salle 1", "Salle 2"]
    assert sum(len(r.lines) for r in today.rooms) == 4
    assert sum(len(r.lines) for r in tomorrow.rooms) == 4
    lines = [line for r in today.rooms for line in r.lines]
    assert all(line.file is not None for line in lines)
    # the demo blood bank: one patient with no group, one expired RAI (4 days)
    everyone = lines + [line for r in tomorrow.rooms for line in r.lines]
    assert sum("groupe sanguin non disponible" in line.blood for line in everyone) == 1
    assert sum("RAI périmée" in line.blood for line in everyone) == 1
    only = schedule.build(station, TODAY, "Salle 2", now=NOW)
    assert [r.room for r in only.rooms] == ["Salle 2"]


def test_unit_scope_hides_and_counts(station):
    plan = schedule.build(station, TODAY, visible=lambda unit: unit == "REA", now=NOW)
    assert plan.rooms == () and plan.hidden == 4


def test_printed_schedule_links_traceability_sheets(station):
    case = schedule.build(station, TODAY, now=NOW).rooms[0].lines[0].case
    sheet = service.issue_or_sheet(station, case.id, [], "agent", now=NOW)
    plan = schedule.build(station, TODAY, now=NOW)
    issued = issue_theatre_document(station, or_schedule.KIND, plan, "bloc", now=NOW)
    text = _flat(issued.pdf)
    assert f"Planning des interventions du {TODAY:%d/%m/%Y}" in text
    assert "Salle 1 — 2 interventions" in text and "Salle 2 — 2 interventions" in text
    for word in ("Appendicectomie", "laparotomie", "programmée", "Cholécystectomie"):
        assert word in text, word
    lines = [line for r in plan.rooms for line in r.lines if line.case.ipp == case.ipp]
    assert all(line.sheets == (sheet.document.number,) for line in lines)
    assert sheet.document.number in text
    assert "APPEND-01 — " in text and "RhD" in text
    doc = station.journal.get(issued.document.number)
    # every demo OR patient is in CHD: the list is journalled under it (a CHD nurse rereads it)
    assert (doc["kind"], doc["ipp"], doc["unit"]) == ("or_schedule", None, "CHD")
    assert_page_quality(issued.pdf, allergies=False)


def _line(file, case, blood="A RhD positif · RAI : négative", alert=False):
    return OrLine(case, file, blood, alert, ("APPEND-01 — Boîte d'appendicectomie n° 1",),
                  ("PCS-CARD-01-0000042",))


def test_schedule_page_quality_long_identity_and_statuses():
    file = with_blood(make_long_patient_file(UUID_IPP))
    at = dt.datetime(2026, 11, 27, 7, 30, tzinfo=dt.UTC)
    cases = [SurgeryCase(f"c{k}", UUID_IPP, "Salle d'orthopédie et de traumatologie n° 3",
                         at + dt.timedelta(hours=k), "Prothèse totale de hanche par voie "
                         "antérieure mini-invasive", surgeon="Pr Jean-Baptiste Lefèvre-Dufour",
                         anaesthetist="Dr Karim Benali", status=status, side=side)
             for k, (status, side) in enumerate((("planned", "left"), ("cancelled", "right"),
                                                 ("postponed", "bilateral")))]
    lines = [_line(file, c) for c in cases] + [_line(None, cases[0], "groupe sanguin non "
                                                      "disponible dans l'extrait", True)]
    plan = OrSchedule(dt.date(2026, 11, 27), (RoomDay(cases[0].room, tuple(lines)),),
                      hidden=2)
    pdf = or_schedule.render(plan, make_ctx())
    assert_page_quality(pdf, allergies=False)
    text = _flat(pdf)
    for words in ("côté gauche", "côté droit", "bilatéral", "annulée", "reportée",
                  "patient absent des données de la station", "Pénicilline",
                  "2 intervention(s) de patients hors de vos unités non listée(s)"):
        assert words in text, words
    empty = _flat(or_schedule.render(OrSchedule(dt.date(2026, 11, 27), ()), make_ctx()))
    assert "Aucune intervention programmée ce jour dans l'extrait." in empty


def test_preop_sheet_says_everything_the_or_needs():
    file = with_blood(make_long_patient_file(UUID_IPP), transfusions=True,
                      rai_at=PRINTED - dt.timedelta(hours=80))
    file = dataclasses.replace(
        file,
        surgery_cases=(SurgeryCase("c1", UUID_IPP, "Salle 3", PRINTED + dt.timedelta(hours=20),
                                   "Prothèse totale de hanche", surgeon="Dr Marchand",
                                   anaesthetist="Dr Benali", side="left"),),
        anaesthesia=(AnaesthesiaAssessment("a1", UUID_IPP, PRINTED - dt.timedelta(days=5),
                                           asa="3", airway="Mallampati 3",
                                           fasting="À jeun depuis minuit",
                                           anaesthetist="Dr Benali"),))
    pdf = preop.render(file, make_ctx())
    assert_page_quality(pdf, allergies=True)
    text = _flat(pdf)
    for words in ("Prothèse totale de hanche — côté gauche", "28/11/2026 10:17", "Salle 3",
                  "A RhD positif (2 déterminations", "RH:1,2,-3,4,5 KEL:-1",
                  "RAI périmée (plus de 72 h)", "produits irradiés", "2 CGR phénotypé",
                  "ASA 3 — maladie systémique sévère", "Mallampati 3", "À jeun depuis minuit",
                  "consultation du 22/11/2026 14:17", "Hémoglobine 8,1 g/dL",
                  "Potassium 5,1 mmol/L", "Plaquettes non disponible dans l'extrait"):
        assert words in text, words
    assert KINDS[preop.KIND].scope == "patient"


def test_preop_without_data_leaves_room_to_write():
    text = _flat(preop.render(make_patient_file(), make_ctx()))
    assert "Aucune intervention programmée dans l'extrait : à compléter à la main." in text
    assert "aucune consultation d'anesthésie dans l'extrait" in text
    assert "groupe sanguin non disponible dans l'extrait" in text


def test_preop_of_a_demo_patient(station):
    # tomorrow's first case (the sheet shows interventions still to come)
    line = schedule.build(station, TODAY + dt.timedelta(days=1), now=NOW).rooms[0].lines[0]
    issued = issue_patient_document(station, preop.KIND, line.case.ipp, "bloc", now=NOW)
    text = _flat(issued.pdf)
    assert line.case.procedure.split()[0] in text and "Mallampati" in text and "ASA" in text
    assert station.journal.get(issued.document.number)["ipp"] == line.case.ipp


@pytest.mark.parametrize(("text", "ok"), [("", True), ("2020-01-01", False), ("nope", False)])
def test_day_parameter(text, ok):
    if ok:
        assert schedule.parse_day(text, NOW) == TODAY
    else:
        with pytest.raises(schedule.ScheduleError):
            schedule.parse_day(text, NOW)


def test_preop_keeps_a_late_case_of_the_day(station):
    """A case of the day not done is still on the sheet once its planned time has passed (cases
    run late during an outage), as it stays « programmée » on /bloc."""
    line = schedule.build(station, TODAY + dt.timedelta(days=1), now=NOW).rooms[0].lines[0]
    assert line.case.status not in ("done", "cancelled")
    late = line.case.scheduled_at + dt.timedelta(hours=3)
    assert to_local(late).date() == to_local(line.case.scheduled_at).date()
    text = _flat(issue_patient_document(station, preop.KIND, line.case.ipp, "bloc",
                                        now=late).pdf)
    assert "Aucune intervention programmée" not in text
    assert line.case.procedure.split()[0] in text and line.case.room in text
