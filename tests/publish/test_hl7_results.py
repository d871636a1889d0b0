"""HL7 v2 lab results and medication mapping: statuses, units, ranges, text, escapes, doses."""

from __future__ import annotations

import pytest

from pcsauvegarde.publisher.importers.hl7v2.values import decimal_fr, unescape
from pcsauvegarde.publisher.sources import import_sources
from tests.support.pam import OPTIONS, adt, msh, only, pid, pv1, run, seg


def oru(ctl: str, *obx: str) -> str:
    return "\r".join([msh("ORU^R01^ORU_R01", ctl), pid(), "ORC|RE|CMD1|LAB1",
                      seg("OBR", {1: "1", 2: "CMD1", 3: "LAB1", 4: "BIO^Bilan",
                                  7: "202611270600", 22: "202611270745"}), *obx])


def obx(n: int, kind: str, code: str, value: str, unit: str = "", ref: str = "",
        flag: str = "", status: str = "F") -> str:
    return seg("OBX", {1: str(n), 2: kind, 3: code, 5: value, 6: unit, 7: ref, 8: flag,
                       11: status})


def test_result_statuses_are_kept_and_d_removes(tmp_path):
    first = oru("L1", obx(1, "NM", "2823-3^Potassium^LN", "6.1", "mmol/L", "3.5-5.0", "HH", "P"),
                obx(2, "NM", "2951-2^Sodium^LN", "139", "mmol/L", "135-145", "N", "F"),
                obx(3, "NM", "718-7^Hémoglobine^LN", "9.1", "g/dL", "12-16", "L", "F"))
    second = oru("L2", obx(1, "NM", "2823-3^Potassium^LN", "5.9", "mmol/L", "3.5-5.0", "H", "C"),
                 obx(3, "NM", "718-7^Hémoglobine^LN", "9.1", "g/dL", "12-16", "L", "D"))
    result = run(tmp_path, first)
    statuses = {r.code: r.status for r in result.of_type("lab_result")}
    assert statuses == {"2823-3": "preliminary", "2951-2": "final", "718-7": "final"}
    result = run(tmp_path, first, second)
    assert result.rejections == []
    results = {r.code: r for r in result.of_type("lab_result")}
    assert set(results) == {"2823-3", "2951-2"}  # D: the haemoglobin was deleted
    assert (results["2823-3"].value, results["2823-3"].status) == ("5.9", "corrected")
    nulled = run(tmp_path, first, oru("L3", obx(2, "NM", "2951-2^Sodium^LN", '""')))
    assert {r.code for r in nulled.of_type("lab_result")} == {"2823-3", "718-7"}
    assert results["2823-3"].abnormal == "H" and results["2823-3"].unit == "mmol/L"


@pytest.mark.parametrize(("unit", "expected"), [
    ("266016^MDC_DIM_MMHG^MDC", "mmHg"),
    ("264864^MDC_DIM_BEAT_PER_MIN^MDC", "/min"),
    ("mmol/L^millimole par litre^UCUM", "mmol/L"),
    ("^g/L", "g/L"),
    ("12345^^L^mg/dL^^UCUM", "mg/dL"),
    ("G/L", "G/L"),
])
def test_units_prefer_text_or_ucum_over_numeric_codes(tmp_path, unit, expected):
    result = run(tmp_path, oru("L1", obx(1, "NM", "X^Mesure", "1", unit)))
    assert only(result, "lab_result").unit == expected


@pytest.mark.parametrize(("ref", "expected"), [
    ("3.5-5.0", "3.5-5"), ("<10", "<10"), ("^^10.000000", "10"), ("3.50^5.00", "3.5-5"),
    ("> 60", "> 60"), ('""', ""), ("0.25-0.75", "0.25-0.75"),
])
def test_every_reference_range_form(tmp_path, ref, expected):
    result = run(tmp_path, oru("L1", obx(1, "NM", "X^Mesure", "1", "g/L", ref)))
    assert only(result, "lab_result").reference_range == expected


def test_text_results_line_breaks_escapes_and_no_control_characters(tmp_path, capfd):
    text = ("Ligne 1\\.br\\Ligne \\H\\2\\N\\ : caf\\XC3A9\\ et \\X00E9\\t\\X0007\\ "
            "\\Zopaque\\fin \\F\\ \\S\\ \\T\\ \\E\\")
    result = run(tmp_path, oru("L1", obx(1, "TX", "COMM^Commentaire", text, status="F"),
                               obx(2, "TX", "COMM^Commentaire", "suite du texte")))
    capfd.readouterr()
    lab = only(result, "lab_result")
    assert lab.value == "Ligne 1\nLigne 2 : café et ét fin | ^ & \\\nsuite du texte"
    assert not any(ord(c) < 32 and c != "\n" for c in lab.value)
    assert "Error decoding" not in capfd.readouterr().err


def test_unescape_rules():
    assert unescape("a\\X00E9\\b") == "aéb"
    assert unescape("a\\X41\\b") == "aAb"
    assert unescape("\\X0007\\") == ""  # a control character never survives
    assert unescape("a\\Zxx\\b\\C2842\\c") == "abc"
    assert unescape("reste \\ non fermé") == "reste \\ non fermé"
    assert unescape("tab\there\x01") == "tab here "


def test_doubled_prefixes_are_gone(tmp_path):
    result = run(tmp_path, oru("L1", obx(1, "NM", "2823-3^Potassium", "6.1", flag="ZZ"),
                               obx(2, "NM", "2951-2^Sodium", "139", status="Q"),
                               obx(3, "NM", "2160-0^Créatinine", "95")))
    first, second = result.rejections
    assert first.reason_fr == ("OBX 1 : OBX-8 indicateur d'anomalie « ZZ » inconnu "
                               "(N, L, H, LL, HH, A, AA, <, >)")
    assert second.reason_fr.startswith("OBX 2 : OBX-11 statut du résultat « Q » inconnu")
    assert first.kept == "patient 900123, résultats de biologie : 1"


def test_narrative_lines_without_code_are_counted(tmp_path):
    result = run(tmp_path, oru("L1", obx(1, "NM", "2823-3^Potassium", "4.1"),
                               obx(2, "TX", "", "Commentaire libre")))
    (note,) = result.rejections
    assert "1 ligne(s) OBX de compte rendu sans code d'analyse (OBX-3) non importée(s)" in (
        note.reason_fr)


def rde(*segments: str) -> str:
    return "\r".join([msh("RDE^O11^RDE_O11", "M1"), pid(), pv1(admit=""), *segments])


def test_doses_routes_in_odd_order_and_allergy_severity(tmp_path):
    result = run(tmp_path, adt("A01", "1", pid(), pv1(), "AL1|1|DA|PENI^Pénicilline|MODERATE",
                               "AL1|2|DA|IODE^Iode|U", "AL1|3|DA|LATEX^Latex|MILD"),
                 rde("ORC|NW|P1", "RXE|^Q6H^^202611270800|9213718^Paracétamol^UCD|0.2500|0.2500|g",
                     "RXR|PO^Orale",
                     "ORC|NW|P2", "RXR|IV^Intraveineuse", "RXE|^Q8H^^202611270800|Amox|0.25|0.50|g",
                     "RXR|PO^Orale",
                     "ORC|NW|P3", "RXR|SC^Sous-cutanée", "RXE|^QD^^202611270800|Héparine|5000||UI"))
    assert result.rejections == []
    orders = {o.id: o for o in result.of_type("medication_order")}
    assert (orders["P1"].dose, orders["P1"].route) == ("0,25", "Orale")
    assert (orders["P2"].dose, orders["P2"].route) == ("0,25 à 0,5", "Orale")
    assert (orders["P3"].dose, orders["P3"].route) == ("5000", "Sous-cutanée")
    severities = {a.substance: a.severity for a in result.of_type("allergy")}
    assert severities == {"Pénicilline": "modérée", "Iode": "", "Latex": "légère"}


@pytest.mark.parametrize(("value", "expected"), [
    ("0.2500", "0,25"), ("1.000", "1"), ("10", "10"), ("1,50", "1,5"), ("1 à 2", "1 à 2"),
    ("", ""),
])
def test_decimal_fr(value, expected):
    assert decimal_fr(value) == expected


def test_txt_holding_hl7_is_read_and_others_are_reported(tmp_path):
    hl7 = tmp_path / "export.txt"
    hl7.write_bytes(b"\x0b" + adt("A01", "1", pid(), pv1()).encode() + b"\x1c\r")
    other = tmp_path / "notes.txt"
    other.write_text("bonjour", encoding="utf-8")
    records, refusals = import_sources([hl7, other], OPTIONS)
    assert {r.TYPE for r in records} == {"patient", "stay"}
    assert refusals == [("notes.txt : ignoré : extension inconnue (.ndjson, .json, .hl7 ou "
                        ".csv attendus, ou un fichier HL7 v2 commençant par MSH)")]
