"""Unit bundles: the plan before printing, no cover for the census alone, the night bundle."""

from __future__ import annotations

import statistics

from pcsauvegarde.station.issuing.bundling import PRESETS, bundle_plan, issue_unit_bundle
from pcsauvegarde.station.patients import unit_file
from pcsauvegarde.station.store import queries
from tests.support.constants import NOW
from tests.support.pdfcheck import page_texts


def biggest_unit(station):
    return max((u for u in queries.units(station.store) if u.inpatients),
               key=lambda u: u.inpatients).code


def test_census_alone_has_no_cover(station) -> None:
    unit = biggest_unit(station)
    issued = issue_unit_bundle(station, unit, ["census"], "ide", NOW)
    texts = page_texts(issued.pdf)
    assert not any("Impression du service" in t for t in texts)
    assert "Patients du service" in texts[0]
    assert station.journal.get(issued.document.number)["pages"] == len(texts)


def test_plan_says_what_the_bundle_holds_and_its_pages(station) -> None:
    unit = biggest_unit(station)
    kinds = ("census", "administration_plan", "care_plan")
    plan = bundle_plan(station, unit, kinds, "ide", NOW)
    assert [line.kind for line in plan.lines] == list(kinds)
    patients = len(unit_file(station, unit).rows)
    assert plan.patients == patients
    assert [line.documents for line in plan.lines] == [1, patients, patients]
    assert station.journal.recent(5) == []            # nothing journalled by a plan
    issued = issue_unit_bundle(station, unit, kinds, "ide", NOW)
    assert plan.pages == len(page_texts(issued.pdf))
    assert plan.cover_pages == 1
    assert plan.pages == plan.cover_pages + sum(line.pages for line in plan.lines)


def test_night_bundle_two_pages_per_typical_patient(station) -> None:
    night = next(p for p in PRESETS if p.key == "nuit")
    assert night.kinds == ("census", "administration_plan") and night.compact
    for unit in ("MED", "CHD", "REA"):
        plan = bundle_plan(station, unit, night.kinds, "ide", NOW, compact=True)
        full = bundle_plan(station, unit, night.kinds, "ide", NOW)
        mar = next(line for line in plan.lines if line.kind == "administration_plan")
        full_mar = next(line for line in full.lines if line.kind == "administration_plan")
        assert mar.pages < full_mar.pages and plan.pages < full.pages
        issued = issue_unit_bundle(station, unit, night.kinds, "ide", NOW, compact=True)
        texts = page_texts(issued.pdf)
        assert len(texts) == plan.pages
        pages = [int(t.split("Page 1/")[1].split()[0]) for t in texts if "Page 1/" in t
                 and "Plan d'administration" in t]
        # a typical patient on two pages; an ICU patient with infusions, a protocol and PRN
        # orders may take a third (the demo draws such patients on some days), never more
        assert statistics.median(pages) <= 2 and max(pages) <= 3, pages


def test_or_case_from_the_imaging_package_reaches_the_care_plan(station, settings, keys,
                                                                make_package, demo_records,
                                                                tmp_path) -> None:
    import datetime as dt

    from pcsauvegarde.core.records import SurgeryCase
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.documents import care_plan
    from pcsauvegarde.station.issuing.issue import context
    from pcsauvegarde.station.sync.ingest import ingest

    unit = biggest_unit(station)
    ipp = unit_file(station, unit).rows[0].patient.id
    case = SurgeryCase("or-1", ipp, "Salle 4", NOW + dt.timedelta(hours=5),
                       "Cholécystectomie coelioscopique", "Dr Zoé Müller", "Dr Paul Roux")
    imaging = [r for r in demo_records if r.DOMAIN == "imaging"]
    current = station.store.snapshot("imaging")
    (tmp_path / "or").mkdir()
    package = make_package(tmp_path / "or", [*imaging, case], domain="imaging",
                           sequence=(current.sequence if current else 0) + 1)
    outcome = ingest(settings, station.store, package, keys)
    assert outcome.outcome == "accepted", outcome
    file = patients.patient_file(station, ipp, now=NOW)
    assert file is not None and [c.id for c in file.surgery_cases] == ["or-1"]
    pdf = care_plan.render(file, context(station, "T-1", "ide", NOW, file.extracted_at))
    text = " ".join("\n".join(page_texts(pdf)).split())
    assert "Cholécystectomie coelioscopique" in text
    assert "Bloc opératoire — salle : Salle 4" in text
