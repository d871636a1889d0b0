"""« Kit de démarrage »: a unit's forms for every inpatient in bed order, one job, pages known
before printing, every sheet journalled (issue 15)."""

from __future__ import annotations

import pytest

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents.base import page_code
from pcsauvegarde.station.issuing.issue import IssueError
from pcsauvegarde.station.issuing.kit import issue_unit_kit, offered_forms, plan_kit
from tests.support.pdfcheck import barcodes, page_texts

FORMS = ["surveillance-24h", "prescription-papier", "transmissions-ciblees", "glycemie-insuline"]


@pytest.fixture
def unit(station):
    """The demo's smallest unit with inpatients (not the ICU)."""
    return min((u for u in patients.units(station) if u.inpatients and u.code != "REA"),
               key=lambda u: u.inpatients).code


def test_kit_estimate_matches_the_printed_kit(station, unit):
    plan = plan_kit(station, unit, FORMS, ("soins",))
    rows = patients.inpatients(station, unit)
    assert plan.patients == len(rows) and plan.documents == len(rows) * 4
    issued = issue_unit_kit(station, unit, FORMS, "infirmiere", roles=("soins",))
    texts = page_texts(issued.pdf)
    assert len(texts) == plan.pages
    cover = " ".join(texts[:plan.cover_pages])
    assert "Kit de démarrage" in cover and f"{plan.documents} document(s)" in cover
    kit_row = station.journal.get(issued.document.number)
    assert (kit_row["kind"], kit_row["pages"]) == ("kit", plan.pages)
    # every sheet is journalled: patient, form, pages; in bed order, forms by title
    sheets = [r for row in rows for r in station.journal.forms_of(row.patient.id)]
    assert len(sheets) == plan.documents
    assert {s["form"] for s in sheets} == set(FORMS)
    assert all(s["container"] == issued.document.number and s["pages"] for s in sheets)
    assert sum(s["pages"] for s in sheets) + plan.cover_pages == plan.pages
    first = rows[0].patient.id
    page = plan.cover_pages   # 0-based index of the first form's first page
    assert first in texts[page]
    sheet = station.journal.forms_of(first)[0]["number"]
    assert page_code(sheet, 1) in barcodes(issued.pdf, page)


def test_a_form_not_offered_to_the_unit_is_refused(station, unit):
    assert "pancarte-soins-critiques" not in {f.id for f in offered_forms(unit, ("soins",))}
    assert "pancarte-soins-critiques" in {f.id for f in offered_forms("REA", ("soins",))}
    with pytest.raises(IssueError, match="pancarte-soins-critiques"):
        plan_kit(station, unit, ["pancarte-soins-critiques"], ("soins",))
    with pytest.raises(IssueError, match="aucun"):
        plan_kit(station, unit, [], ("soins",))


def test_roles_decide_which_forms_are_offered():
    assert offered_forms("MED", ("pharmacie",)) == []
    assert offered_forms("MED", ("admin",))
