"""Sterilisation papers from the demo hospital: what they say, what their barcodes scan to."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pcsauvegarde.station.sterilisation import service
from pcsauvegarde.station.sterilisation.service import SterilisationError
from tests.support.pdfcheck import barcodes, page_texts

AUG31 = dt.date(2026, 8, 31)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_composition_list_prints_every_line_and_the_expiry(station):
    issued = service.issue_tray_lists(station, ["APPEND-01"], "agent", recomposed_on=AUG31,
                                      operator="Sylvie Martin-Lefèbvre")
    pages = page_texts(issued.pdf)
    text = _flat(" ".join(pages))
    tray = service.catalogue(station).trays["APPEND-01"]
    assert 25 <= len(tray.composition) <= 35
    for line in tray.composition:   # instrument, reference and quantity of every line
        assert re.search(re.escape(f"{line.instrument} {line.ref} {line.quantity}"), text), line
    assert "Boîte d'appendicectomie n° 1" in text and "Chirurgie digestive (CHD)" in text
    assert "28/02/2027" in text          # conteneur: 6 months from 31/08/2026
    assert "Conteneur à filtre (validité 6 mois)" in text
    assert "Sylvie Martin-Lefèbvre" in text and "31/08/2026" in text
    assert "Recomposé par (nom, signature)" in text and "Contrôle" in text
    assert all("MODE DÉGRADÉ" in p for p in pages)
    assert "APPEND-01" in barcodes(issued.pdf)
    assert station.journal.get(issued.document.number)["kind"] == "tray_list"


def test_gaps_are_printed_not_dropped(station):
    issued = service.issue_tray_lists(station, ["DRAIN-03", "TRACH-02", "ORL-07"], "agent",
                                      recomposed_on=AUG31)
    pages = [_flat(p) for p in page_texts(issued.pdf)]
    assert len(pages) == 3, "one page per tray, the missing one included"
    assert "COMPOSITION ABSENTE DES DONNÉES" in pages[0]
    assert "15/10/2026" in pages[0]      # double-feuille: 1 month and 15 days
    assert "type d'emballage « sachet-mixte » inconnu" in pages[1]
    assert "28/02/2027" not in pages[1]  # no expiry invented for an unknown packaging
    assert "« ORL-07 » : plateau absent du catalogue" in pages[2]
    assert "À COMPLÉTER À LA MAIN" in pages[2]


def test_leap_year_expiry_on_list(station):
    issued = service.issue_tray_lists(station, ["APPEND-02"], "agent",
                                      recomposed_on=dt.date(2027, 8, 31))
    assert "29/02/2028" in page_texts(issued.pdf)[0]


@pytest.mark.parametrize("stock", ["sheet", "thermal"])
def test_tray_labels_scan_to_circulation_number_and_tray_code(station, stock):
    issued = service.issue_tray_labels(station, ["APPEND-01", "COELIO-01"], "agent",
                                       recomposed_on=AUG31, operator="S. Martin", stock=stock)
    first = service.register(station).range.format(service.register(station).range.first)
    numbers = [first, first[:2] + f"{int(first[2:]) + 1:0{len(first) - 2}d}"]
    text = _flat(" ".join(page_texts(issued.pdf)))
    for number in numbers:
        assert f"Circulation N° {number}" in text
    assert "À utiliser avant le 28/02/2027" in text and "Recomposé le 31/08/2026 par S. Martin" \
        in text and "Destination : Chirurgie digestive" in text
    found = [code for page in range(len(page_texts(issued.pdf)))
             for code in barcodes(issued.pdf, page)]
    assert set(numbers) | {"APPEND-01", "COELIO-01"} <= set(found)
    latest = service.register(station).latest(["APPEND-01"])["APPEND-01"]
    assert latest.number == numbers[0] and latest.expiry == dt.date(2027, 2, 28)


def test_labels_never_reuse_a_number(station):
    one = service.issue_tray_labels(station, ["APPEND-01"], "a", recomposed_on=AUG31)
    two = service.issue_tray_labels(station, ["APPEND-01"], "a", recomposed_on=AUG31)
    a = service.register(station).latest(["APPEND-01"])["APPEND-01"].number
    assert one.document.number != two.document.number
    assert a in _flat(page_texts(two.pdf)[0]) and a not in _flat(page_texts(one.pdf)[0])


def test_no_label_for_a_missing_tray(station):
    with pytest.raises(SterilisationError, match="ORL-07"):
        service.issue_tray_labels(station, ["APPEND-01", "ORL-07"], "a", recomposed_on=AUG31)
    assert service.register(station).latest(["APPEND-01"]) == {}, "no number spent"


def test_autoclave_form_from_a_cycle_with_a_missing_tray(station):
    cycle = next(c for c in service.catalogue(station).cycles if "ORL-07" in c.tray_ids)
    form = service.load_form(station, "autoclave", [], cycle=cycle, operator="Paul")
    text = _flat(page_texts(service.issue_load_form(station, form, "agent").pdf)[0])
    assert "Fiche de charge autoclave" in text and cycle.cycle_number in text
    assert cycle.lot in text and "Autoclave" in text and "134 °C 18 min (prion)" in text
    assert "« ORL-07 » : plateau absent du catalogue" in text
    assert "APPEND-02" in text and "CESAR-01" in text
    assert "Charge LIBÉRÉE" in text and "Coller ici l'indicateur" in text


def test_blank_load_forms(station):
    for kind, title in (("autoclave", "Fiche de charge autoclave"),
                        ("washer", "Formulaire de mise en laveur")):
        text = _flat(page_texts(service.issue_load_form(
            station, service.load_form(station, kind, []), "agent").pdf)[0])
        assert title in text and "N° de cycle …" in text and "14 ☐" in text
        assert "À COMPLÉTER" not in text
    washer = service.load_form(station, "washer", ["PANS-12"], equipment="LD-1")
    text = _flat(page_texts(service.issue_load_form(station, washer, "agent").pdf)[0])
    assert "Laveur-désinfecteur 1 (LD-1)" in text and "Plateau de pansement complexe" in text
    assert "Cycle non conforme" in text


def test_delivery_note_carries_circulation_numbers(station):
    service.issue_tray_labels(station, ["APPEND-01"], "a", recomposed_on=AUG31)
    number = service.register(station).latest(["APPEND-01"])["APPEND-01"].number
    issued = service.issue_transfer(station, "delivery", "CHD", ["APPEND-01", "PANS-12"], "a")
    text = _flat(page_texts(issued.pdf)[0])
    assert "Bon de livraison des plateaux" in text and "Chirurgie digestive (CHD)" in text
    assert f"APPEND-01 Boîte d'appendicectomie n° 1 {number} 28/02/2027" in text
    assert "aucune étiquette imprimée sur ce poste pour PANS-12" in text
    assert station.journal.get(issued.document.number)["unit"] == "CHD"
    reception = service.issue_transfer(station, "reception", "CHD", ["APPEND-01"], "a")
    assert "Formulaire de réception des plateaux" in page_texts(reception.pdf)[0]


def test_or_sheet_per_intervention(station):
    now = dt.datetime.now(dt.UTC)
    cases = service.or_day(station, now)
    assert cases, "the demo has today's OR schedule"
    case = next(c for c in cases if "APPEND-02" in c.tray_ids)
    issued = service.issue_or_sheet(station, case.id, [], "agent", now=now)
    text = _flat(page_texts(issued.pdf)[0])
    assert case.procedure in text and f"IPP : {case.ipp}" in text
    # « Allergies : aucune allergie connue », or « ⚠ ALLERGIES : … » for an allergic patient
    assert "allergies" in text.casefold()
    cycle = service.catalogue(station).last_cycle("APPEND-02")
    assert cycle is not None and cycle.lot in text.replace(" ", "")
    assert station.journal.get(issued.document.number)["ipp"] == case.ipp
    with pytest.raises(SterilisationError, match="absente du programme"):
        service.issue_or_sheet(station, "NOPE", [], "agent")


def test_bench_runs_on_a_few_trays():
    from bench.sterilisation import run
    lines: list[str] = []
    figures = run(4, out=lines.append)
    assert figures["pages"] >= 4 and "4 composition lists" in lines[0]
