"""Nothing dropped in silence: patients not kept are counted per reason, their records not stored.

Test data: the Synthea-like export of tests/publish/data/synthea_like (a transaction Bundle of
patients whose stays ended years ago, a bulk NDJSON export of one patient in a current stay).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.station.station import open_station
from pcsauvegarde.station.sync.pull import pull_all
from tests.support.constants import PASSWORD
from tests.support.drops import by_domain, fhir_records, publish_domains


def _stored(store, rtype: str) -> int:
    with store.connect() as db:
        return db.execute("SELECT COUNT(*) FROM record WHERE type=?", (rtype,)).fetchone()[0]


@pytest.fixture
def empty_drop(unpulled, drop):
    """The unpulled station, its drop folder emptied of the demo packages."""
    for p in drop.iterdir():
        p.unlink()
    return unpulled


def test_package_of_long_discharged_patients_says_none_is_kept(empty_drop, drop, keys,
                                                                make_package):
    records = fhir_records("bundles")
    assert len(by_domain(records, "lab")) == 8 and len(by_domain(records, "imaging")) == 2
    publish_domains(make_package, drop, records)
    store = open_station(empty_drop).store
    (run,) = pull_all(empty_drop, store, keys)
    assert run.accepted == 3 and not run.error
    # nothing of these patients is kept, anywhere
    assert [_stored(store, t) for t in ("patient", "stay", "lab_result", "imaging_exam")] == [
        0, 0, 0, 0]
    tally = run.not_kept
    assert (tally.received, tally.kept) == (2, 0)
    assert tally.records == {("patient", "retention"): 2, ("stay", "retention"): 4,
                             ("lab_result", "no_patient"): 8, ("imaging_exam", "no_patient"): 2}
    dpi_outcome = next(o for o in run.outcomes if o.domain == "dpi")
    assert "2 patient(s) reçu(s), 0 conservé(s)" in dpi_outcome.message
    assert "sortis depuis plus de 30 jours" in dpi_outcome.message
    # the pull history keeps the counts per reason
    recorded = store.pull_runs(limit=1)[0]["not_kept"]
    assert recorded == {"patients": [2, 0], "records": {
        "imaging_exam": {"no_patient": 2}, "lab_result": {"no_patient": 8},
        "patient": {"retention": 2}, "stay": {"retention": 4}}}


def test_current_patient_kept_with_results_others_not(empty_drop, drop, keys, make_package):
    records = fhir_records("bundles", "bulk")
    publish_domains(make_package, drop, records)
    store = open_station(empty_drop).store
    (run,) = pull_all(empty_drop, store, keys)
    assert (run.not_kept.received, run.not_kept.kept) == (3, 1)
    assert _stored(store, "patient") == 1
    with store.connect() as db:
        owners = {r[0] for r in db.execute(
            "SELECT DISTINCT ipp FROM record WHERE type IN ('lab_result', 'imaging_exam')")}
    assert owners == {"3f1b0a0e-8c5e-4f7e-9b8a-2d6c1e4a7b90"}
    assert run.not_kept.records[("lab_result", "no_patient")] == 8


def test_results_pulled_before_their_dpi_are_dropped_when_it_arrives(empty_drop, drop, keys,
                                                                     make_package):
    """Order of arrival does not matter: an older dpi cannot judge, the next one does."""
    records = fhir_records("bundles")
    store = open_station(empty_drop).store
    publish_domains(make_package, drop, records, domains=("lab",))
    (first,) = pull_all(empty_drop, store, keys)
    assert _stored(store, "lab_result") == 8 and not first.not_kept  # no dpi yet: kept for now
    publish_domains(make_package, drop, records, domains=("dpi",))
    (second,) = pull_all(empty_drop, store, keys)
    assert _stored(store, "lab_result") == 0
    assert second.not_kept.records[("lab_result", "no_patient")] == 8


def test_cli_and_admin_page_say_what_was_not_kept(empty_drop, drop, keys, make_package):
    publish_domains(make_package, drop, fhir_records("bundles"))
    out = CliRunner().invoke(main, ["pull", "--data", str(empty_drop.data_dir)])
    assert out.exit_code == 0, out.output
    assert "3 accepté(s)" in out.output
    assert "attention" in out.output and "2 patient(s) reçu(s), 0 conservé(s)" in out.output
    assert "8 résultat(s) de laboratoire" in out.output

    from pcsauvegarde.station.web import create_app
    station = open_station(empty_drop)
    station.accounts.add("chef", "Admin Système", PASSWORD, ("admin",), ("*",))
    client = create_app(station, {"TESTING": True, "WTF_CSRF_ENABLED": False}).test_client()
    assert client.post("/connexion", data={"login": "chef", "password": PASSWORD}
                       ).status_code == 302
    page = client.get("/admin/synchro/").get_data(as_text=True)
    assert "Non conservés" in page
    assert "2 patient(s) reçu(s), 0 conservé(s)" in page
    assert "2 examen(s) d&#39;imagerie" in page or "2 examen(s) d'imagerie" in page


def test_demo_pull_keeps_every_patient_and_says_nothing(station):
    run = station.store.pull_runs(limit=1)[0]
    received, kept = run["not_kept"]["patients"]
    assert received == kept == station.store.snapshot("dpi").counts["patient"]
    assert run["not_kept"]["records"] == {}
    assert all(e["reason"] == "" for e in station.store.package_log())


def test_store_from_before_the_count_gains_the_column(tmp_path):
    import datetime as dt
    import sqlite3

    from pcsauvegarde.station.store import Store

    path = tmp_path / "store.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE pull_run (id INTEGER PRIMARY KEY, source TEXT NOT NULL, "
                   "started TEXT NOT NULL, ended TEXT NOT NULL, seen INTEGER NOT NULL, "
                   "accepted INTEGER NOT NULL, quarantined INTEGER NOT NULL, "
                   "waiting INTEGER NOT NULL, error TEXT NOT NULL DEFAULT '')")
        db.execute("INSERT INTO pull_run VALUES (1, 's', '2026-11-01T00:00:00+00:00', "
                   "'2026-11-01T00:00:01+00:00', 1, 1, 0, 0, '')")
    store = Store(path)
    now = dt.datetime.now(dt.UTC)
    store.record_run("s", now, now, 1, 1, 0, 0, "", {"patients": [3, 1], "records": {}})
    runs = store.pull_runs("s")
    assert [r["not_kept"] for r in runs] == [{"patients": [3, 1], "records": {}}, {}]


def test_force_accepted_package_says_what_it_did_not_keep(station, settings, keys, drop,
                                                          make_package):
    """A source that suddenly sends only long-gone patients: quarantined, then forced."""
    from pcsauvegarde.station.sync.quarantine import list_entries

    records = by_domain(fhir_records("bundles"), "dpi")
    seq = station.store.snapshot("dpi").sequence + 1
    make_package(drop, records, sequence=seq)
    assert pull_all(settings, station.store, keys)[0].quarantined == 1  # sanity gate
    (entry,) = list_entries(settings)
    out = CliRunner().invoke(main, ["quarantine", "accept", "--data", str(settings.data_dir),
                                    entry.id, "--yes"])
    assert out.exit_code == 0, out.output
    assert "attention" in out.output and "2 patient(s) reçu(s), 0 conservé(s)" in out.output
    assert "résultat(s) de laboratoire" in out.output and "patient non conservé" in out.output
    assert _stored(station.store, "patient") == 0
    # the demo's lab results and imaging exams have no patient left: not kept either
    assert _stored(station.store, "lab_result") == 0
    assert _stored(station.store, "imaging_exam") == 0


def test_full_package_that_would_empty_the_station_is_quarantined(station, settings, keys,
                                                                  drop, make_package,
                                                                  demo_records):
    """Same patients, but every stay sent as ended years ago: the station keeps its data."""
    import dataclasses
    import datetime as dt

    from tests.support.drops import quarantined

    old = dt.datetime(2019, 3, 1, tzinfo=dt.UTC)
    from pcsauvegarde.core.records import Stay

    records = [dataclasses.replace(r, admission=old - dt.timedelta(days=5), discharge=old)
               if r.TYPE == "stay" else r for r in by_domain(demo_records, "dpi")
               if r.TYPE != "appointment"]
    # the demo's outpatients (a consultation, no stay) get an old stay too, and no appointment
    with_stay = {r.ipp for r in records if r.TYPE == "stay"}
    records += [Stay(f"OLD-{r.id}", r.id, "MED", old - dt.timedelta(days=5), discharge=old)
                for r in records if r.TYPE == "patient" and r.id not in with_stay]
    before = _stored(station.store, "patient")
    path = make_package(drop, records, sequence=station.store.snapshot("dpi").sequence + 1)
    (run,) = pull_all(settings, station.store, keys)
    assert run.quarantined == 1 and run.accepted == 0
    reason = quarantined(settings, path.name)
    assert f"n'en conserverait que 0 au lieu de {before}" in reason
    assert "sortis depuis plus de 30 jours" in reason
    assert _stored(station.store, "patient") == before  # current data kept


def test_long_discharged_patient_with_an_appointment_to_come_is_kept(empty_drop, drop, keys,
                                                                    make_package):
    """The clinic calls back patients discharged long ago who have a consultation booked."""
    import datetime as dt

    from pcsauvegarde.core.records import Appointment

    records = fhir_records("bundles")
    ipps = sorted({r.id for r in records if r.TYPE == "patient"})
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=90)
    records += [Appointment("RDV-SOON", ipps[0], "CS-CARDIO", soon),
                Appointment("RDV-PAST", ipps[1], "CS-CARDIO", past)]
    publish_domains(make_package, drop, records)
    store = open_station(empty_drop).store
    (run,) = pull_all(empty_drop, store, keys)
    assert not run.error
    with store.connect() as db:
        kept = {r[0] for r in db.execute("SELECT id FROM record WHERE type='patient'")}
    assert kept == {ipps[0]}   # an appointment long past keeps nobody
    assert _stored(store, "appointment") == 1
    assert run.not_kept.records[("appointment", "retention")] == 1
