"""A pre-identified form is journalled with its form id, patient and page count (re-entry)."""

from __future__ import annotations

import sqlite3

import pytest

from pcsauvegarde.station import patients
from pcsauvegarde.station.issuing.issue import IssueError, issue_patient_document
from pcsauvegarde.station.state.statedb import StateDB
from tests.support.pdfcheck import page_texts


@pytest.fixture
def inpatient(station):
    unit = next(u for u in patients.units(station) if u.inpatients).code
    return patients.inpatients(station, unit)[0].patient.id


def test_a_form_is_journalled_with_form_patient_and_pages(station, inpatient):
    issued = issue_patient_document(station, "form", inpatient, "infirmiere",
                                    form="surveillance-24h")
    row = station.journal.get(issued.document.number)
    assert (row["kind"], row["form"], row["ipp"]) == ("form", "surveillance-24h", inpatient)
    assert row["pages"] == len(page_texts(issued.pdf)) == 2
    listed = station.journal.forms_of(inpatient)
    assert [(r["number"], r["form"], r["pages"]) for r in listed] == [
        (issued.document.number, "surveillance-24h", 2)]
    audit = station.audit.last("document.issued", issued.document.number)
    assert audit is not None and audit.details_dict["form"] == "surveillance-24h"


def test_an_unknown_form_spends_no_number(station, inpatient):
    before = station.journal.recent(1)
    with pytest.raises(IssueError, match="formulaire « inexistant » absent"):
        issue_patient_document(station, "form", inpatient, "infirmiere", form="inexistant")
    assert station.journal.recent(1) == before


def test_an_older_state_database_gains_the_form_column(tmp_path):
    path = tmp_path / "state.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE issued_document (number TEXT PRIMARY KEY, seq INTEGER NOT NULL"
                   " UNIQUE, kind TEXT NOT NULL, ipp TEXT, unit TEXT, issued_at TEXT NOT NULL,"
                   " issued_by TEXT NOT NULL, snapshot TEXT NOT NULL DEFAULT '', pages INTEGER,"
                   " status TEXT NOT NULL DEFAULT 'issued')")
        db.execute("INSERT INTO issued_document (number, seq, kind, issued_at, issued_by)"
                   " VALUES ('X-1', 1, 'summary', '2026-11-27T10:00:00+00:00', 'a')")
    state = StateDB(path)
    with state.connect() as db:
        row = db.execute("SELECT number, form FROM issued_document").fetchone()
    assert tuple(row) == ("X-1", None)
