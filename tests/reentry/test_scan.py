"""Scans resolve to worklist items, groups, or a French reason (never issued, elsewhere…)."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.documents.base import PAGE_CODE_SEPARATOR
from pcsauvegarde.station.issuing.issue import issue_patient_document
from pcsauvegarde.station.reentry import scan, worklist
from pcsauvegarde.station.state.accounts import User
from tests.support.reentry import issue_during_outage


@pytest.fixture
def done(station):
    return issue_during_outage(station)


def _resolve(station, done, value, user=None):
    every = worklist.items(station, done.window)
    seen = [i for i in every if worklist.may_see(user, i)] if user else every
    return scan.resolve(station, done.window, every, seen, value)


def test_page_codes_numbers_tubes_trays_and_ipps_open_their_item(station, done):
    doc = done.documents[0]
    for value, key in ((f"{doc}{PAGE_CODE_SEPARATOR}2", ("document", doc)),
                       (doc.lower(), ("document", doc)),
                       (f"  {done.lab_labels[1]}02\n", ("lab_label", done.lab_labels[1])),
                       (done.lab_labels[0], ("lab_label", done.lab_labels[0])),
                       (done.trays[0], ("tray", done.trays[0])),
                       (done.admission, ("admission", done.admission))):
        found = _resolve(station, done, value)
        assert [i.key for i in found.items] == [key], (value, found.message)


def test_a_bundle_or_label_sheet_opens_its_group(station, done):
    found = _resolve(station, done, done.bundle)
    assert found.group == done.bundle and {i.number for i in found.items} == set(done.documents)
    assert "regroupe" in found.message
    every = worklist.items(station, done.window)
    ipp = next(i.ipp for i in every if i.item_kind == "lab_label" and i.ipp != done.admission)
    found = _resolve(station, done, ipp)   # a real patient's wristband: that patient's paper
    assert found.group == ipp.upper() and "patient IPP" in found.message
    assert {i.number for i in found.items} == {i.number for i in every if i.ipp == ipp}
    assert len(found.items) >= 3


NOT_ITEMS = [
    ("", "aucun code lu"),
    ("=cmd|'/C calc'!A0", "code illisible"),
    ("é" * 3, "code illisible"),
    ("X" * 200, "code illisible"),
    ("ST\u202e000001", "code illisible"),
    ("\U0001F600", "code illisible"),
    ("O'BRIEN", "code illisible"),
    ("AUTREPOSTE-0000042", "émis par un autre poste (préfixe AUTREPOSTE"),
    ("STATION-DEMO-9999999", "jamais été émis par ce poste"),
    ("ST999998", "numéro de circulation de plateau de la plage de ce poste, jamais émis"),
    ("XY000001", "code inconnu « XY000001 »"),
    ("123", "numéro hors des plages de ce poste"),
]


def test_what_is_not_an_item_says_why(station, done):
    for value, message in NOT_ITEMS:
        found = _resolve(station, done, value)
        assert not found.found and message in found.message, (value, found.message)


def test_never_issued_lab_number_and_out_of_window_document(station, done):
    from pcsauvegarde.station.settings import lab_range_of
    rng = lab_range_of(station.settings)
    unused = rng.number(rng.serial.format(rng.serial.last))
    assert "numéro de laboratoire de la plage de ce poste, jamais émis" in _resolve(
        station, done, unused + "01").message
    later = issue_patient_document(station, "summary", done.admission, "infirmiere")
    msg = _resolve(station, done, later.document.number).message
    assert "hors de la fenêtre" in msg and "Panne DPI" in msg


def test_an_item_of_another_unit_is_named_not_opened(station, done):
    nurse = User("n", "N", ("soins",), ("NOWHERE",), True)
    found = _resolve(station, done, done.documents[0], nurse)
    assert not found.found and "hors de votre liste de ressaisie" in found.message
    assert "D'ARTAGNAN" not in found.message
