"""Annuaire: suppliers' order contacts, units' phones, staff; what is missing is said."""

from __future__ import annotations

from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.pharmacy.directory import build
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.pharmacy import LONG_UNIT, catalogue_of, directory, staff
from tests.support.sample import make_ctx


def _book():
    _, _, suppliers = catalogue_of()
    return build(list(suppliers.values()), directory(), staff(), {"CHD", LONG_UNIT})


def test_directory_sorts_and_names_every_gap() -> None:
    book = _book()
    assert [s.name for s, _ in book.suppliers] == ["Laboratoires Dupré",
                                                   "Répartition Sans-Contact"]
    assert book.unknown_units == ("REA-2", LONG_UNIT)
    codes = [code for code, _ in book.problems]
    assert codes == ["F002", "REA-2", LONG_UNIT]


def test_pdf_says_contacts_phones_and_gaps() -> None:
    ctx = make_ctx()
    pdf = KINDS["directory"].render(_book(), ctx)
    flat = " ".join(" ".join(page_texts(pdf)).split())
    for text in ("Laboratoires Dupré", "01 23 45 67 89", "commandes@dupre.fr", "Mme Lefèvre",
                 "Cardiologie", "4521", "Dr Étienne Cœur", "cardiologue", "4522", "bip 318",
                 "Inès Martin-Delacroix", "aucun contact", "REA-2",
                 "absents de l'annuaire des unités", "non renseigné"):
        assert text in flat, text
    assert_page_quality(pdf, allergies=False, barcodes={ctx.document_number})
