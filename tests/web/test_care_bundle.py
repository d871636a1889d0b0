"""« Imprimer le service », patient care documents, unit scope and start-up template check."""

from __future__ import annotations

import re

import pytest

from pcsauvegarde.station import patients
from tests.support.constants import PASSWORD
from tests.support.pdfcheck import barcodes, page_texts


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
    r = logged_in.post(f"/services/{unit.code}/imprimer",
                       data={"kinds": ["census", "administration_plan"]})
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
    r = logged_in.post(f"/services/{unit.code}/imprimer",
                       data={"kinds": ["administration_plan", "summary"]})
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
