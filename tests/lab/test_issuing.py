"""Issuing lab labels: batches ahead of time, a patient's set, printer failure and reprint."""

from __future__ import annotations

import pytest

from pcsauvegarde.station import patients
from pcsauvegarde.station.lab.issuing import LabelRequest, issue_labels, reprint
from pcsauvegarde.station.lab.register import LabError, register_of
from pcsauvegarde.station.printing import FilePrinter
from tests.support.pdfcheck import barcodes, page_texts


def test_blank_batch_ahead_of_time(station):
    issued = issue_labels(station, LabelRequest(sets=10, tubes=4), "labo", send=True)
    batch = issued.batch
    assert len(batch.numbers) == 10 and batch.kind == "blank" and batch.status == "printed"
    assert batch.numbers[0] == "95000014"           # 9500001 + its Luhn digit
    codes = sorted(f"{n}{t:02d}" for n in batch.numbers for t in range(1, 5))
    assert sorted(set(barcodes(issued.pdf)) - {batch.document_number}) == codes
    doc = station.journal.get(batch.document_number)
    assert doc["kind"] == "lab_labels" and doc["ipp"] is None
    entries = register_of(station).search(batch.numbers[3] + "02")   # a tube's barcode
    assert [(e.number, e.batch.issued_by) for e in entries] == [(batch.numbers[3], "labo")]


def test_patient_labels_link_every_number_to_the_patient(station):
    row = patients.inpatients(station, "CHD")[0]
    req = LabelRequest(sets=2, tubes=3, ipp=row.patient.id, urgent=True, format="thermal",
                       tube_types=("Sec (rouge)", "", "EDTA (violet)"))
    issued = issue_labels(station, req, "labo")
    texts = page_texts(issued.pdf)
    assert len(texts) == 6 and row.patient.birth_name.upper() in texts[0]
    assert "URGENT" in texts[0] and "EDTA (violet)" in texts[2]
    assert {e.ipp for e in register_of(station).search(row.patient.id)} == {row.patient.id}
    assert issued.batch.unit == "CHD" and issued.batch.status == "issued"


def test_printer_failure_keeps_the_numbers_to_reprint(station):
    good = station.printer
    blocker = station.settings.data_dir / "blocked"
    blocker.write_text("not a folder")
    station.printer = FilePrinter(blocker / "printed")
    issued = issue_labels(station, LabelRequest(sets=3, tubes=2), "labo", send=True)
    assert not issued.outcome.ok and issued.batch.status == "print_failed"
    register = register_of(station)
    assert [b.id for b in register.failed()] == [issued.batch.id]
    station.printer = good
    again = reprint(station, issued.batch.id, "labo")
    assert again.outcome.ok and again.batch.status == "printed" and again.batch.prints == 1
    assert again.batch.numbers == issued.batch.numbers and register.failed() == []


def test_bad_requests_allocate_nothing(station):
    register = register_of(station)
    left = register.remaining()
    for req, message in ((LabelRequest(sets=600, tubes=4), "2000 au plus"),
                         (LabelRequest(ipp="INCONNU"), "introuvable"),
                         (LabelRequest(format="zpl"), "format « zpl » inconnu")):
        with pytest.raises(LabError, match=message):
            issue_labels(station, req, "labo")
    assert register.remaining() == left and register.all() == []
