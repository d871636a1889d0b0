"""HL7 v2 identity per IHE PAM France: IPP by type and authority, INS by OID and key, names."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.core.ins import ins_problem
from pcsauvegarde.core.records import Patient, RecordError, record_from_dict
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options, given_names
from tests.support.pam import (
    CORSICA,
    HOSPITAL,
    INS_C,
    INS_NIA,
    INVALID,
    NIA,
    NIR,
    TEST_NIR,
    adt,
    only,
    pid,
    pv1,
    run,
    zbe,
)


def test_first_given_name_and_list_of_given_names_are_kept_apart(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1()))
    assert result.rejections == []
    patient = only(result, "patient")
    assert patient.first_names == "JEAN PHILIPPE"  # not « JEAN PHILIPPE JEAN PHILIPPE »
    assert patient.first_name == "JEAN PHILIPPE"
    assert patient.birth_name == "DUPONT" and patient.birth_date == dt.date(1969, 2, 27)
    result = run(tmp_path, adt("A01", "2", pid(name="MARTIN^Marie^Marie Louise Anne^^^^L~"
                                              "DURAND^Malou^^^^^D"), pv1()))
    patient = only(result, "patient")
    assert (patient.first_name, patient.first_names) == ("Marie", "Marie Louise Anne")
    assert (patient.used_name, patient.used_first_name) == ("DURAND", "Malou")


@pytest.mark.parametrize(("first", "listed", "expected"), [
    ("Hélène", "Marie", ("Hélène", "Hélène Marie")),          # older senders: other names
    ("Jean", "Jean Pierre Marie", ("Jean", "Jean Pierre Marie")),  # PAM FR full list
    ("", "Paul Louis", ("Paul", "Paul Louis")),
    ("Anne", "", ("Anne", "Anne")),
    ("Jean", "Jeanne Marie", ("Jean", "Jean Jeanne Marie")),  # prefix but not a whole word
])
def test_given_names(first, listed, expected):
    assert given_names(first, listed) == expected


def test_ipp_is_the_pi_identifier_of_the_hospital_never_the_first_one(tmp_path):
    ids = f"1234567890123^^^{INS_C}~GHT-555^^^GHT&1.2.250.1.999.9&ISO^PI"
    result = run(tmp_path, adt("A01", "1", pid(ipp="DDS-67148", extra_ids=ids), pv1()))
    assert result.rejections == []
    patient = only(result, "patient")
    assert patient.id == "DDS-67148" and patient.ins == NIR and patient.ins_status == "validée"
    assert only(result, "stay").ipp == "DDS-67148"


def test_several_ipps_without_a_configured_authority_are_refused(tmp_path):
    ids = "GHT-555^^^GHT&1.2.250.1.999.9&ISO^PI"
    result = run(tmp_path, adt("A01", "1", pid(extra_ids=ids), pv1()), options=Hl7Options())
    (rej,) = result.rejections
    assert result.records == [] and not rej.kept
    assert "PID-3 : 2 identifiants différents de type PI" in rej.reason_fr
    assert "hl7v2.ipp_authorities" in rej.reason_fr
    one = run(tmp_path, adt("A01", "2", pid(), pv1()), options=Hl7Options())
    assert only(one, "patient").id == "900123"  # a single PI needs no configuration


def test_no_matching_identifier_is_refused_clearly(tmp_path):
    message = adt("A01", "1", pid(ipp="", extra_ids=f"1234567890123^^^{INS_C}"), pv1())
    (rej,) = run(tmp_path, message).rejections
    assert rej.message().startswith("pam.hl7, message 1 (ligne 1) : ADT^A01 refusé (1)")
    assert ("PID-3 : aucun IPP (type PI de l'autorité 1.2.250.1.999.1.1.1) "
            "(trouvés : NH ASIP-SANTE-INS-C, INS ASIP-SANTE-INS-NIR)") in rej.reason_fr
    assert "jamais choisi par position" in rej.reason_fr


def test_hl7_null_identifier_is_absent_not_an_ipp(tmp_path):
    message = adt("A01", "1", pid(ipp="", ins="", extra_ids=f'""^^^{HOSPITAL}^PI'), pv1())
    result = run(tmp_path, message)
    assert result.records == [] and "aucun IPP" in result.rejections[0].reason_fr


def test_nda_from_pid18_by_configuration(tmp_path):
    options = Hl7Options(ipp_authorities=("CHD",), nda_field="PID-18")
    message = adt("A01", "1", pid(P18="V2026-000123^^^CHD^AN"), pv1(nda="IGNORED"))
    stay = only(run(tmp_path, message, options=options), "stay")
    assert stay.id == "V2026-000123"


@pytest.mark.parametrize(("ins", "authority", "kept"), [
    (NIR, "ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS", NIR),
    (NIA, INS_NIA.split("^")[0] + "^INS", NIA),
    (CORSICA, "ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS", CORSICA),
    (TEST_NIR, "ASIP-SANTE-INS-NIR-TEST&1.2.250.1.213.1.4.10&ISO^INS", TEST_NIR),
    (CORSICA.lower(), "ASIP&1.2.250.1.213.1.4.8&ISO^INS", CORSICA),
])
def test_ins_recognised_by_oid_and_validated(tmp_path, ins, authority, kept):
    result = run(tmp_path, adt("A01", "1", pid(ins=ins, ins_authority=authority), pv1()))
    assert result.rejections == []
    assert only(result, "patient").ins == kept


def test_ins_without_its_oid_is_not_an_ins(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(ins=NIR, ins_authority="INSEE^SS"), pv1()))
    patient = only(result, "patient")
    assert patient.ins == "" and patient.ins_status == ""


def test_invalid_ins_drops_only_the_ins_and_says_so(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(ins=INVALID), pv1(), zbe()))
    patient = only(result, "patient")
    assert patient.ins == "" and patient.ins_status == "" and patient.id == "900123"
    assert only(result, "stay").id == "NDA77"  # the stay is kept too
    (rej,) = result.rejections
    assert rej.kept == "patient 900123, séjour NDA77"
    assert "INS (NIR) invalide ignoré : premier chiffre 1, 2, 3, 4, 7 ou 8 attendu" in rej.reason_fr
    assert "appliqué en partie" in rej.message() and "conservé : patient 900123" in rej.message()


def test_invalid_ins_does_not_erase_a_valid_one(tmp_path):
    bad_key = NIR[:-2] + "00"
    result = run(tmp_path, adt("A01", "1", pid(), pv1()),
                 adt("A08", "2", pid(ins=bad_key, name="DUPONT^JEAN^JEAN LUC^^^^L"), pv1()))
    patient = only(result, "patient")
    assert patient.ins == NIR and patient.ins_status == "validée"
    assert patient.first_names == "JEAN LUC"
    assert "clé de contrôle 00 incorrecte (attendue 85)" in result.rejections[0].reason_fr


def test_ins_rules():
    assert ins_problem(NIR) == ins_problem(NIA) == ins_problem(CORSICA) == ""
    assert "clé" in ins_problem(NIR[:-1] + "6")
    assert "15 caractères" in ins_problem("12345")
    assert "15 caractères" in ins_problem("2840229C0123457")
    base = {"type": "patient", "id": "1", "birth_name": "A", "first_names": "B",
            "birth_date": "2000-01-01", "sex": "F"}
    assert record_from_dict({**base, "ins": CORSICA}).ins == CORSICA
    assert record_from_dict({**base, "ins": NIR[:-2] + "00"}).ins  # the key is the importer's
    with pytest.raises(RecordError, match="INS « 987654321654321 » invalide"):
        record_from_dict({**base, "ins": INVALID})
    assert isinstance(record_from_dict({**base, "first_name": "B", "merged_ipps": ["7"]}),
                      Patient)


def test_null_fields_delete_instead_of_failing(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1(discharge='""')),
                 adt("A08", "2", pid(), pv1(unit="CARDIO^14^B", discharge='""',
                                            P7='""')))
    assert result.rejections == []
    stay = only(result, "stay")
    assert stay.discharge is None and stay.attending == "" and stay.room == "14"
