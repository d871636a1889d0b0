"""Identity label sheets, wristband and the admission kit: identity, footer, barcodes that scan."""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

import pytest

from pcsauvegarde.station.documents import KINDS, admission_kit, labels, wristband
from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError
from tests.support.pdfcheck import page_barcodes, page_texts
from tests.support.sample import DOC_NUMBER, IPP


def _identity_ok(text: str, file) -> None:
    p = file.patient
    for needle in (p.birth_name.upper(), p.first_names, "03/02/1948", "Sexe : féminin", IPP,
                   file.stay.id, "2 48 02 75 123 456 78"):
        assert needle in text, needle


def test_default_sheet_is_24_labels_that_each_scan_to_the_ipp(patient_file, ctx):
    started = time.perf_counter()
    pdf = labels.render(patient_file, ctx)
    elapsed = time.perf_counter() - started
    [text] = page_texts(pdf)
    assert text.count(patient_file.patient.birth_name.upper()) == 24
    assert text.count("Nom d'usage : MARTIN") == 24
    # every label says degraded mode, data date, document number and page
    flat = " ".join(text.split())   # the line wraps in two at 7 pt on a 70 mm label
    footer = f"MODE DÉGRADÉ — données du 27/11/2026 14:05 · N° {DOC_NUMBER} · p. 1/1"
    assert flat.count(footer) == 24
    _identity_ok(text, patient_file)
    [codes] = page_barcodes(pdf)
    assert codes == {IPP}
    from tests.support.pdfcheck import barcodes
    assert barcodes(pdf) == [IPP] * 24
    print(f"\n[mesure] planche de 24 étiquettes : {elapsed * 1000:.0f} ms par rendu")


def test_count_start_and_page_numbers(patient_file, ctx):
    pdf = labels.render(patient_file, ctx, count=30, start=20)
    texts = page_texts(pdf)
    # 5 on the first sheet (positions 20–24), a full second sheet, 1 on the third
    assert [t.count(IPP + "  NDA") for t in texts] == [5, 24, 1]
    assert "p. 1/3" in texts[0] and "p. 3/3" in texts[2]
    with pytest.raises(TemplateError, match="hors limites"):
        labels.render(patient_file, ctx, count=0)


def _layout_dir(tmp_path: Path, kind: str, **replace: str) -> Path:
    shutil.copy(DEFAULT_DIR / f"{kind}.toml", tmp_path / f"{kind}.toml")
    text = (tmp_path / f"{kind}.toml").read_text(encoding="utf-8")
    for old, new in replace.items():
        old = old.replace("__", " = ")
        assert old in text, old
        text = text.replace(old, new)
    (tmp_path / f"{kind}.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_2x7_stock_gets_the_page_footer_with_document_barcode(patient_file, ctx, tmp_path):
    d = _layout_dir(tmp_path, "labels", **{
        "columns__3": "columns = 2", "rows__8": "rows = 7",
        "label_width__70.0": "label_width = 99.1",
        "label_height__37.0": "label_height = 38.1", "margin_top__0.5": "margin_top = 15.15",
        "margin_left__0.0": "margin_left = 4.65", "gap_x__0.0": "gap_x = 2.5",
        'barcode__"ipp"': 'barcode = "nda"'})
    pdf = labels.render(patient_file, dataclasses.replace(ctx, templates_dir=d), count=14)
    [text] = page_texts(pdf)
    assert "MODE DÉGRADÉ — données du 27/11/2026 14:05 (il y a 12 min)" in text
    assert "Page 1/1" in text and f"N° {DOC_NUMBER}" in text
    [codes] = page_barcodes(pdf)
    assert codes == {patient_file.stay.id, DOC_NUMBER}


@pytest.mark.parametrize("old, new, words", [
    ("rows = 8", "rows = 9", ["dépasse de la page"]),
    ("\ncolumns = 3", "\ncolumns = 'trois'", ["sheet.columns", "nombre entier"]),
    ('barcode = "ipp"', 'barcode = "ins"', ["content.barcode", "ipp, nda"]),
    ("offset_x = 0.0", "offset_x = 0.0\nofset_y = 1.0", ["ofset_y", "inconnue"]),
    ('degraded = "MODE DÉGRADÉ — données du {date}', 'degraded = "{nom} {date}',
     ["{nom}", "inconnu"]),
])
def test_bad_layouts_are_refused_naming_file_and_key(patient_file, ctx, tmp_path, old, new, words):
    text = (DEFAULT_DIR / "labels.toml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "labels.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        labels.render(patient_file, dataclasses.replace(ctx, templates_dir=tmp_path))
    assert "labels.toml" in str(exc.value)
    for w in words:
        assert w in str(exc.value)


@pytest.mark.slow
def test_calibration_offset_moves_the_print(patient_file, ctx, tmp_path):
    import pypdfium2 as pdfium
    import zxingcpp

    def first_x(pdf: bytes) -> float:
        image = pdfium.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil()
        return min(b.position.top_left.x for b in zxingcpp.read_barcodes(image))

    d = _layout_dir(tmp_path, "labels", **{"offset_x__0.0": "offset_x = 5.0"})
    shifted = dataclasses.replace(ctx, templates_dir=d)
    moved = (first_x(labels.render(patient_file, shifted))
             - first_x(labels.render(patient_file, ctx)))
    assert moved == pytest.approx(5 / 25.4 * 300, abs=3)   # 5 mm at 300 dpi


def test_wristband_a4_scans_ipp_and_nda_and_has_footer(patient_file, ctx):
    file = dataclasses.replace(patient_file, provisional=True)
    pdf = wristband.render(file, ctx)
    [text] = page_texts(pdf)
    _identity_ok(text, file)
    assert "IDENTITÉ PROVISOIRE" in text and "Découper le long des pointillés" in text
    assert "MODE DÉGRADÉ — données du 27/11/2026 14:05" in text and "Page 1/1" in text
    [codes] = page_barcodes(pdf)
    assert {IPP, file.stay.id, DOC_NUMBER} <= codes


def test_wristband_band_mode_is_a_page_of_band_size(patient_file, ctx, tmp_path):
    import io

    import pypdf
    d = _layout_dir(tmp_path, "wristband", **{'mode__"a4"': 'mode = "band"'})
    pdf = wristband.render(patient_file, dataclasses.replace(ctx, templates_dir=d))
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (280, 25)
    [text] = page_texts(pdf)
    assert f"MODE DÉGRADÉ — données du 27/11/2026 14:05 · N° {DOC_NUMBER}" in text
    [codes] = page_barcodes(pdf)
    assert {IPP, patient_file.stay.id} <= codes


def test_admission_kit_is_labels_then_wristband_in_one_pdf(patient_file, ctx):
    pdf = KINDS[admission_kit.KIND].render(patient_file, ctx)
    texts = page_texts(pdf)
    assert len(texts) == 2
    assert texts[0].count("MODE DÉGRADÉ") == 24 and "Bracelet d'identification" in texts[1]
    assert "Page 2/2" in texts[1]
    codes = page_barcodes(pdf)
    assert codes[0] == {IPP} and {IPP, DOC_NUMBER} <= codes[1]
