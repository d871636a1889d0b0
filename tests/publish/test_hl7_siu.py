"""HL7 v2 SIU^S12–S15: consultation appointments booked, moved, modified and cancelled."""

from __future__ import annotations

import datetime as dt

from pcsauvegarde.publisher.importers.hl7v2.importer import import_hl7
from tests.support.hl7 import message, seg, write_messages

UTC = dt.UTC
# An outpatient with a home phone and a mobile (XTN-12 unformatted, IHE PAM France style),
# the IPP among two identifiers (an external one first: never picked by position).
PID = seg("PID", {1: "1", 3: "EXT-77^^^LABO-VILLE^PI~f47ac10b-58cc-4372-a567-0e02b2c3d479^^^CHD^PI",
                  5: "MARTIN^Léa^Léa Claire^^^^L", 7: "19800502", 8: "F",
                  13: "^PRN^PH^^^^^^^^^0145678901~^PRN^CP^^^^^^^^^0612345678~"
                      "^NET^Internet^lea.martin@example.org"})


def sch(filler="RDV-2026-000481", start="202612011430", end="202612011500", status="Booked",
        reason="SUIVI^Suivi après stimulateur cardiaque"):
    return seg("SCH", {1: "PL-881^DPI", 2: f"{filler}^RDV", 6: "^Première consultation",
                       7: reason, 8: "ROUTINE^Consultation programmée", 9: "30", 10: "MIN",
                       11: f"^^30^{start}^{end}", 25: status})


AIS = seg("AIS", {1: "1", 3: "CS-CARDIO^Consultation de cardiologie", 4: "202612011430"})
AIL = seg("AIL", {1: "1", 3: "CS-CARDIO^Box 3^^CHD^^^^^Consultations de cardiologie",
                  4: "^Salle de consultation"})
AIP = seg("AIP", {1: "1", 3: "10001234567^MONTGOLFIER^Jean-Baptiste^^^Dr", 4: "^Cardiologue"})


def siu(event: str, ctl: str, *segments: str) -> str:
    return message(f"SIU^{event}^SIU_S12", ctl, *segments)


def _import(tmp_path, *messages: str, options=None):
    from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options

    return import_hl7([write_messages(tmp_path, "siu.hl7", *messages)],
                      options or Hl7Options(ipp_authorities=("CHD",)))


def test_s12_books_an_appointment_with_clinic_practitioner_and_mobile_phone(tmp_path):
    result = _import(tmp_path, siu("S12", "1", sch(), PID, "RGS|1", AIS, AIL, AIP))
    assert result.rejections == []
    (a,) = result.of_type("appointment")
    assert a.id == "RDV-2026-000481"
    assert a.ipp == "f47ac10b-58cc-4372-a567-0e02b2c3d479"
    assert (a.unit, a.clinic) == ("CS-CARDIO", "Consultation de cardiologie")
    assert a.start == dt.datetime(2026, 12, 1, 13, 30, tzinfo=UTC)   # Paris winter time
    assert a.end == dt.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert a.practitioner == "Jean-Baptiste MONTGOLFIER"
    assert a.reason == "Suivi après stimulateur cardiaque ; Première consultation"
    assert (a.status, a.phone) == ("booked", "0612345678")
    (p,) = result.of_type("patient")   # an outpatient unknown to the ADT feed: created
    assert (p.birth_name, p.first_names) == ("MARTIN", "Léa Claire")
    assert result.events["SIU^S12"] == 1


def test_s13_moves_s14_modifies_s15_cancels_the_same_appointment(tmp_path):
    result = _import(tmp_path,
                     siu("S12", "1", sch(), PID, AIS, AIL, AIP),
                     siu("S13", "2", sch(start="202612031000", end="202612031030"), PID, AIS,
                         AIL, AIP),
                     siu("S14", "3", sch(start="202612031000", end="202612031030",
                                         reason="^Résultats du Holter"), PID, AIS, AIL, AIP))
    (a,) = result.of_type("appointment")
    assert a.start == dt.datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert a.reason.startswith("Résultats du Holter") and a.status == "booked"
    cancelled = _import(tmp_path, siu("S12", "1", sch(), PID, AIS, AIL, AIP),
                        siu("S15", "4", sch(status="Cancelled"), PID, AIS, AIL, AIP))
    (a,) = cancelled.of_type("appointment")
    assert a.status == "cancelled"   # kept: the clinic still calls the patient
    assert cancelled.rejections == []


def test_times_from_resources_and_duration_when_sch_11_is_empty(tmp_path):
    bare = seg("SCH", {2: "RDV-9", 9: "20", 10: "MIN"})
    result = _import(tmp_path, siu("S12", "1", bare, PID, AIS, AIL))
    (a,) = result.of_type("appointment")
    assert a.start == dt.datetime(2026, 12, 1, 13, 30, tzinfo=UTC)
    assert a.end == a.start + dt.timedelta(minutes=20)
    assert a.practitioner == "" and a.status == "booked"


def test_a_message_without_unit_time_or_id_is_refused_whole(tmp_path):
    no_unit = siu("S12", "1", sch(), PID, AIS, AIP)
    no_time = siu("S12", "2", seg("SCH", {2: "RDV-8"}), PID,
                  seg("AIL", {1: "1", 3: "CS-CARDIO"}))
    no_id = siu("S12", "3", seg("SCH", {6: "x"}), PID, AIS, AIL)
    bad_status = siu("S12", "4", sch(status="Peut-être"), PID, AIS, AIL)
    result = _import(tmp_path, no_unit, no_time, no_id, bad_status)
    assert result.of_type("appointment") == [] and result.of_type("patient") == []
    reasons = [r.message() for r in result.rejections]
    assert len(reasons) == 4 and all("refusé" in r for r in reasons)
    assert "AIL-3.1" in reasons[0] and "heure du rendez-vous" in reasons[1]
    assert "SCH-2 / SCH-1" in reasons[2] and "« Peut-être »" in reasons[3]


def test_the_ipp_is_picked_by_authority_not_position(tmp_path):
    from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options

    result = _import(tmp_path, siu("S12", "1", sch(), PID, AIS, AIL),
                     options=Hl7Options())   # two PI identifiers, no authority configured
    assert result.of_type("appointment") == []
    assert "2 identifiants différents" in result.rejections[0].message()
