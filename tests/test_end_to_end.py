"""The walking skeleton end to end: demo FHIR → publish → scheduled pull → UI → printed PDF."""

from __future__ import annotations

import datetime as dt

import pytest

from pcsauvegarde.demo import station as demostation
from pcsauvegarde.station import patients
from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.scheduler import jobs
from pcsauvegarde.station.web import create_app
from tests.support.constants import NOW
from tests.support.pdfcheck import barcodes, page_texts


@pytest.mark.slow
def test_publish_pull_login_print(tmp_path):
    paths, settings, config = demostation.setup(tmp_path / "demo")
    written = demostation.publish_demo(paths, config, now=NOW)
    assert {p.name.split(".")[1] for p in written} >= {"dpi", "lab", "directory"}

    station = open_station(settings)
    table = jobs(settings, station.store, load_station_keys(settings))
    assert [j.id for j in table] == ["pull:demo-drop"]
    run = table[0].func()  # the scheduled job, run directly rather than by waiting
    assert run.accepted == len(written) and run.quarantined == 0

    station.accounts.add("ide", "IDE de nuit", "mot-de-passe-long", ("soins",))
    client = create_app(station, {"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    assert client.post("/connexion", data={"login": "ide",
                                           "password": "mot-de-passe-long"}).status_code == 302

    unit = next(u for u in patients.units(station) if u.inpatients)
    row = next(r for r in patients.inpatients(station, unit.code)
               if r.has_allergy)
    file = patients.patient_file(station, row.patient.id)
    # an order still running when printed (the summary leaves out ended ones; the demo's
    # end times depend on the hour the suite runs)
    order = next(o for o in file.orders if o.end is None or o.end > dt.datetime.now(dt.UTC))
    allergy = file.allergies[0]

    r = client.post(f"/patients/{row.patient.id}/documents/summary")
    number = r.headers["Location"].rsplit("/", 1)[-1]
    pdf = client.get(f"/documents/{number}.pdf").data
    text = " ".join("\n".join(page_texts(pdf)).split())  # cells wrap: compare words
    p = row.patient
    assert p.birth_name.upper() in text and p.id in text
    assert p.birth_date.strftime("%d/%m/%Y") in text
    assert allergy.substance in text
    assert " ".join(order.drug.split()) in text
    assert "MODE DÉGRADÉ — données du" in text
    assert barcodes(pdf).count(p.id) == 1

    # a second scheduled run finds nothing new and keeps the snapshot
    again = table[0].func()
    assert again.seen == 0 and station.store.snapshot("dpi").sequence == 1
