"""The PAM FR sample files (MLLP-framed .txt and FHS/BHS batch), read back field by field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pcsauvegarde.publisher.importers.hl7v2.importer import import_hl7
from pcsauvegarde.publisher.sources import import_sources
from tests.support.pam import CORSICA, NIA, NIR, OPTIONS

DATA = Path(__file__).parent / "data" / "hl7"
FILES = [DATA / "pam_fr_mllp.txt", DATA / "pam_fr_batch.hl7"]
UTC = dt.UTC


def test_sample_files_field_by_field():
    result = import_hl7(FILES, OPTIONS)
    assert result.messages == 18
    by = {(r.TYPE, r.id): r for r in result.records}
    dupont = by[("patient", "900123")]
    assert (dupont.birth_name, dupont.first_name, dupont.first_names) == (
        "DUPONT", "JEAN PHILIPPE", "JEAN PHILIPPE")
    assert (dupont.ins, dupont.ins_status, dupont.sex) == (NIR, "validée", "M")
    assert dupont.birth_date == dt.date(1969, 2, 27) and dupont.merged_ipps == ("900999",)
    assert by[("patient", "900600")].ins == NIA and by[("patient", "900700")].ins == CORSICA
    assert by[("patient", "900500")].ins == ""  # invalid INS left out, patient kept
    lise = by[("patient", "900400")]
    assert (lise.first_name, lise.first_names, lise.sex) == ("Lise", "Lise Anne", "F")
    assert ("stay", "V500") not in by  # A11: admission cancelled
    ed = by[("stay", "V300")]
    assert (ed.unit, ed.room, ed.encounter_class, ed.planned) == ("URG", "BOX1", "emergency",
                                                                  False)
    zbe = by[("stay", "V600")]
    assert (zbe.unit, zbe.room) == ("7771", "")
    assert zbe.admission == dt.datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert by[("stay", "V700")].discharge is None  # A03 then A13
    assert by[("stay", "V800")].planned
    k = by[("lab_result", "LAB1-2823-3")]
    assert (k.ipp, k.value, k.unit, k.reference_range, k.abnormal, k.status) == (
        "900400", "4.1", "mmol/L", "3.5-5", "N", "preliminary")
    assert k.collected_at == dt.datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    assert by[("lab_result", "LAB2-718-7")].status == "corrected"
    assert by[("lab_result", "LAB1-COMM")].value == "Hémolyse\nà contrôler café"
    amox = by[("medication_order", "P2")]
    assert (amox.dose, amox.unit, amox.route, amox.nda) == ("0,25", "g", "Orale", "NDA77")
    given = by[("medication_administration", "P1-1")]
    assert (given.order_id, given.dose_given, given.status) == ("P1", "1 g", "given")
    assert by[("allergy", "900123-PENI")].severity == "modérée"
    assert [r.message_number for r in result.rejections] == [4, 7, 10]
    assert [bool(r.kept) for r in result.rejections] == [True, True, False]


def test_txt_file_is_recognised_by_content():
    records, refusals = import_sources(FILES, OPTIONS)
    assert len(records) == 20 and len(refusals) == 3
