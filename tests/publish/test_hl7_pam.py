"""IHE PAM France events: admissions of each class, movements and their cancels, ZBE, merges."""

from __future__ import annotations

import datetime as dt

from tests.support.pam import (
    HOSPITAL,
    adt,
    msh,
    only,
    pid,
    pv1,
    run,
    seg,
    zbe,
)

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    """A Paris winter-time HL7 timestamp, in UTC."""
    return dt.datetime.strptime(text, "%Y%m%d%H%M").replace(tzinfo=UTC) - dt.timedelta(hours=1)


def test_unit_from_zbe7_and_admission_from_zbe2_when_pv1_is_empty(tmp_path):
    message = adt("A01", "1", pid(), pv1(unit="", admit=""), zbe(at="202611250912"))
    result = run(tmp_path, message)
    assert result.rejections == []
    stay = only(result, "stay")
    assert (stay.unit, stay.room, stay.bed) == ("7771", "", "")
    assert stay.admission == at("202611250912")
    assert stay.encounter_class == "inpatient" and not stay.planned
    assert result.events == {"ADT^A01": 1}


def test_admission_time_falls_back_to_evn6_without_zbe(tmp_path):
    message = adt("A01", "1", pid(), pv1(admit=""), at="202611250700")
    assert only(run(tmp_path, message), "stay").admission == at("202611250700")


def test_a04_outpatient_and_emergency_classes_and_a05_planned(tmp_path):
    result = run(tmp_path,
                 adt("A04", "1", pid(), pv1(nda="V1", klass="E", unit="URG^BOX3")),
                 adt("A04", "2", pid(), pv1(nda="V2", klass="O", unit="CS-CARDIO")),
                 adt("A05", "3", pid(), pv1(nda="V3", klass="I", admit="202612020800")))
    stays = {s.id: s for s in result.of_type("stay")}
    assert stays["V1"].encounter_class == "emergency" and stays["V1"].room == "BOX3"
    assert stays["V2"].encounter_class == "outpatient" and stays["V2"].unit == "CS-CARDIO"
    assert stays["V3"].planned and stays["V3"].admission == at("202612020800")
    admitted = run(tmp_path, adt("A05", "3", pid(), pv1(nda="V3")),
                   adt("A01", "4", pid(), pv1(nda="V3")))
    assert not only(admitted, "stay").planned


def test_transfer_then_cancel_goes_back_to_the_previous_bed(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1(unit="CARDIO^12^A")),
                 adt("A02", "2", pid(), pv1(unit="USIC^3^B", admit="")),
                 adt("A12", "3", pid(), pv1(unit="", admit=""), zbe(action="CANCEL",
                                                                    original="A02", unit="")))
    assert result.rejections == []
    stay = only(result, "stay")
    assert (stay.unit, stay.room, stay.bed) == ("CARDIO", "12", "A")
    assert stay.attending == "Étienne CŒUR"


def test_historic_movement_does_not_move_the_patient(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1(unit="CARDIO^12^A")),
                 adt("A02", "2", pid(), pv1(unit="USIC^3^B", admit=""), zbe(historic="Y")))
    stay = only(result, "stay")
    assert (stay.unit, stay.room) == ("CARDIO", "12")
    assert "mouvement historique (ZBE-5 = Y)" in result.rejections[0].reason_fr


def test_discharge_and_its_cancel(tmp_path):
    discharged = run(tmp_path, adt("A01", "1", pid(), pv1()),
                     adt("A03", "2", pid(), pv1(admit=""), zbe(at="202611271015")))
    assert only(discharged, "stay").discharge == at("202611271015")
    cancelled = run(tmp_path, adt("A01", "1", pid(), pv1()),
                    adt("A03", "2", pid(), pv1(admit=""), zbe(at="202611271015")),
                    adt("A13", "3", pid(), pv1(admit="", discharge="202611271015")))
    assert only(cancelled, "stay").discharge is None


def test_cancel_admission_and_pre_admission_remove_the_stay(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1(nda="V1")),
                 adt("A05", "2", pid(), pv1(nda="V2", admit="202612020800")),
                 adt("A11", "3", pid(), pv1(nda="V1"), zbe(action="CANCEL", original="A01")),
                 adt("A38", "4", pid(), pv1(nda="V2")),
                 adt("A11", "5", pid(), pv1(nda="V9")))
    assert result.of_type("stay") == [] and only(result, "patient").id == "900123"
    (note,) = result.rejections
    assert note.message_number == 5 and "séjour V9 inconnu : rien à annuler" in note.reason_fr


def test_leave_of_absence_and_class_changes(tmp_path):
    mrg = seg("MRG", {1: f"900123^^^{HOSPITAL}^PI", 5: "V1"})
    result = run(tmp_path, adt("A04", "1", pid(), pv1(nda="V1", klass="O", unit="CS")),
                 adt("A21", "2", pid(), pv1(nda="V1", klass="O", unit="CS", admit="")),
                 adt("A22", "3", pid(), pv1(nda="V1", klass="O", unit="CS", admit="")),
                 adt("A06", "4", pid(), mrg, pv1(nda="V2", klass="", unit="CARDIO^1^A")))
    stay = only(result, "stay")
    assert stay.id == "V2" and stay.encounter_class == "inpatient" and stay.unit == "CARDIO"
    assert stay.admission == at("202611250830")
    assert "séjour V1 renuméroté V2" in result.rejections[0].reason_fr
    back = run(tmp_path, adt("A01", "1", pid(), pv1()),
               adt("A07", "2", pid(), pv1(klass="", admit="")))
    assert only(back, "stay").encounter_class == "outpatient"


def test_z99_updates_the_movement(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1()),
                 adt("Z99", "2", pid(), pv1(unit="CARDIO^14^B", admit=""),
                     zbe(action="UPDATE", original="A01")))
    assert result.rejections == [] and only(result, "stay").room == "14"


def test_identity_events_without_a_stay(tmp_path):
    result = run(tmp_path, adt("A28", "1", pid(), seg("PV1", {1: "1", 2: "N"})),
                 adt("A31", "2", pid(name="DUPONT^JEAN^JEAN MARC^^^^L")))
    assert result.rejections == [] and result.of_type("stay") == []
    assert only(result, "patient").first_names == "JEAN MARC"


def test_adt_without_nda_or_pv1_is_reported_with_what_was_kept(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1(nda="")), adt("A01", "2", pid()))
    assert result.of_type("stay") == []
    first, second = result.rejections
    assert "PV1-19 (numéro de séjour, NDA) absent : aucun séjour créé ni modifié" in first.reason_fr
    assert first.kept == "patient 900123"
    assert "segment PV1 absent" in second.reason_fr


def test_a_message_is_refused_whole(tmp_path):
    # a transfer of an unknown stay without admission date: nothing of it is applied
    result = run(tmp_path, adt("A02", "1", pid(ipp="900999"), pv1(admit=""),
                               "AL1|1|DA|PENI^Pénicilline|SV"))
    assert result.records == []
    (rej,) = result.rejections
    assert not rej.kept and "PV1-44 : date d'admission absente et séjour NDA77 inconnu" in (
        rej.reason_fr)


def test_merge_moves_everything_to_the_survivor(tmp_path):
    old = pid(ipp="900111", ins="", name="DUPOND^JEAN^^^^^L")
    survivor = pid(ipp="900222")
    mrg = seg("MRG", {1: f"900111^^^{HOSPITAL}^PI"})
    oru = "\r".join([msh("ORU^R01", "L1"), pid(ipp="900111", ins=""), "OBR|1|C1|LAB1",
                     "OBX|1|NM|2823-3^Potassium||4.1|mmol/L|3.5-5.0|N|||F|||202611270600"])
    result = run(tmp_path, adt("A01", "1", old, pv1(nda="V1"), "AL1|1|DA|PENI^Pénicilline|SV"),
                 adt("A28", "2", survivor), adt("A40", "3", survivor, mrg), oru)
    assert result.rejections == []
    patient = only(result, "patient")
    assert patient.id == "900222" and patient.merged_ipps == ("900111",)
    assert only(result, "stay").ipp == "900222" and only(result, "allergy").ipp == "900222"
    assert only(result, "lab_result").ipp == "900222"  # a later message by the old IPP


def test_merge_without_mrg_or_of_itself_is_refused(tmp_path):
    result = run(tmp_path, adt("A40", "1", pid()),
                 adt("A40", "2", pid(), seg("MRG", {1: f"900123^^^{HOSPITAL}^PI"})))
    assert result.records == []
    assert "segment MRG absent" in result.rejections[0].reason_fr
    assert "est celui du patient conservé" in result.rejections[1].reason_fr


def test_mllp_and_batch_files(tmp_path):
    one, two = adt("A01", "1", pid(), pv1()), adt("A03", "2", pid(), pv1(admit=""))
    result = run(tmp_path, one, two, framing="mllp", name="flux.mllp.hl7")
    assert result.messages == 2 and result.rejections == []
    batch = f"FHS|^~\\&|DPI|CHD\rBHS|^~\\&|DPI|CHD\r{one}\r{two}\rBTS|2\rFTS|1"
    result = run(tmp_path, batch, sep="\r\n", name="lot.hl7")
    assert result.messages == 2 and only(result, "stay").discharge == at("202611250830")


def rxa(counter: int, when: str, amount: str, unit: str, status: str, **more: str) -> str:
    fields = {1: "0", 2: str(counter), 3: when, 5: "9213718^Paracétamol 1 g^UCD", 6: amount,
              7: unit, 20: status}
    return seg("RXA", fields | {int(k): v for k, v in more.items()})


def test_ras_o17_records_administrations(tmp_path):
    ras = "\r".join([
        msh("RAS^O17^RAS_O17", "R1"), pid(), pv1(admit=""),
        "ORC|SC|P1",
        rxa(1, "202611270805", "1.000", "g", "CP", **{"10": "0000456^INFIRMIER^Anne"}),
        "RXR|PO",
        rxa(2, "202611271405", "0", "", "RE"),
        "ORC|SC|P2",
        rxa(1, "202611271200", "0.2500", "mg", "ZZ")])
    result = run(tmp_path, adt("A01", "1", pid(), pv1()), ras)
    given, refused = sorted(result.of_type("medication_administration"), key=lambda a: a.id)
    assert (given.id, given.order_id, given.ipp) == ("P1-1", "P1", "900123")
    assert given.at == at("202611270805") and given.dose_given == "1 g"
    assert given.by == "Anne INFIRMIER" and given.status == "given"
    assert (refused.status, refused.dose_given) == ("refused", "")
    (rej,) = result.rejections
    assert rej.reason_fr == "RXA 1 : RXA-20 statut « ZZ » inconnu (CP, RE, NA, PA)"
    assert rej.kept == "administrations : 2"
    deleted = run(tmp_path, adt("A01", "1", pid(), pv1()), ras,
                  ras.replace("|CP", "|CP|D").replace("ORC|SC|P2", "ORC|SC|P3"))
    assert "|CP|D" in ras.replace("|CP", "|CP|D")
    assert [a.id for a in deleted.of_type("medication_administration")] == ["P1-2"]


def test_renumbered_stay_keeps_its_earlier_beds(tmp_path):
    mrg = seg("MRG", {1: f"900123^^^{HOSPITAL}^PI", 5: "V1"})
    result = run(tmp_path, adt("A01", "1", pid(), pv1(nda="V1", unit="CARDIO^12^A")),
                 adt("A02", "2", pid(), pv1(nda="V1", unit="USIC^3^B", admit="")),
                 adt("A07", "3", pid(), mrg, pv1(nda="V2", klass="O", unit="USIC^3^B")),
                 adt("A12", "4", pid(), pv1(nda="V2", unit="", admit="")))
    stay = only(result, "stay")
    assert (stay.id, stay.unit, stay.room, stay.bed) == ("V2", "CARDIO", "12", "A")
