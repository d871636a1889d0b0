"""Attack run (issue 11, web 1–3): documents, failed prints and admissions stay in their unit."""

from __future__ import annotations

import re

import pytest

from pcsauvegarde.station.printing import FilePrinter
from pcsauvegarde.station.printing.retry import PrintQueue
from pcsauvegarde.station.store import queries
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.web import IN_UNIT, OUT_UNIT, client_as


def _drop_patient_from_extract(station, make_package, demo_records, drop, keys, ipp):
    """A newer full DPI package that no longer carries ``ipp`` (discharged, out of scope)."""
    dpi = [r for r in demo_records if r.DOMAIN == "dpi"
           and getattr(r, "ipp", None) != ipp and not (r.TYPE == "patient" and r.id == ipp)]
    sequence = station.store.snapshots()["dpi"].sequence + 1
    make_package(drop, dpi, domain="dpi", sequence=sequence)
    runs = pull_all(station.settings, station.store, keys)
    assert all(r.quarantined == 0 and not r.error for r in runs), runs
    assert queries.patient_unit(station.store, ipp) == (False, None)


def test_document_of_a_patient_gone_from_the_extract_stays_refused(
        app, people, samples, station, make_package, demo_records, drop, keys):
    number = samples["out"]["number"]  # a REA patient's summary, issued before
    nurse = client_as(app, "ide-chd")
    assert nurse.get(f"/documents/{number}.pdf").status_code == 403
    _drop_patient_from_extract(station, make_package, demo_records, drop, keys,
                               samples["out"]["ipp"])
    assert nurse.get(f"/documents/{number}.pdf").status_code == 403
    assert nurse.get(f"/documents/{number}").status_code == 403
    assert nurse.post(f"/documents/{number}/imprimer").status_code == 403
    assert client_as(app, "infirmiere").get(f"/documents/{number}.pdf").status_code == 200


def test_document_with_no_recorded_unit_is_refused_to_unit_bound_users(app, people, station,
                                                                       samples):
    doc = station.journal.issue("summary", "infirmiere", ipp=samples["out"]["ipp"], unit=None)
    nurse = client_as(app, "ide-chd")
    assert nurse.get(f"/documents/{doc.number}").status_code == 403


def test_enumerating_document_numbers_gains_nothing(app, people, samples, station):
    nurse = client_as(app, "ide-chd")
    last = station.journal.recent(1)[0]["seq"]
    prefix = station.journal.prefix
    out_name = queries.patient_file(station.store, samples["out"]["ipp"]).patient.birth_name
    refusals = set()
    for seq in range(1, last + 4):
        number = f"{prefix}-{seq:07d}"
        doc = station.journal.get(number)
        for url in (f"/documents/{number}", f"/documents/{number}.pdf"):
            r = nurse.get(url)
            if doc is None:
                assert r.status_code == 404, url
            elif doc["unit"] != IN_UNIT:
                body = r.get_data(as_text=True)
                assert r.status_code == 403, url
                assert out_name not in body and doc["ipp"] not in body  # no identity leaks
                refusals.add(re.sub(r'value="[^"]*"', "", body))
    assert len(refusals) == 1  # every refusal is the same page


@pytest.fixture
def failed_jobs(station, samples, tmp_path):
    """One failed print job of a CHD document and one of a REA document."""
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    queue = PrintQueue(station.state, FilePrinter(blocker / "printed"))
    for where in ("in", "out"):
        assert not queue.send(samples[where]["number"], b"%PDF-1.4\n", "infirmiere").ok
    return {j.number: j.id for j in queue.failed()}


def test_failed_print_list_and_actions_are_scoped(app, people, samples, station, failed_jobs):
    chd, rea = samples["in"]["number"], samples["out"]["number"]
    nurse = client_as(app, "ide-chd")
    html = nurse.get("/impressions").get_data(as_text=True)
    assert chd in html and rea not in html and "1 en échec" in html
    assert nurse.post(f"/impressions/{failed_jobs[rea]}/reessayer").status_code == 404
    assert nurse.post(f"/impressions/{failed_jobs[rea]}/retirer").status_code == 404
    assert nurse.post("/impressions/tout-reessayer").status_code == 302
    left = [j.number for j in PrintQueue(station.state, station.printer).failed()]
    assert left == [rea]  # hers printed, REA's untouched
    printed = [e.target for e in station.audit.search(actor="ide-chd",
                                                      action="document.printed")[0]]
    assert printed == [chd]
    # a role that opens no patient document sees no patient document's job
    steril = client_as(app, people["stérilisation"])
    assert rea not in steril.get("/impressions").get_data(as_text=True)
    assert steril.post(f"/impressions/{failed_jobs[rea]}/retirer").status_code == 404
    # an all-unit nurse still sees and handles it
    assert rea in client_as(app, "infirmiere").get("/impressions").get_data(as_text=True)


def test_admissions_list_shows_only_the_nurses_units(app, people, station):
    import datetime as dt

    from pcsauvegarde.station.patients import admissions_of
    from pcsauvegarde.station.state.admissions import validate
    units = queries.unit_names(station.store)
    register = admissions_of(station)
    for unit, name in ((IN_UNIT, "DANSCHD"), (OUT_UNIT, "DANSREA")):
        req = validate({"birth_name": name, "first_names": "Jean", "birth_date": "01/02/1950",
                        "sex": "M", "unit": unit}, units, dt.date(2026, 11, 27))
        register.admit(req, "infirmiere", is_known=lambda n: False)
    html = client_as(app, "ide-chd").get("/admissions").get_data(as_text=True)
    assert "DANSCHD" in html and "DANSREA" not in html
    html = client_as(app, "infirmiere").get("/admissions").get_data(as_text=True)
    assert "DANSCHD" in html and "DANSREA" in html
