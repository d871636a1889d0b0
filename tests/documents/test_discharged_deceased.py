"""A discharged patient's paper says so with the date; a deceased one with an open stay shouts."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pcsauvegarde.station.documents import KINDS, identity
from tests.support.page_quality import words
from tests.support.pdfcheck import page_texts

DISCHARGE = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)     # 10:00 in Paris
BAND_KINDS = ("summary", "administration_plan", "care_plan", "prescriptions", "wristband")


@pytest.fixture(scope="module")
def discharged(patient_file):
    return dataclasses.replace(patient_file,
                               stay=dataclasses.replace(patient_file.stay, discharge=DISCHARGE))


@pytest.fixture(scope="module")
def deceased(patient_file):
    return dataclasses.replace(patient_file,
                               patient=dataclasses.replace(patient_file.patient, deceased=True))


def _flat(pdf: bytes) -> list[str]:
    return [" ".join(t.split()) for t in page_texts(pdf)]


def test_discharged_summary_is_not_headed_current_stay(discharged, ctx) -> None:
    pages = _flat(KINDS["summary"].render(discharged, ctx))
    assert "Séjour en cours" not in " ".join(pages)
    assert "Dernier séjour — terminé le 20/11/2026 10:00 (pas de séjour en cours)" in pages[0]
    assert all("⚠ SORTIE LE 20/11/2026 10:00" in p for p in pages)


@pytest.mark.parametrize("name", BAND_KINDS)
def test_every_page_of_a_deceased_patient_with_an_open_stay_warns(name, deceased, ctx) -> None:
    pdf = KINDS[name].render(deceased, ctx)
    pages = [p for p in _flat(pdf) if "LEFÈVRE-DUBOIS" in p and "Page " in p]
    assert pages
    warning = "⚠ DÉCÉDÉE — séjour encore ouvert dans l'extrait : vérifier avant tout soin"
    assert all(warning in p for p in pages)
    # White on a red ground, bold, 10 pt: not a small header word.
    shown = [w for w in words(pdf) if w.text == "DÉCÉDÉE"]
    assert shown and all(w.bold and w.size >= 9 and w.color[:3] == (1.0, 1.0, 1.0)
                         for w in shown)


def test_deceased_after_discharge_is_not_called_an_open_stay(deceased, ctx) -> None:
    ended = dataclasses.replace(deceased, stay=dataclasses.replace(deceased.stay,
                                                                  discharge=DISCHARGE))
    text = _flat(KINDS["summary"].render(ended, ctx))[0]
    assert "DÉCÉDÉE" in text and "séjour encore ouvert" not in text
    assert "SORTIE LE 20/11/2026 10:00" in text


def test_warnings_helper_for_screens(deceased, discharged, patient_file) -> None:
    t = identity.load()
    assert identity.warnings(t, patient_file.patient, patient_file.stay) == []
    assert identity.warnings(t, deceased.patient, deceased.stay) == [
        "⚠ DÉCÉDÉE — séjour encore ouvert dans l'extrait : vérifier avant tout soin"]
    male = dataclasses.replace(discharged.patient, sex="M")
    assert identity.warnings(t, male, discharged.stay) == ["⚠ SORTI LE 20/11/2026 10:00"]
