"""Downtime admissions: validation in French, provisional numbers, CSV export for re-entry."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from click.testing import CliRunner

from pcsauvegarde.station.state.admissions import (
    AdmissionError,
    AdmissionInvalid,
    Admissions,
    export_csv,
    validate,
)
from pcsauvegarde.station.state.statedb import StateDB

UNITS = {"URG": "Urgences", "REA": "Réanimation"}
TODAY = dt.date(2026, 11, 27)
GOOD = {"birth_name": "N'Diaye-Lefèvre", "used_name": "", "first_names": "Aïssa Marie",
        "birth_date": "03/02/1948", "sex": "F", "birth_place": "Dakar", "unit": "URG",
        "room": "12", "bed": "B", "reason": "Chute"}


def test_good_form_is_normalised():
    req = validate({**GOOD, "first_names": "  Aïssa   Marie "}, UNITS, TODAY)
    assert req.birth_name == "N'DIAYE-LEFÈVRE" and req.first_names == "Aïssa Marie"
    assert req.birth_date == dt.date(1948, 2, 3) and req.sex == "F"
    assert validate({**GOOD, "birth_date": "1948-02-03"}, UNITS, TODAY).birth_date.day == 3


@pytest.mark.parametrize("field, value, message", [
    ("birth_name", "A" * 81, "80 caractères au plus"),
    ("first_names", "Jean\x00", "caractères de contrôle interdits"),
    ("reason", "ligne 1\nligne 2", "caractères de contrôle interdits"),
    ("birth_name", "Dupont\u202e", "caractères de contrôle interdits"),
    ("birth_date", "28/11/2026", "date dans le futur"),
    ("birth_date", "31/02/1990", "date invalide"),
    ("birth_date", "01/01/1850", "date improbable"),
    ("unit", "CHIR", "unité « CHIR » inconnue"),
    ("birth_name", "", "obligatoire"),
    ("sex", "X", "M, F ou I"),
    ("birth_name", "Dupont2", "lettres seulement"),
    ("room", "12<script>", "lettres, chiffres"),
])
def test_bad_input_is_refused_field_by_field_in_french(field, value, message):
    with pytest.raises(AdmissionInvalid) as exc:
        validate({**GOOD, field: value}, UNITS, TODAY)
    assert list(exc.value.errors) == [field]
    assert message in exc.value.errors[field]


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(AdmissionInvalid) as exc:
        validate({"birth_name": "", "first_names": "", "sex": "", "unit": ""}, UNITS, TODAY)
    assert set(exc.value.errors) == {"birth_name", "first_names", "birth_date", "sex", "unit"}


def _register(tmp_path, ipp="90000001-90000003", nda="900000001-900000099"):
    return Admissions(StateDB(tmp_path / "station.sqlite"), "urgences-1", ipp, nda)


def test_admission_gets_provisional_numbers_and_is_searchable(tmp_path):
    register = _register(tmp_path)
    req = validate(GOOD, UNITS, TODAY)
    a = register.admit(req, "infirmiere")
    b = register.admit(req, "infirmiere")
    assert (a.ipp, a.nda, b.ipp, b.nda) == ("90000001", "900000001", "90000002", "900000002")
    assert {x.ipp for x in register.search("diaye-lefevre aissa")} == {a.ipp, b.ipp}
    assert [x.ipp for x in register.search("900000002")] == [b.ipp]
    assert len(register.search("03/02/1948")) == 2
    assert register.remaining() == {"ipp": 1, "nda": 97}


def test_collision_with_a_real_number_refuses_and_consumes_nothing(tmp_path):
    register = _register(tmp_path)
    req = validate(GOOD, UNITS, TODAY)
    with pytest.raises(AdmissionError, match="chevauche des numéros réels"):
        register.admit(req, "infirmiere", is_known=lambda n: n == "90000001")
    assert register.all() == [] and register.remaining()["ipp"] == 3


def test_exhausted_range_is_a_clear_error(tmp_path):
    from pcsauvegarde.station.state.numbering import RangeExhausted
    register = _register(tmp_path, ipp="90000001-90000001")
    req = validate(GOOD, UNITS, TODAY)
    register.admit(req, "infirmiere")
    with pytest.raises(RangeExhausted, match="épuisée"):
        register.admit(req, "infirmiere")
    assert len(register.all()) == 1


def test_csv_export_is_safe_against_formula_injection(tmp_path):
    register = _register(tmp_path)
    register.admit(validate({**GOOD, "reason": "=HYPERLINK(\"http://x\")"}, UNITS, TODAY), "ide")
    register.admit(validate({**GOOD, "reason": "+33 6 12", "birth_place": "@Lyon"}, UNITS,
                            TODAY), "ide")
    out = io.StringIO()
    assert export_csv(register.all(), out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue()), delimiter=";"))
    assert [r["ipp_provisoire"] for r in rows] == ["90000001", "90000002"]
    assert rows[0]["motif"] == "'=HYPERLINK(\"http://x\")"
    assert rows[1]["motif"] == "'+33 6 12" and rows[1]["lieu_naissance"] == "'@Lyon"
    assert rows[0]["nom_naissance"] == "N'DIAYE-LEFÈVRE" and rows[0]["poste"] == "urgences-1"
    for row in rows:
        assert not any(v and v[0] in "=+-@" for v in row.values())


def test_cli_export(tmp_path):
    from pcsauvegarde.cli.main import main
    from pcsauvegarde.station.settings import load_settings
    s = load_settings(tmp_path)
    Admissions(StateDB(tmp_path / "station.sqlite"), s.station_id, s.provisional_ipp_range,
               s.provisional_nda_range).admit(validate(GOOD, UNITS, TODAY), "ide")
    target = tmp_path / "out.csv"
    r = CliRunner().invoke(main, ["admissions", "export", "--data", str(tmp_path), "-o",
                                  str(target)])
    assert r.exit_code == 0, r.output
    assert "1 admission(s) exportée(s)" in r.output
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("ipp_provisoire;nda_provisoire;") and "90000001" in text
    r = CliRunner().invoke(main, ["admissions", "export", "--data", str(tmp_path / "vide")])
    assert r.exit_code != 0 and "aucune station dans" in r.output  # no folder: nothing created
    assert not (tmp_path / "vide").exists()
    (tmp_path / "vide").mkdir()
    r = CliRunner().invoke(main, ["admissions", "export", "--data", str(tmp_path / "vide")])
    assert r.exit_code != 0 and "aucune base de station" in r.output
