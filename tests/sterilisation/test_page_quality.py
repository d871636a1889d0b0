"""Every sterilisation paper passes the page-quality checks with odd shapes: a UUID tray code,
a 64-character one, long names, a 64-character patient IPP with allergies, gaps in the data."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.core.records import (
    PackagingType,
    SterilisationCycle,
    SurgeryCase,
    Tray,
    TrayLine,
)
from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.sterilisation.catalogue import Catalogue
from pcsauvegarde.station.sterilisation.circulation import Circulation
from pcsauvegarde.station.sterilisation.papers import (
    AUTOCLAVE,
    DELIVERY,
    RECEPTION,
    WASHER,
    LoadForm,
    OrSheet,
    TransferNote,
    TrayLabel,
    TrayLabels,
    TrayLists,
)
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import (
    DOC_NUMBER,
    EXTRACTED,
    LONG_UNIT,
    make_ctx,
    make_long_patient_file,
)

pytestmark = pytest.mark.slow   # renders, reads every word's box, decodes every code

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
CODE64 = "PLATEAU-" + "7f3c9a2e-41b8-4d6a-9c0e-5b2f8d1a3e67" + "-ORTHOPEDIE-GENOU-A"
LONG_NAME = ("Boîte de prothèse totale de genou à plateau mobile, ancillaire de pose et "
             "instruments de révision (chirurgie orthopédique et traumatologique)")
DAY = dt.date(2028, 2, 29)
LINES = tuple(TrayLine(f"Écarteur autostatique de Beckman-Adson à lames articulées n° {k}",
                       1 + k % 4, f"REF-{UUID[:18]}-{k}") for k in range(32))
TRAYS = {t.id: t for t in (
    Tray(UUID, LONG_NAME, LONG_UNIT, "conteneur", 0, LINES),
    Tray(CODE64, "Boîte de genou", LONG_UNIT, "conteneur", 0, LINES[:5]),
    Tray("VIDE-1", "Boîte sans composition", LONG_UNIT, "sachet-inconnu", 0, ()))}
CATALOGUE = Catalogue(TRAYS, {"conteneur": PackagingType("conteneur", "Conteneur", 6)}, {},
                      (), {LONG_UNIT: "Médecine interne et maladies infectieuses et "
                                      "tropicales, secteur B2X"},
                      {"sterilisation": EXTRACTED})
CARDS = tuple(CATALOGUE.card(code, DAY) for code in (UUID, CODE64, "VIDE-1", "DISPARU-9"))
CIRC = {UUID: "ST000001", CODE64: "ST000002"}


def _data(name: str):
    extracted = CATALOGUE.extracted_at
    if name == "tray_list":
        return TrayLists(CARDS, DAY, "Marie-Bernadette de La Rochefoucauld-Montmorency",
                         "Plateaux du service de médecine interne", extracted)
    if name == "tray_labels":
        return TrayLabels(tuple(TrayLabel(c, Circulation(CIRC[c.code], c.code, c.unit, DAY,
                                                         c.expiry, "M.-B. de La Rochefoucauld"))
                                for c in CARDS[:2]), "sheet", extracted)
    if name in ("washer_load", "autoclave_load"):
        return LoadForm(WASHER if name == "washer_load" else AUTOCLAVE, CARDS, CIRC,
                        f"Autoclave {UUID}", "4512", "L2602-29-07",
                        dt.datetime(2028, 2, 29, 13, 5, tzinfo=dt.UTC),
                        "Prion 134 °C 18 min", "Marie-Bernadette", (), extracted)
    if name in ("tray_reception", "tray_delivery"):
        return TransferNote(RECEPTION if name == "tray_reception" else DELIVERY, LONG_UNIT,
                            CATALOGUE.units[LONG_UNIT], CARDS, CIRC, extracted)
    file = make_long_patient_file()
    case = SurgeryCase(UUID, file.patient.id, "Salle 12 — bloc central", EXTRACTED,
                       "Arthroplastie totale du genou droit sur gonarthrose fémoro-tibiale",
                       "Dr Jean-Baptiste de Montmorency-Laval", tray_ids=(UUID, CODE64))
    cycle = SterilisationCycle("c1", f"AUTOCLAVE-{UUID}", "4512", EXTRACTED, "L2602-29-07")
    return OrSheet(case, file, CARDS, CIRC, {UUID: cycle}, {**extracted, **file.extracted_at})


@pytest.mark.parametrize("name", sorted(k for k, v in KINDS.items() if v.scope == "sterilisation"))
def test_sterilisation_kinds_pass_page_quality(name):
    pdf = KINDS[name].render(_data(name), make_ctx())
    # A tray code too long for a label's Code 128 is said in words; the circulation number is
    # the code that leads to the tray there.
    codes = {"tray_labels": {"ST000001", "ST000002"}, "tray_list": {UUID, CODE64}}.get(
        name, set())
    assert_page_quality(pdf, allergies=name == "or_traceability",
                        barcodes=codes | ({DOC_NUMBER} if name != "tray_labels" else set()))
    text = " ".join(" ".join(page_texts(pdf)).split())
    if name != "tray_labels":
        assert "« DISPARU-9 » : plateau absent du catalogue" in text
    if name == "tray_list":
        assert "29/08/2028" in text   # 29/02/2028 + 6 months
    if name == "tray_labels":
        assert UUID in text.replace(" ", "") and CODE64 in text.replace(" ", "")


def test_blank_forms_pass_page_quality():
    for kind in (WASHER, AUTOCLAVE):
        pdf = KINDS[f"{kind}_load"].render(LoadForm(kind), make_ctx())
        assert_page_quality(pdf, allergies=False, barcodes={DOC_NUMBER})
