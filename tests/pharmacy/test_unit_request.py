"""Formulaire de demande des unités: dotation then past requests, blank lines, faults on paper."""

from __future__ import annotations

from pcsauvegarde.station.documents import KINDS
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import (
    BAD_KEY,
    DAFALGAN_1G,
    DOLIPRANE_1G,
    DOLIPRANE_500,
    LONG_UNIT,
    SPASFON,
    UCD_PARACETAMOL,
    sample_request_form,
)
from tests.support.sample import make_ctx


def test_usual_products_are_the_dotation_and_past_requests_in_picker_order() -> None:
    form = sample_request_form()
    by_code = {line.product_id: line for line in form.lines}
    # the dotation's six, plus Paracétamol the unit asked for twice (not AUTRE's Spasfon 99)
    assert set(by_code) == {DOLIPRANE_1G, DAFALGAN_1G, DOLIPRANE_500, SPASFON, BAD_KEY,
                            "9999999", UCD_PARACETAMOL}
    para = by_code[UCD_PARACETAMOL]
    assert (para.dotation, para.requests, para.last_quantity) == (None, 2, 15)
    assert (by_code[DOLIPRANE_1G].dotation, by_code[DOLIPRANE_1G].last_quantity) == (40, 20)
    assert by_code[SPASFON].last_quantity is None and form.history_requests == 2
    assert [x.storage_zone for x in form.lines] == ["A2", "a2", "A10", "B10", "C1", "", ""]
    assert form.unit_problems == ()


def test_unknown_unit_and_catalogue_faults_are_reported_not_dropped() -> None:
    form = sample_request_form(known=())
    assert form.problems[0][0] == "CHD" and "absent de l'annuaire" in form.problems[0][1]
    faults = dict(form.problems[1:])
    assert "clé de contrôle fausse" in faults[BAD_KEY]
    assert faults[DOLIPRANE_500] == "aucun fournisseur"
    assert faults["9999999"] == "produit absent du catalogue de la pharmacie"


def test_pdf_says_codes_quantities_history_blank_lines_and_signatures() -> None:
    ctx = make_ctx()
    pdf = KINDS["unit_request"].render(sample_request_form(known=()), ctx)
    flat = " ".join(" ".join(page_texts(pdf)).split())
    assert "Demande à la PUI — Cardiologie (CHD)" in flat
    for code in (DOLIPRANE_1G, DAFALGAN_1G, DOLIPRANE_500, SPASFON, BAD_KEY, UCD_PARACETAMOL):
        assert code in flat, code
    for text in ("Qté demandée", "Qté délivrée", "Dernière demande", "15 (2 dem.)",
                 "20 (1 dem.)", "hors dotation (déjà demandé)", "Autres produits",
                 "2 demande(s) précédente(s)", "Demandé par (unité)", "Préparé par (PUI)",
                 "Reçu dans l'unité par", "clé de contrôle fausse", "aucun fournisseur",
                 "service « CHD » absent de l'annuaire", "MODE DÉGRADÉ"):
        assert text in flat, text
    assert flat.index("Doliprane 500 mg") < flat.index("Dafalgan 1 g") < flat.index(
        "Paracétamol 500 mg")
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})


def test_long_unit_renders_cleanly() -> None:
    ctx = make_ctx()
    form = sample_request_form(LONG_UNIT, "Médecine interne et maladies infectieuses "
                                          "tropicales", ())
    pdf = KINDS["unit_request"].render(form, ctx)
    assert "Paracétamol 500 mg" in " ".join(page_texts(pdf))
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})
