"""The patient summary, read back from the PDF: text per page and decoded barcodes."""

from __future__ import annotations

import dataclasses
import time

import pytest

from pcsauvegarde.station.documents import KINDS, patient_summary
from pcsauvegarde.station.documents.context import PatientFile
from tests.support.pdfcheck import fonts_of, page_barcodes, page_texts
from tests.support.sample import DOC_NUMBER, IPP

FOOTER = "MODE DÉGRADÉ — données du 27/11/2026 14:05 (il y a 12 min)"


@pytest.fixture(scope="module")
def pdf(patient_file, ctx) -> bytes:
    return patient_summary.render(patient_file, ctx)


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return page_texts(pdf)


def test_registry_knows_the_summary() -> None:
    assert KINDS["summary"].render is patient_summary.render
    assert KINDS["summary"].title == "Synthèse patient"


def test_spans_several_pages_with_identity_on_each(pages) -> None:
    assert len(pages) >= 2
    for text in pages:
        assert "LEFÈVRE-DUBOIS" in text and "Hélène Marie-Noëlle" in text
        assert "Née le 03/02/1948 (78 ans)" in text and f"IPP : {IPP}" in text


def test_identity_details(pages) -> None:
    first = pages[0]
    assert "Nom d'usage : MARTIN" in first
    assert "NDA : 2026000789" in first
    assert "INS : 2 48 02 75 123 456 78 (qualifiée)" in first
    assert "Cardiologie · ch. 12 · lit B" in first


def test_footer_on_every_page(pages) -> None:
    n = len(pages)
    for i, text in enumerate(pages, start=1):
        assert FOOTER in text
        assert "Imprimé le 27/11/2026 14:17 par Mme Åsa Nguyễn sur PCS-CARD-01" in text
        assert f"Page {i}/{n}" in text
        assert DOC_NUMBER in text
        assert "EXERCICE" not in text


def test_barcodes_decode_on_every_page(pdf) -> None:
    for found in page_barcodes(pdf):
        assert IPP in found and DOC_NUMBER in found


def test_stay_allergies_and_antecedents(pages) -> None:
    first = pages[0]
    assert "Décompensation cardiaque gauche" in first and "Dr Benoît Château" in first
    assert "⚠ Pénicilline (urticaire généralisée, réaction sévère)" in first
    assert "⚠ Produits de contraste iodés (non confirmée)" in first
    for gone in ("Latex", "Arachide", "Codéine"):  # entered in error, resolved, refuted
        assert gone not in first
    assert "Diabète de type 2 (E11) — depuis le 12/09/2015" in first


def test_active_treatments_with_their_rythm(pages) -> None:
    text = " ".join(pages).replace("\n", " ")
    for expected in ("Furosémide", "08:00, 20:00", "toutes les 8 h", "3 fois par jour",
                     "Paracétamol", "si besoin (max 4/j", "dose unique", "Énoxaparine",
                     "4000 UI", "selon glycémie"):
        assert expected in text
    assert "Kardégic" not in text  # stopped


def test_recent_labs_with_flags_in_bold(pdf, pages) -> None:
    text = "\n".join(pages)
    assert "6,4 mmol/L 3,5–5,0 ↑↑" in text
    assert "7,4 g/dL 12,0–16,0 ↓↓" in text
    assert "↑ élevé · ↓ bas · ↑↑ très élevé" in text          # the arrows' legend
    assert " HH" not in text and " LL" not in text
    assert "3,1" not in text  # collected 80 h before the extract
    page = next(i for i, p in enumerate(pages) if "6,4 mmol/L" in p)
    assert all("Bold" in f for f in fonts_of(pdf, page, "6,4"))
    assert "Échographie cardiaque transthoracique" in pages[-1]
    assert "Scanner thoracique" not in text  # done, not planned


def test_preliminary_and_corrected_results_say_so(patient_file, ctx) -> None:
    labs = list(patient_file.lab_results)
    k = next(i for i, r in enumerate(labs) if r.value == "6,4")
    hb = next(i for i, r in enumerate(labs) if r.value == "7,4")
    labs[k] = dataclasses.replace(labs[k], status="preliminary")
    labs[hb] = dataclasses.replace(labs[hb], status="corrected")
    file = dataclasses.replace(patient_file, lab_results=tuple(labs))
    text = "\n".join(page_texts(patient_summary.render(file, ctx)))
    assert "6,4\nprovisoire" in text or "6,4 provisoire" in text
    assert "7,4\ncorrigé" in text or "7,4 corrigé" in text
    assert text.count("provisoire") == 1 and text.count("corrigé") == 1


def test_exercise_watermark_on_every_page(patient_file, context_with) -> None:
    pages = page_texts(patient_summary.render(patient_file, context_with(exercise=True)))
    assert all("EXERCICE" in p for p in pages)


def test_unknown_extraction_date(patient_file, context_with) -> None:
    pages = page_texts(patient_summary.render(patient_file, context_with(extracted_at=None)))
    assert all("MODE DÉGRADÉ — données : date inconnue" in p for p in pages)


def test_empty_file_says_what_the_extract_lacks(patient_file, ctx) -> None:
    bare = PatientFile(dataclasses.replace(patient_file.patient, ins="", used_name=""))
    (text,) = page_texts(patient_summary.render(bare, ctx))
    assert "Allergies : non renseignées — à vérifier" in text
    assert "Aucun séjour en cours dans l'extrait." in text
    assert "Aucun traitement actif dans l'extrait." in text
    assert "INS" not in text and "NDA" not in text


def test_same_inputs_give_the_same_bytes(pdf, patient_file, ctx) -> None:
    assert patient_summary.render(patient_file, ctx) == pdf


def test_render_time(patient_file, ctx, capsys) -> None:
    start = time.perf_counter()
    runs = 3
    for _ in range(runs):
        patient_summary.render(patient_file, ctx)
    elapsed = (time.perf_counter() - start) / runs
    with capsys.disabled():
        print(f"\n[mesure] synthèse patient ({len(patient_file.lab_results)} résultats) : "
              f"{elapsed * 1000:.0f} ms par rendu")
    assert elapsed < 5


def test_long_identity_wraps_instead_of_vanishing(patient_file, ctx) -> None:
    long = dataclasses.replace(patient_file.patient, deceased=True,
                               birth_name="de La Tour d'Auvergne-Lauraguais-Montmorency",
                               first_names="Marie-Charlotte Anne-Sophie Éléonore Gwendoline")
    pdf = patient_summary.render(PatientFile(long), ctx)
    (text,) = page_texts(pdf)
    flat = text.replace("\n", " ")
    assert "DE LA TOUR D'AUVERGNE-LAURAGUAIS-MONTMORENCY" in flat and "Gwendoline" in flat
    assert "DÉCÉDÉE" in text
    assert IPP in page_barcodes(pdf)[0]


def test_last_known_value_of_tests_with_nothing_recent(patient_file, ctx) -> None:
    import datetime as dt

    from pcsauvegarde.core.records import LabResult
    from tests.support.sample import EXTRACTED

    def tsh(rid: str, days: int, value: str) -> LabResult:
        return LabResult(rid, IPP, "TSH", "Thyréostimuline (TSH)", value,
                         EXTRACTED - dt.timedelta(days=days), "mUI/L", "0,4–4,0", "H")

    older = (tsh("tsh-1", 12, "6,8"), tsh("tsh-2", 40, "9,9"))
    both = dataclasses.replace(patient_file, lab_results=patient_file.lab_results + older)
    text = " ".join("\n".join(page_texts(patient_summary.render(both, ctx))).split())
    assert "7,4 g/dL 12,0–16,0 ↓↓" in text  # the 72 h table is still there
    assert "Dernière valeur connue des examens sans résultat sur cette période" in text
    assert "Thyréostimuline (TSH)" in text and "6,8" in text
    assert "ancien, il y a 12 j" in text
    assert "9,9" not in text and "3,1" not in text  # not the last of its test / test is recent
    only_old = dataclasses.replace(patient_file, lab_results=older)
    text = " ".join("\n".join(page_texts(patient_summary.render(only_old, ctx))).split())
    assert "Aucun résultat biologique sur cette période dans l'extrait." in text
    assert "Thyréostimuline (TSH)" in text and "6,8" in text and "ancien, il y a 12 j" in text
