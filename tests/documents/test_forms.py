"""Pre-identified forms: every demo form says who, allergies, title, headings; every page scans
to its number and page; bad templates are refused naming the file and the key (issue 15)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from pcsauvegarde.core.records import LabResult
from pcsauvegarde.station.documents import check_templates, forms
from pcsauvegarde.station.documents.base import page_code, parse_page_code
from pcsauvegarde.station.documents.forms.spec import load_form
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError
from tests.support.blood import with_blood
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_barcodes, page_texts
from tests.support.sample import UUID_IPP, make_ctx, make_long_patient_file, make_patient_file

LIBRARY = forms.load()
NUMBER = "PCS-CARD-01-0000042"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _headings(spec: forms.FormSpec) -> list[str]:
    """Every column heading and row label the form declares: each MUST be printed."""
    out: list[str] = []
    for s in spec.sections:
        out += [c.title for c in s.columns if c.title] + list(s.labels)
        out += [f.label for f in s.fields]
    return out


@pytest.mark.parametrize("form_id", sorted(LIBRARY))
def test_every_demo_form_says_who_allergies_title_and_headings(form_id) -> None:
    spec = LIBRARY[form_id]
    file = make_long_patient_file(ipp=UUID_IPP)
    pdf = forms.render(file, make_ctx(document_number=NUMBER), form=form_id)
    texts = [_flat(t) for t in page_texts(pdf)]
    whole = " ".join(texts)
    for page in texts:
        assert spec.title in page
        assert UUID_IPP in page and "ROCHEFOUCAULD" in page
        assert "ALLERGIES : Pénicilline" in page
        assert "MODE DÉGRADÉ" in page
    for heading in _headings(spec):
        assert _flat(heading) in whole, (form_id, heading)


@pytest.mark.parametrize("form_id", sorted(LIBRARY))
def test_every_page_of_every_form_scans_to_number_and_page(form_id) -> None:
    pdf = forms.render(make_patient_file(), make_ctx(document_number=NUMBER), form=form_id)
    codes = page_barcodes(pdf)
    for page, found in enumerate(codes, 1):
        assert page_code(NUMBER, page) in found, (form_id, page, found)
        assert parse_page_code(page_code(NUMBER, page)) == (NUMBER, page)


@pytest.mark.parametrize("form_id", sorted(LIBRARY))
def test_every_form_passes_the_page_quality_check(form_id) -> None:
    for file in (make_patient_file(), make_long_patient_file(ipp=UUID_IPP)):
        pdf = forms.render(file, make_ctx(document_number=NUMBER), form=form_id)
        assert_page_quality(pdf, allergies=True, barcodes={page_code(NUMBER, 1)})


def test_the_demo_ships_the_realistic_set() -> None:
    titles = {s.title for s in LIBRARY.values()}
    for expected in ("Feuille de surveillance 24 h", "Pancarte de soins critiques",
                     "Prescription papier de service", "Transmissions ciblées (DAR)",
                     "Bilan entrées / sorties", "Feuille de glycémie et d'insuline",
                     "Fiche de traçabilité transfusionnelle", "Demande de produits sanguins",
                     "Fiche d'accueil aux urgences"):
        assert expected in titles


def test_provisional_identity_is_said_in_the_band() -> None:
    file = dataclasses.replace(make_patient_file(), provisional=True)
    pdf = forms.render(file, make_ctx(), form="surveillance-24h")
    assert all("IDENTITÉ PROVISOIRE" in t for t in page_texts(pdf))
    plain = forms.render(make_patient_file(), make_ctx(), form="surveillance-24h")
    assert not any("IDENTITÉ PROVISOIRE" in t for t in page_texts(plain))


def _with_blood_group(file):
    at = dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.UTC)
    ipp = file.patient.id
    # lab results named like a group are not a group: only blood_typing records are read
    labs = (LabResult("bg", ipp, "", "Groupe sanguin ABO RhD", "B+", at),
            LabResult("w", ipp, "29463-7", "Poids", "72.5", at, unit="kg"))
    return with_blood(dataclasses.replace(file, lab_results=file.lab_results + labs), at)


@pytest.mark.parametrize("form_id", ["transfusion", "demande-produits-sanguins"])
def test_blood_forms_print_group_and_rai_when_known_else_say_so(form_id) -> None:
    bare = _flat(" ".join(page_texts(forms.render(make_patient_file(), make_ctx(),
                                                   form=form_id))))
    assert "groupe sanguin non disponible dans l'extrait" in bare
    assert "RAI non disponible dans l'extrait" in bare
    known = _flat(" ".join(page_texts(forms.render(_with_blood_group(make_patient_file()),
                                                    make_ctx(), form=form_id))))
    assert "A RhD positif (2 déterminations, dernière le 26/11/2026 08:00)" in known
    assert "négative — prélevée le 26/11/2026 08:00, valable jusqu'au 29/11/2026 08:00" in known
    assert "non disponible" not in known and "B+" not in known
    expired = with_blood(make_patient_file(), rai_at=dt.datetime(2026, 11, 24, 13, 16,
                                                                  tzinfo=dt.UTC))
    text = _flat(" ".join(page_texts(forms.render(expired, make_ctx(), form=form_id))))
    assert "RAI périmée (plus de 72 h)" in text


def test_paper_prescription_is_prefilled_with_unit_weight_and_allergies() -> None:
    text = _flat(" ".join(page_texts(forms.render(_with_blood_group(make_patient_file()),
                                                   make_ctx(), form="prescription-papier"))))
    assert "Cardiologie · ch. 12 · lit B" in text
    assert "72,5 kg (le 26/11/2026 08:00)" in text
    assert "retranscrit sur le plan d'administration" in text.casefold()
    for heading in ("Médicament", "Dose", "Voie", "Fréquence", "Début", "Prescripteur"):
        assert heading in text


def test_hour_grids_start_at_the_printing_hour() -> None:
    text = _flat(page_texts(forms.render(make_patient_file(), make_ctx(),
                                         form="surveillance-24h"))[0])
    assert "du 27/11/2026 14:00 au 28/11/2026 14:00" in text   # printed 14:17 Paris
    assert "14h 15h 16h" in text


# ---- validation at load ------------------------------------------------------------------

GOOD = '''title = "Essai"
orientation = "portrait"
[[sections]]
kind = "tableau"
rows = 3
columns = [{ title = "Heure", width = 20 }, { title = "Observation", width = 120 }]
'''


def _form(tmp_path: Path, text: str, name: str = "essai") -> Path:
    """A hospital's override folder holding one form of ours."""
    (tmp_path / "forms").mkdir(exist_ok=True)
    path = tmp_path / "forms" / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "key", "what"), [
    (('width = 120 }', 'width = 120, x = 10 }'), "sections[0].columns[1].x",
     "colonnes qui se chevauchent"),
    (('width = 120 }', 'width = 180 }'), "sections[0].columns[1].width",
     "plus large que la page"),
    (('rows = 3', 'rows = 3\nsize = 6.5'), "sections[0].size", "moins de 7 pt"),
    (('width = 20 }', 'width = 5 }'), "sections[0].columns[0].title", "sous 7 pt"),
    (('rows = 3', 'rows = 3\ncolour = "rouge"'), "sections[0].colour", "clé inconnue"),
    (('kind = "tableau"', 'kind = "tablo"'), "sections[0].kind", "valeurs possibles"),
    (('title = "Essai"\n', ''), "title", "absente"),
    (('orientation = "portrait"', 'orientation = "portrait'), None, "syntaxe TOML"),
])
def test_a_bad_template_is_refused_naming_file_and_key(tmp_path, change, key, what) -> None:
    path = _form(tmp_path, GOOD.replace(*change))
    with pytest.raises(TemplateError) as err:
        load_form(path)
    message = str(err.value)
    assert str(path) in message and what in message
    if key:
        assert f"« {key} »" in message
    with pytest.raises(TemplateError, match=re.escape(str(path))):
        check_templates(tmp_path)   # start-up refuses it too


def test_hour_grid_wider_than_the_page_is_refused(tmp_path) -> None:
    path = _form(tmp_path, '''title = "Essai"
orientation = "portrait"
[[sections]]
kind = "grille_horaire"
labels = ["Pouls"]
hour_width = 7
''')
    with pytest.raises(TemplateError, match=r"« sections\[0\]\.hour_width ».*plus large"):
        load_form(path)


def test_the_hospitals_forms_join_and_replace_the_packaged_ones(tmp_path) -> None:
    _form(tmp_path, GOOD)
    _form(tmp_path, GOOD.replace('"Essai"', '"Surveillance du service"'), "surveillance-24h")
    library = forms.load(tmp_path)
    assert set(library) == set(LIBRARY) | {"essai"}
    assert library["surveillance-24h"].title == "Surveillance du service"
    assert forms.load()["surveillance-24h"].title == "Feuille de surveillance 24 h"
    withdrawn = GOOD.replace('orientation = "portrait"', 'orientation = "portrait"\nunits = []')
    _form(tmp_path, withdrawn, "transfusion")
    assert not forms.load(tmp_path)["transfusion"].visible("MED", ("admin",))


def test_shipped_library_is_checked_at_start_up() -> None:
    check_templates()
    assert (DEFAULT_DIR / "forms").is_dir() and len(LIBRARY) >= 9
