"""The one read path: a downtime admission shows in every list, search and document."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import pcsauvegarde
from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.issuing.bundling import BUNDLE_KINDS, issue_unit_bundle
from pcsauvegarde.station.issuing.issue import issue_patient_document, issue_unit_document
from pcsauvegarde.station.state.admissions import AdmissionRequest
from tests.support.pdfcheck import page_texts

BIRTH_NAME = "DE LA TOUR D'AUVERGNE-LAURAGAIS"


@pytest.fixture
def admitted(station):
    """A patient admitted during the outage in the demo's smallest unit, in bed 0 A."""
    unit = min((u for u in patients.units(station) if u.inpatients),
               key=lambda u: u.inpatients).code
    request = AdmissionRequest(birth_name=BIRTH_NAME, first_names="Zoé Anaïs",
                               birth_date=dt.date(1990, 7, 14), sex="F", unit=unit,
                               room="0", bed="A", reason="Douleur thoracique")
    return patients.admissions_of(station).admit(request, "infirmiere")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_unit_lists_count_and_order_the_admission(station, admitted):
    unit = admitted.request.unit
    rows = patients.inpatients(station, unit)
    assert [r.patient.id for r in rows if r.provisional] == [admitted.ipp]
    assert rows[0].patient.id == admitted.ipp           # room « 0 » sorts first
    summary = next(u for u in patients.units(station) if u.code == unit)
    assert summary.inpatients == len(rows)
    census = patients.unit_file(station, unit)
    assert [r.patient.id for r in census.rows] == [r.patient.id for r in rows]
    assert census.rows[0].stay.id == admitted.nda
    assert patients.patient_unit(station, admitted.ipp) == (True, unit)


def test_search_finds_the_admission(station, admitted):
    for query in ("tour d'auvergne zoe", admitted.ipp, admitted.nda, "14/07/1990"):
        assert admitted.ipp in {r.patient.id for r in patients.search(station, query)}, query


def test_census_pdf_lists_the_admission(station, admitted):
    unit_file = patients.unit_file(station, admitted.request.unit)
    pdf = issue_unit_document(station, "census", unit_file, "infirmiere").pdf
    text = _flat("\n".join(page_texts(pdf)))
    assert admitted.ipp in text and admitted.nda in text and "Zoé Anaïs" in text
    assert f"{len(unit_file.rows)} patient" in text


@pytest.mark.slow
def test_unit_bundle_holds_every_document_of_the_admission(station, admitted):
    issued = issue_unit_bundle(station, admitted.request.unit, BUNDLE_KINDS, "infirmiere")
    texts = [_flat(t) for t in page_texts(issued.pdf)]
    cover = next(t for t in texts if "Impression du service" in t)
    assert f"(IPP {admitted.ipp})" in cover
    journal = [d for d in station.journal.recent(500) if d["ipp"] == admitted.ipp]
    patient_kinds = [k for k in BUNDLE_KINDS if KINDS[k].scope == "patient"]
    assert sorted(d["kind"] for d in journal) == sorted(patient_kinds)
    for doc in journal:  # each inner document of the patient names them on its pages
        pages = [t for t in texts if doc["number"] in t]
        assert pages and all(admitted.ipp in t for t in pages), doc["kind"]
    census = next(t for t in texts if "Liste des patients du service" in t)
    assert admitted.ipp in census


@pytest.mark.parametrize("kind", sorted(k for k, v in KINDS.items() if v.scope == "patient"))
def test_every_patient_document_of_the_admission(station, admitted, kind):
    options = {"form": "accueil-urgences"} if kind == "form" else {}
    pdf = issue_patient_document(station, kind, admitted.ipp, "infirmiere", **options).pdf
    texts = [_flat(t) for t in page_texts(pdf)]
    assert texts and all(admitted.ipp in t for t in texts), kind
    assert any("TOUR D'AUVERGNE" in t for t in texts), kind


def test_only_the_read_path_reads_patients_from_the_store():
    """A module reading store.queries directly would miss the downtime admissions."""
    root = Path(pcsauvegarde.__file__).parent
    allowed = {root / "station" / "patients.py", root / "station" / "store" / "queries.py"}
    offenders = []
    for path in root.rglob("*.py"):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [f"{node.module}.{a.name}" for a in node.names]
                     if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(n.startswith("pcsauvegarde.station.store.queries") for n in names):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
