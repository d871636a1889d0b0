"""MAR, prescriptions, care plan and census: what they print, on every page, and their templates."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from pcsauvegarde.core.records import CareTask, MedicationAdministration, Timing
from pcsauvegarde.station.documents import (
    administration_plan,
    care_plan,
    census,
    check_templates,
    prescriptions,
)
from pcsauvegarde.station.documents.context import CensusRow, UnitFile
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError
from tests.support.pdfcheck import barcodes, page_texts
from tests.support.sample import DOC_NUMBER, IPP

UTC = dt.UTC
ADMINS = (
    MedicationAdministration("m1", IPP, "o1", dt.datetime(2026, 11, 26, 19, 5, tzinfo=UTC),
                             "40 mg", "Marie Dupont (IDE)"),
    MedicationAdministration("m2", IPP, "o1", dt.datetime(2026, 11, 27, 7, 2, tzinfo=UTC),
                             "", "Jean Roux (IDE)", "refused"),
    MedicationAdministration("m3", IPP, "o4", dt.datetime(2026, 11, 27, 3, 2, tzinfo=UTC),
                             "1000 mg", "Jean Roux (IDE)"),
)


@pytest.fixture(scope="module")
def mar(patient_file, ctx) -> list[str]:
    file = dataclasses.replace(patient_file, administrations=ADMINS)
    return page_texts(administration_plan.render(file, ctx))


def assert_every_page_identified(texts: list[str]) -> None:
    for text in texts:
        assert "LEFÈVRE-DUBOIS" in text and f"IPP : {IPP}" in text
        assert "MODE DÉGRADÉ — données du 27/11/2026 14:05" in text and DOC_NUMBER in text


def test_mar_lists_orders_and_future_slots(mar) -> None:
    text = "\n".join(mar)
    for drug in ("Furosémide", "Amoxicilline", "Metformine", "Paracétamol", "Insuline asparte"):
        assert drug in text
    assert "Kardégic" not in text                      # stopped order
    # Printed 27/11 14:17 Paris: 24 h back, 48 h ahead, in whole 6-h periods.
    assert "Du 26/11/2026 12:00 au 29/11/2026 18:00" in text
    # Furosémide 08:00/20:00 ahead: 27/11 20:00, 28/11 08:00 and 20:00, 29/11 08:00.
    furosemide = text[text.index("Furosémide"):text.index("Insuline")]
    assert furosemide.count("20:00") >= 2 and furosemide.count("08:00") >= 2
    # Amoxicilline every 8 h from 24/11 11:00 Paris: 19:00, 03:00, 11:00.
    assert "19:00" in text and "03:00" in text and "11:00" in text
    assert "Maximum : 4 prise(s) par 24 h" in text and "Au moins 6 h entre 2 prises" in text
    assert "Nouvelles prescriptions manuscrites" in text and "Signatures" in text
    assert "Du 26/11" in mar[0] and "jeu. 26/11" in mar[0] and "dim. 29/11" in mar[0]


def test_mar_shows_the_record_given_refused_and_missing(mar) -> None:
    text = "\n".join(mar)
    assert "✓ 20:05" in text and "40 mg · MD" in text               # 20:00 dose given at 20:05
    assert "✗ 08:02" in text and "refusé · JR" in text              # 08:00 dose refused
    assert "JR Jean Roux" in text and "MD Marie Dupont" in text      # legend of initials
    assert "? 18:00" in text and "non tracé" in text                 # metformine: not recorded
    assert "✓ 04:02" in text                                         # PRN dose in the record


def test_mar_identity_and_freshness_on_every_page(mar, patient_file, ctx) -> None:
    assert len(mar) >= 2
    assert_every_page_identified(mar)
    pdf = administration_plan.render(patient_file, ctx)
    assert {IPP, DOC_NUMBER} <= set(barcodes(pdf, page=len(mar) - 1))


def test_mar_rows_never_split_and_many_orders_paginate(patient_file, ctx) -> None:
    many = tuple(dataclasses.replace(patient_file.orders[0], id=f"x{i}", drug=f"Médicament {i:02d}")
                 for i in range(30))
    texts = page_texts(administration_plan.render(
        dataclasses.replace(patient_file, orders=many), ctx))
    assert len(texts) >= 4
    assert_every_page_identified(texts)
    for i in range(30):   # each order exactly once: a row is never cut in two
        assert sum(t.count(f"Médicament {i:02d}") for t in texts) == 1
    assert all("Prescription" in t for t in texts[:-1])   # grid heading repeated


def test_prescriptions(patient_file, ctx) -> None:
    texts = page_texts(prescriptions.render(patient_file, ctx))
    text = "\n".join(texts)
    assert ("⚠ Allergies : Pénicilline (urticaire généralisée, réaction sévère), "
            "Produits de contraste iodés (non confirmée)") in " ".join(text.split())
    assert "Latex" not in text and "Arachide" not in text and "Codéine" not in text
    assert "Metformine" in text and "08:00, 12:00, 18:00" in text
    assert "Traitements si besoin" in text and "Paracétamol" in text
    assert "Kardégic" not in text
    assert_every_page_identified(texts)


def test_care_plan_tasks_by_slot_and_surveillance(patient_file, ctx) -> None:
    tasks = (CareTask("t1", IPP, "Pansement de voie veineuse", Timing("fixed_times",
                                                                     times=("10:00",))),
             CareTask("t2", IPP, "Aspiration trachéale", Timing("every_hours", every_hours=4)))
    file = dataclasses.replace(patient_file, care_tasks=tasks)
    texts = page_texts(care_plan.render(file, ctx))
    text = "\n".join(texts)
    assert "Pansement de voie veineuse" in text and "10:00" in text
    assert "Aspiration trachéale" in text and "16:00" in text and "20:00" in text
    assert "Température" in text and "Douleur (EVA / EN)" in text
    assert "Dilution dans 100 mL de NaCl 0,9 %" in text    # vigilance from the orders
    assert_every_page_identified(texts)
    empty = "\n".join(page_texts(care_plan.render(patient_file, ctx)))
    assert "Aucun soin programmé dans l'extrait" in empty


def test_census(patient_file, ctx) -> None:
    other = dataclasses.replace(patient_file.patient, id="00999", birth_name="Zèbre")
    rows = (CensusRow(patient_file.patient, patient_file.stay, patient_file.allergies),
            CensusRow(other, dataclasses.replace(patient_file.stay, id="N2", room="14")))
    pdf = census.render(UnitFile("CARD", "Cardiologie", rows), ctx)
    text = "\n".join(page_texts(pdf))
    assert "Patients du service — Cardiologie" in text and "2 patient(s)" in text
    assert text.index("LEFÈVRE-DUBOIS") < text.index("ZÈBRE")
    assert "⚠ ALLERGIE" in text and "Pénicilline" in text and "Château" in text
    assert "iodés (non confirmée)" in " ".join(text.split())
    assert "Latex" not in text and "Arachide" not in text and "Codéine" not in text
    assert DOC_NUMBER in barcodes(pdf)


def test_shipped_templates_pass_the_startup_check() -> None:
    check_templates()


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    for path in DEFAULT_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "old", "new", "key"), [
    ("administration_plan.toml", 'block_hours = "6"', 'block_hours = "5"', "window.block_hours"),
    ("administration_plan.toml", 'rows = "4"', 'rows = "beaucoup"', "new.rows"),
    ("administration_plan.toml", 'max = "Maximum : {max}', 'max = "Maximum : {maxi}', "prn.max"),
    ("administration_plan.toml", 'given = "administré"\n', "", "status.given"),
    ("prescriptions.toml", 'title = "Prescriptions en cours"', 'titre = "x"', "document.title"),
    ("care_plan.toml", 'hours = "24"', 'hours = "72"', "window.hours"),
    ("census.toml", 'rows = "3"', 'rows = 3', "blank.rows"),
    ("bundle.toml", "{documents} document(s)", "{docs} document(s)", "cover.summary"),
    ("schedule.toml", '3 = "08:00, 12:00, 18:00"', '3 = "08:00, 12:00"', "standard_hours.3"),
])
def test_startup_check_refuses_each_broken_template(tmp_path, name, old, new, key) -> None:
    path = _broken(tmp_path, name, old, new)
    with pytest.raises(TemplateError) as err:
        check_templates(tmp_path)
    assert str(path) in str(err.value) and f"« {key} »" in str(err.value)
