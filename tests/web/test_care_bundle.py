"""« Imprimer le service », patient care documents, unit scope and start-up template check."""

from __future__ import annotations

import re
import time

import pytest

from pcsauvegarde.station import patients
from tests.support.constants import PASSWORD
from tests.support.pdfcheck import barcodes, page_texts
from tests.support.web import print_unit


def smallest_unit(station):
    units = [u for u in patients.units(station) if u.inpatients]
    return min(units, key=lambda u: u.inpatients)


def test_unit_page_offers_the_bundle_form(logged_in, station):
    unit = smallest_unit(station)
    html = logged_in.get(f"/services/{unit.code}").get_data(as_text=True)
    assert "Imprimer le service" in html and 'value="administration_plan"' in html


@pytest.mark.slow
def test_unit_bundle_cover_lists_contents_in_bed_order(logged_in, station):
    unit = smallest_unit(station)
    rows = patients.unit_file(station, unit.code).rows
    r = print_unit(logged_in, unit.code, ["census", "administration_plan"])
    assert r.status_code == 302
    number = r.headers["Location"].rsplit("/", 1)[-1]
    assert logged_in.get(f"/documents/{number}").status_code == 200
    pdf = logged_in.get(f"/documents/{number}.pdf").data
    texts = page_texts(pdf)
    journal = {d["number"]: d for d in station.journal.recent(200)}
    assert journal[number]["kind"] == "bundle" and journal[number]["pages"] == len(texts)
    cover = "\n".join(t for t in texts if "Impression du service" in t)
    assert "Impression du service" in cover and f"{len(rows)} patient(s)" in cover
    assert number in barcodes(pdf, page=0)
    # Cover: census first, then one MAR per patient in bed order, each with its own number.
    names = [f"IPP {r.patient.id}" for r in rows]
    positions = [cover.index(n) for n in names]
    assert positions == sorted(positions)
    documents = re.findall(r"STATION-DEMO-\d{7}", cover)
    inner = [n for n in documents if n != number]
    assert len(inner) == len(rows) + 1 and len(set(inner)) == len(inner)
    assert all(journal[n]["pages"] >= 1 for n in inner)
    assert journal[inner[0]]["kind"] == "census"
    # Each MAR restarts its page numbering and carries its own number and patient identity.
    mar_pages = [t for t in texts if "Plan d'administration — 72 h" in t]
    starts = [t for t in mar_pages if "Page 1/" in t]
    assert len(starts) == len(rows)
    first_mar = texts.index(starts[0])
    assert rows[0].patient.birth_name.upper() in texts[first_mar]
    assert inner[1] in texts[first_mar] and "MODE DÉGRADÉ" in texts[first_mar]


def test_bundle_needs_a_kind_and_unit_scope(logged_in, station, client):
    unit = smallest_unit(station)
    r = logged_in.post(f"/services/{unit.code}/imprimer", data={}, follow_redirects=True)
    assert "Cochez au moins un document" in r.get_data(as_text=True)
    station.accounts.add("ide-rea", "IDE Réa", PASSWORD, ("soins",), ("REA",))
    client.post("/deconnexion")
    client.post("/connexion", data={"login": "ide-rea", "password": PASSWORD})
    other = next(u for u in patients.units(station) if u.code != "REA")
    assert client.post(f"/services/{other.code}/imprimer",
                       data={"kinds": ["census"]}).status_code == 403


def test_bundle_refused_without_soins_role(client, station):
    station.accounts.add("labo", "Labo", PASSWORD, ("laboratoire",), ("*",))
    client.post("/connexion", data={"login": "labo", "password": PASSWORD})
    unit = smallest_unit(station)
    assert client.post(f"/services/{unit.code}/imprimer",
                       data={"kinds": ["census"]}).status_code == 403


@pytest.mark.parametrize("kind", ["administration_plan", "prescriptions", "care_plan"])
def test_patient_care_documents(logged_in, station, kind):
    row = patients.inpatients(station, smallest_unit(station).code)[0]
    html = logged_in.get(f"/patients/{row.patient.id}").get_data(as_text=True)
    assert f'id="print-{kind}"' in html
    r = logged_in.post(f"/patients/{row.patient.id}/documents/{kind}")
    number = r.headers["Location"].rsplit("/", 1)[-1]
    pdf = logged_in.get(f"/documents/{number}.pdf").data
    for text in page_texts(pdf):
        assert row.patient.birth_name.upper() in text and number in text
    assert station.journal.recent(1)[0]["kind"] == kind


def test_demo_mar_shows_demo_drugs_and_standard_hours(station):
    from pcsauvegarde.station.issuing.issue import issue_patient_document
    row = patients.inpatients(station, smallest_unit(station).code)[0]
    file = patients.patient_file(station, row.patient.id)
    issued = issue_patient_document(station, "administration_plan", row.patient.id, "test")
    text = "\n".join(page_texts(issued.pdf))
    for order in file.orders:
        assert " ".join(order.drug.split()) in " ".join(text.split())
    if any(o.timing.kind == "times_per_day" for o in file.orders):
        assert "08:00" in text


def test_broken_template_stops_startup(station, tmp_path):
    import dataclasses

    from pcsauvegarde.station.documents import templates
    from pcsauvegarde.station.web import create_app
    broken = tmp_path / "care_plan.toml"
    text = (templates.DEFAULT_DIR / "care_plan.toml").read_text(encoding="utf-8")
    broken.write_text(text.replace('[vigilance]\n', '[vigilanse]\n'), encoding="utf-8")
    station.settings = dataclasses.replace(station.settings, print_templates_dir=str(tmp_path))
    with pytest.raises(templates.TemplateError) as err:
        create_app(station, {"TESTING": True})
    assert str(broken) in str(err.value) and "vigilan" in str(err.value)


@pytest.mark.slow
def test_inner_document_preview_is_taken_from_the_bundle(logged_in, station):
    from pcsauvegarde.station.issuing.issue import documents_dir
    unit = smallest_unit(station)
    r = print_unit(logged_in, unit.code, ["administration_plan", "summary"])
    number = r.headers["Location"].rsplit("/", 1)[-1]
    bundle_pages = len(page_texts(logged_in.get(f"/documents/{number}.pdf").data))
    inner = [d for d in station.journal.recent(200) if d["seq"] < int(number[-7:])
             and d["kind"] in ("administration_plan", "summary")][:2]
    assert inner and not (documents_dir(station) / f"{inner[0]['number']}.pdf").exists()
    total = 0
    for doc in inner:
        where = station.journal.location(doc["number"])
        assert where.container == number and where.pages == doc["pages"]
        assert logged_in.get(f"/documents/{doc['number']}").status_code == 200
        pdf = logged_in.get(f"/documents/{doc['number']}.pdf").data
        texts = page_texts(pdf)
        assert len(texts) == doc["pages"]
        for n, text in enumerate(texts, start=1):
            assert doc["number"] in text and f"Page {n}/{len(texts)}" in text
            assert f"IPP : {doc['ipp']}" in text
        assert doc["number"] in barcodes(pdf, page=0)
        total += len(texts)
    assert total < bundle_pages
    assert logged_in.get("/documents/STATION-DEMO-9999999.pdf").status_code == 404


def test_a_long_bundle_shows_its_progress_and_runs_once(logged_in, station, monkeypatch):
    """Past WAIT_SECONDS the screen follows the job; asking again joins the running job."""
    from pcsauvegarde.station.web import care
    monkeypatch.setattr(care, "WAIT_SECONDS", 0)
    unit = smallest_unit(station)
    before = len(station.journal.recent(1000))
    first = logged_in.post(f"/services/{unit.code}/imprimer",
                           data={"kinds": ["administration_plan", "care_plan"]})
    second = logged_in.post(f"/services/{unit.code}/imprimer",
                            data={"kinds": ["administration_plan", "care_plan"]})
    assert "/impression/" in first.headers["Location"]
    assert second.headers["Location"] == first.headers["Location"]  # the same job, not a 2nd
    page = logged_in.get(first.headers["Location"])
    if page.status_code == 200:  # still running: where it stands, reloading itself
        html = page.get_data(as_text=True)
        assert 'id="bundle-progress"' in html and 'http-equiv="refresh"' in html
        said = ("Préparation des documents", "Lecture des dossiers", "Mise en page")
        assert "<progress" in html and any(w in html for w in said)
    while page.status_code == 200:
        time.sleep(0.2)
        page = logged_in.get(first.headers["Location"])
    number = page.headers["Location"].rsplit("/", 1)[-1]
    job = next(iter(logged_in.application.extensions[care.JOBS]._jobs.values()))
    assert job.number == number and job.stage == "documents"
    assert job.done == job.total > 0 and job.pages > 0
    bundles = [d for d in station.journal.recent(1000)[:len(station.journal.recent(1000))
                                                        - before] if d["kind"] == "bundle"]
    assert len(bundles) == 1  # one bundle for two requests


def test_progress_of_an_unknown_job_goes_back_to_the_unit(logged_in):
    r = logged_in.get("/services/REA/impression/inconnu", follow_redirects=True)
    assert "plus suivie" in r.get_data(as_text=True)


def test_a_failing_bundle_says_so_on_screen(logged_in, station, monkeypatch):
    """A bundle that breaks in its thread ends on the unit page with a French message."""
    from pcsauvegarde.station.issuing import jobs

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(jobs, "issue_unit_bundle", broken)
    unit = smallest_unit(station)
    r = print_unit(logged_in, unit.code, ["census"])
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/services/{unit.code}")
    page = logged_in.get(r.headers["Location"]).get_data(as_text=True)
    assert "l&#39;impression du service a échoué (RuntimeError)" in page
