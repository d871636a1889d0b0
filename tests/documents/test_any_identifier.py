"""Every document kind holds identifiers of any shape and long names (issue 9), and passes the
page-quality checks (issue 10): nothing under 7 pt, nothing out of its box, codes that scan."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.documents.context import CensusRow, UnitFile
from tests.support.page_quality import assert_page_quality, decoded, problems
from tests.support.pdfcheck import page_texts
from tests.support.sample import DOC_NUMBER, UUID_IPP, make_long_patient_file

# Render, read every word's box and decode every code at 300 dpi: seconds a kind.
pytestmark = pytest.mark.slow

PATIENTS = {"64": make_long_patient_file(),
            "uuid": make_long_patient_file(UUID_IPP, "b2c3d479-58cc-4372-a567-0e02f47ac10b")}
# Kinds of this layout work, checked whole; the others (MAR, care plan, prescriptions) are
# checked for what the shared layout gives them: identity band, allergies, codes.
OWNED = ("summary", "labels", "wristband", "admission", "census")
OTHERS = ("administration_plan", "care_plan", "prescriptions")


def _render(name, file, ctx) -> bytes:
    kind = KINDS[name]
    if kind.scope == "unit":
        rows = (CensusRow(file.patient, file.stay, file.allergies),
                CensusRow(PATIENTS["uuid"].patient, PATIENTS["uuid"].stay))
        return kind.render(UnitFile(file.stay.unit, "", rows), ctx)
    if name in ("labels", "admission"):
        return kind.render(file, ctx, count=6)   # a part sheet: same layout, less to read
    return kind.render(file, ctx)


@pytest.mark.parametrize("shape", sorted(PATIENTS))
@pytest.mark.parametrize("name", OWNED)
def test_owned_kinds_pass_page_quality(name, shape, ctx) -> None:
    file = PATIENTS[shape]
    pdf = _render(name, file, ctx)
    ipp, nda = file.patient.id, file.stay.id
    codes = {"summary": {ipp, DOC_NUMBER}, "labels": {ipp},
             "wristband": {ipp, nda, DOC_NUMBER}, "admission": {ipp, nda, DOC_NUMBER},
             "census": {DOC_NUMBER}}[name]
    texts = page_texts(pdf)
    band_pages = [i for i, t in enumerate(texts) if "Page " in t and "LA ROCHEFOUCAULD" in t]
    assert_page_quality(pdf, allergies=name != "census" and name != "labels",
                        allergy_pages=band_pages, barcodes=codes)
    if name == "census":
        text = " ".join(" ".join(texts).split())
        assert "ALLERGIE Pénicilline" in text and "Non renseignées" in text


@pytest.mark.parametrize("name", OTHERS)
def test_other_kinds_carry_a_band_that_holds_long_identifiers(name, ctx) -> None:
    file = PATIENTS["64"]
    pdf = _render(name, file, ctx)
    texts = page_texts(pdf)
    for i, found in enumerate(decoded(pdf)):
        assert {file.patient.id, DOC_NUMBER} <= found, i      # the IPP as a QR code
        flat = " ".join(texts[i].split())
        assert "DE LA ROCHEFOUCAULD-MONTMORENCY-AUBIGNÉE" in flat
        assert "ALLERGIES : Pénicilline" in flat
    # The band itself never overflows, nor prints under 7 pt (the grid is the MAR's own work).
    band = [p for p in problems(pdf, allergies=True)
            if "IPP" in p or "ROCHEFOUCAULD" in p or "ALLERGIES" in p]
    assert band == []


def test_wristband_prints_with_a_64_character_ipp(ctx) -> None:
    """It refused (« bracelet trop court… ») when the two Code 128 left no room for the text."""
    file = PATIENTS["64"]
    pdf = KINDS["wristband"].render(file, ctx)
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "bracelet trop court" not in text
    assert {file.patient.id, file.stay.id} <= decoded(pdf)[0]
