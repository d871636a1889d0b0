"""Lab labels say the number, tube and identity, and every barcode scans to exactly its text."""

from __future__ import annotations

import dataclasses
import io

import pypdf
import pytest

from pcsauvegarde.station.documents import lab_labels
from pcsauvegarde.station.documents.lab_labels import LabLabelSet
from pcsauvegarde.station.lab.ranges import parse_lab_range
from tests.support.lab import LONG_ID, labels
from tests.support.pdfcheck import barcodes, page_texts


def test_a4_sheet_every_barcode_decodes_to_its_printed_text(ctx):
    data = LabLabelSet(labels(10, 4))
    pdf = lab_labels.render(data, ctx)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
    text = page_texts(pdf)[0]
    codes = [label.code for label in data.labels]
    assert all(code in text for code in codes)
    assert "Tube 2/4" in text and "EDTA (violet)" in text and "Type : ____" in text
    assert "Nom : ____" in text and "Prél. ___/___" in text
    assert "PANNE · N° SYN-20261127-0042" in text
    assert "MODE DÉGRADÉ" in text      # the sheet's own footer: data age, page n/N
    found = barcodes(pdf)
    assert sorted(c for c in found if c != ctx.document_number) == sorted(codes)


def test_patient_labels_carry_the_identity_and_a_reversed_urgent_block(ctx, patient_file):
    data = LabLabelSet(labels(1, 3), patient_file, urgent=True, format="thermal")
    pdf = lab_labels.render(data, ctx)
    texts = page_texts(pdf)
    assert len(texts) == 3            # one thermal page per tube
    assert "LEFÈVRE-DUBOIS" in texts[0] and "Hélène Marie-Noëlle" in texts[0]
    assert "Née le 03/02/1948 · F" in texts[0] and "URGENT" in texts[0]
    assert [barcodes(pdf, page) for page in range(3)] == [[label.code] for label in data.labels]


def test_long_identity_and_long_prefix_stay_inside_the_label(ctx, patient_file):
    p = dataclasses.replace(patient_file.patient, id=LONG_ID,
                            birth_name="De La Cruz-Villeneuve-Saint-Georges-Montmorency",
                            first_names="Marie-Charlotte Bénédicte Alexandrine Philippine")
    file = dataclasses.replace(patient_file, patient=p)
    rng = parse_lab_range("LB95000001-LB95999999", 12, "mod97", 2)
    data = LabLabelSet(labels(2, 2, rng), file, format="thermal")
    pdf = lab_labels.render(data, ctx)
    text = page_texts(pdf)[0]
    assert "DE LA CRUZ" in text and "…" in text and "Tube 1/2 · ____" in text
    assert barcodes(pdf, 0) == [data.labels[0].code]


def test_too_many_labels_or_a_grid_off_the_page_is_refused(tmp_path, ctx):
    from pcsauvegarde.station.documents.templates import DEFAULT_DIR, TemplateError
    text = (DEFAULT_DIR / "lab_labels.toml").read_text(encoding="utf-8")
    (tmp_path / "lab_labels.toml").write_text(text.replace("barcode_height = 5.0",
                                                           "barcode_height = 12.0"))
    with pytest.raises(TemplateError, match="étiquette trop basse"):
        lab_labels.load(tmp_path)
    (tmp_path / "lab_labels.toml").write_text(text.replace("columns = 4", "columns = 5"))
    with pytest.raises(TemplateError, match="dépasse de la page"):
        lab_labels.load(tmp_path)
