"""During an exercise every number comes from an exercise range: no real number is used up."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.station import exercise, patients
from pcsauvegarde.station.issuing.issue import issue_patient_document
from pcsauvegarde.station.lab.register import register_of as lab_register
from pcsauvegarde.station.settings import ConfigError, load_settings
from pcsauvegarde.station.state.admissions import AdmissionRequest
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sterilisation.service import register as tray_register


@pytest.fixture
def lab_station(settings):
    s = load_settings(settings.data_dir, {"lab_range": "9500001-9599999",
                                          "lab_number_length": 8, "lab_check": "luhn"})
    return open_station(s)


def _admit(station):
    req = AdmissionRequest("EXERCICE", "Jean", dt.date(1970, 1, 1), "M", "CHD")
    return patients.admissions_of(station).admit(req, "infirmiere")


def _numbers(station):
    """One number of each kind, as issued now."""
    ipp = patients.inpatients(station, "CHD")[0].patient.id
    doc = issue_patient_document(station, "summary", ipp, "infirmiere").document.number
    batch = lab_register(station).allocate("patient", 1, 2, "infirmiere", ipp=ipp)
    tray = tray_register(station).allocate([("PL-1", "BLOC", None)], dt.date(2026, 11, 27),
                                           "op", "infirmiere")[0].number
    admission = _admit(station)
    return {"document": doc, "labo": batch.numbers[0], "plateau": tray,
            "ipp": admission.ipp, "nda": admission.nda}


def test_an_exercise_never_uses_up_real_numbers(lab_station):
    station = lab_station
    real_before = _numbers(station)
    assert real_before["document"] == "STATION-DEMO-0000001"
    assert real_before["labo"] == "95000014" and real_before["plateau"] == "ST000001"

    exercise.start(station, "chef", "Panne simulée")
    drill = _numbers(station)
    assert drill == {"document": "EX-STATION-DEMO-0000001", "labo": "EX300001",
                     "plateau": "EX400001", "ipp": "EX100001", "nda": "EX2000001"}
    second = _numbers(station)
    assert second["document"] == "EX-STATION-DEMO-0000002" and second["labo"] == "EX300002"
    assert exercise.is_exercise_document(station, drill["document"])
    report = exercise.end(station, "chef")
    # oldest first (exercise documents count down in the journal's seq): the first print
    assert [d["number"] for d in report.documents] == [drill["document"], second["document"]]

    real_after = _numbers(station)
    # the real series go on exactly where they stopped: the exercise took none of them
    assert real_after == {"document": "STATION-DEMO-0000002", "labo": "95000022",
                          "plateau": "ST000002", "ipp": "90000002", "nda": "900000002"}
    assert station.journal.get("EX-STATION-DEMO-0000002")["issued_by"] == "infirmiere"


def test_exercise_letters_are_configurable_and_checked(settings):
    s = load_settings(settings.data_dir, {"exercise_number_prefix": "ZZ"})
    station = open_station(s)
    exercise.start(station, "chef")
    assert _admit(station).ipp == "ZZ100001"
    with pytest.raises(ConfigError, match="préfixe d'exercice « ex1 » invalide"):
        load_settings(settings.data_dir, {"exercise_number_prefix": "ex1"})
    # a real range written with the exercise letters would collide: refused at load
    with pytest.raises(ConfigError, match=r"« sterilisation_circulation_range » et "
                                          r"« provisional_ipp_range \(exercice\) » se "
                                          "chevauchent"):
        load_settings(settings.data_dir,
                      {"sterilisation_circulation_range": "EX000001-EX999999"})


def test_settings_default_is_documented():
    from pcsauvegarde.station.settings import Settings

    field = next(f for f in dataclasses.fields(Settings) if f.name == "exercise_number_prefix")
    assert field.default == "EX"


def test_exercise_admissions_are_not_exported_for_re_entry(settings, tmp_path):
    from click.testing import CliRunner

    from pcsauvegarde.cli.main import main

    station = open_station(settings)
    real = _admit(station)
    exercise.start(station, "chef")
    drill = _admit(station)
    exercise.end(station, "chef")
    out = tmp_path / "admissions.csv"
    r = CliRunner().invoke(main, ["admissions", "export", "--data", str(settings.data_dir),
                                  "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "1 admission(s) d'exercice (IPP EX…) non exportée(s)" in r.output
    assert "1 admission(s) exportée(s)" in r.output
    text = out.read_text(encoding="utf-8-sig")
    assert real.ipp in text and drill.ipp not in text
