"""HL7 v2 importer: French ADT flow, lab results, medication orders, charsets, samples."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options
from pcsauvegarde.publisher.importers.hl7v2.importer import import_hl7
from tests.support.hl7 import PID, message, seg, visit, write_messages

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "hl7v2"
if not SAMPLES.is_dir():
    SAMPLES = Path("/work/shared/testdata/hl7v2")
UTC = dt.UTC

def test_adt_flow_admission_transfer_update_discharge(tmp_path):
    path = write_messages(tmp_path, "adt.hl7",
                  message("ADT^A01^ADT_A01", "1", "EVN|A01|202611250830", PID, visit(),
                       "AL1|1|DA|PENI^Pénicilline|SV|Œdème de Quincke~Urticaire",
                       "DG1|1||I10^Hypertension artérielle"),
                  message("ADT^A02", "2", "EVN|A02|202611260900", PID,
                       visit(unit="USIC", room="3", bed="", admit="")),
                  message("ADT^A08", "3", "EVN|A08|202611261000", PID.replace("DUPRÉ", "DUPRÈS"),
                       visit(unit="USIC", room="3", bed="", admit="")),
                  message("ADT^A03", "4", "EVN|A03|202611271015", PID.replace("DUPRÉ", "DUPRÈS"),
                       visit(unit="USIC", room="3", bed="", admit="")),
                  sep="\r\n")
    result = import_hl7([path])
    assert result.rejections == []
    (patient,) = result.of_type("patient")
    assert patient.id == "900123" and patient.birth_name == "LÉGER"
    assert patient.first_names == "Hélène Marie" and patient.used_name == "DUPRÈS"
    assert patient.ins == "123456789012311" and patient.ins_status == "validée"
    assert patient.birth_place_code == "75056" and patient.birth_date == dt.date(1948, 3, 9)
    (stay,) = result.of_type("stay")
    assert (stay.id, stay.unit, stay.room) == ("NDA77", "USIC", "3")
    assert stay.admission == dt.datetime(2026, 11, 25, 7, 30, tzinfo=UTC)  # Paris winter time
    assert stay.discharge == dt.datetime(2026, 11, 27, 9, 15, tzinfo=UTC)
    assert stay.attending == "Étienne CŒUR"
    (allergy,) = result.of_type("allergy")
    assert allergy.substance == "Pénicilline" and allergy.severity == "sévère"
    assert allergy.reaction == "Œdème de Quincke, Urticaire"
    assert result.of_type("condition")[0].label == "Hypertension artérielle"


@pytest.mark.parametrize("sep", ["\r", "\n", "\r\n"])
def test_separators_and_latin1(tmp_path, sep):
    msg = message("ADT^A01", "9", PID, visit(), charset="8859/1").replace("Cœur", "Coeur")
    path = write_messages(tmp_path, "latin.hl7", msg, msg, sep=sep, encoding="latin-1")
    result = import_hl7([path])
    assert result.rejections == [] and result.messages == 2
    assert result.of_type("patient")[0].first_names == "Hélène Marie"


def test_latin1_without_charset_is_refused_clearly(tmp_path):
    msg = message("ADT^A01", "9", PID, visit(), charset="").replace("Cœur", "Coeur")
    (rej,) = import_hl7([write_messages(tmp_path, "x.hl7", msg, encoding="latin-1")]).rejections
    assert "MSH-18" in rej.message() and "x.hl7, message 1 (ligne 1)" in rej.message()


def test_oru_results_flags_and_bad_obx_refused_alone(tmp_path):
    msg = message("ORU^R01", "L1", PID, "ORC|RE|CMD1|LAB1",
               seg("OBR", {1: "1", 2: "CMD1", 3: "LAB1", 4: "BIO^Bilan", 7: "202611270600",
                           22: "202611270745"}),
               "OBX|1|NM|2823-3^Potassium^LN||6.1|mmol/L|3.5-5.0|HH|||F",
               "OBX|2|NM|2951-2^Sodium^LN||139|mmol/L|135-145|N|||F",
               "OBX|3|NM|2160-0^Créatinine^LN||95|µmol/L|45-90|ZZ|||F",
               "OBX|4|NM|718-7^Hémoglobine^LN||9.1|g/dL|12-16|L|||D")
    result = import_hl7([write_messages(tmp_path, "oru.hl7", msg)])
    k, na = sorted(result.of_type("lab_result"), key=lambda r: r.code)
    assert (k.id, k.value, k.abnormal, k.unit) == ("LAB1-2823-3", "6.1", "HH", "mmol/L")
    assert k.collected_at == dt.datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    assert k.validated_at == dt.datetime(2026, 11, 27, 6, 45, tzinfo=UTC)
    assert na.abnormal == "N"
    (rej,) = result.rejections
    assert "OBX 3" in rej.reason_fr and "« ZZ »" in rej.reason_fr


def test_rde_orders_timing(tmp_path):
    msg = message("RDE^O11", "M1", PID, visit(),
               "ORC|NW|P1||||||||||0000123^Cœur^Étienne",
               "RXE||9213718^Paracétamol 1 g comprimé^UCD|1||g|||||||||",
               "RXR|PO^Orale", "TQ1|1||Q6H||||202611270800",
               "ORC|NW|P2", "RXE|^BID&0800,2000^^202611270800|Amoxicilline 500 mg|500||mg",
               "ORC|NW|P3", "RXE|^^^202611270800^^PRN|Morphine 10 mg|10||mg",
               "ORC|NW|P4", "RXE|^3 fois par jour au repas^^202611270800|Gaviscon|1||sachet",
               "ORC|NW|P5", "RXE|^Q6H^^20261127|Héparine||",
               "ORC|NW|P6", "RXE|^Q6H^^20261127||1||mg")
    result = import_hl7([write_messages(tmp_path, "rde.hl7", msg)])
    orders = {o.id: o for o in result.of_type("medication_order")}
    p1 = orders["P1"]
    assert p1.code == "9213718" and p1.route == "Orale" and p1.prescriber == "Étienne CŒUR"
    assert p1.timing.kind == "every_hours" and p1.timing.every_hours == 6 and p1.nda == "NDA77"
    assert orders["P2"].timing.times == ("08:00", "20:00")
    assert orders["P3"].timing.kind == "as_needed"
    assert orders["P4"].timing.kind == "text"
    assert orders["P4"].timing.text == "3 fois par jour au repas"
    assert orders["P5"].start == dt.datetime(2026, 11, 26, 23, 0, tzinfo=UTC)  # date only
    (rej,) = result.rejections  # P6 has no drug: refused alone, the others are kept
    assert "commande P6" in rej.reason_fr and "RXE-2" in rej.reason_fr


def test_unknown_patient_without_identity_refused_known_one_kept(tmp_path):
    bare = "PID|1||900123^^^CHD^PI"
    first = message("ADT^A03", "1", "EVN|A03|202611271015", bare, visit())
    result = import_hl7([write_messages(tmp_path, "a.hl7", first)])
    assert "PID-5" in result.rejections[0].reason_fr and result.records == []
    full = message("ADT^A01", "0", PID, visit())
    result = import_hl7([write_messages(tmp_path, "b.hl7", full, first)])
    assert result.rejections == []
    assert result.of_type("stay")[0].discharge is not None


def test_shared_samples_import_or_are_refused_with_a_reason():
    files = sorted(SAMPLES.glob("*.hl7"))
    assert len(files) >= 10
    # US samples: the record number is an MR identifier of no declared authority
    result = import_hl7(files, Hl7Options(ipp_types=("PI", "MR")))
    refused = {r.file for r in result.rejections if not r.kept}
    imported = {f.name for f in files} - refused
    assert {"l4h_ORU_R01_orc_obr_obx.hl7", "l4h_RDE_O11_full.hl7",
            "l4h_RDE_O11_allergy.hl7", "l4h_sample_unix_ADT_A01.hl7"} <= imported
    for r in result.rejections:
        assert r.reason_fr and r.file in r.message()
    reasons = {r.file: r.reason_fr for r in result.rejections}
    assert "non pris en charge" in reasons["l4h_ORM_O01_obr.hl7"]
    assert "PID-7" in reasons["l4h_ADT_A01_full.hl7"]
    assert "aucun IPP (type PI/MR) (trouvés : sans type)" in reasons["l4h_ORU_R01_two_obr.hl7"]
    flags = {r.code: r.abnormal for r in result.of_type("lab_result")}
    assert flags["22316-4"] == "H"
    (order,) = result.of_type("medication_order")
    assert order.timing.kind == "fixed_times" and order.timing.times == ("06:00",)
    assert order.route == "IM" and order.dose == "2" and order.unit == "g"
