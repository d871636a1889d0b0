"""Issued PDFs are purged once re-entry is verified plus the delay; the journal line stays."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.station.issuing.issue import issue_patient_document, stored_pdf
from pcsauvegarde.station.reentry import retention, status
from tests.support.reentry import issue_during_outage

DAY = dt.timedelta(days=1)


def _lab_document(station, number):
    with station.state.connect() as conn:
        return conn.execute("SELECT b.document_number FROM lab_label l JOIN lab_batch b ON "
                            "b.id = l.batch WHERE l.number=?", (number,)).fetchone()[0]


def test_purge_after_verification_plus_delay(station):
    done = issue_during_outage(station)
    folder = station.settings.documents_dir
    bundle_pdf = folder / f"{done.bundle}.pdf"
    lab_doc = _lab_document(station, done.lab_labels[0])
    ipp = station.journal.get(done.documents[0])["ipp"]
    outside = issue_patient_document(station, "summary", ipp, "infirmiere")
    before = retention.kept(station)
    assert before.count == len(list(folder.glob("*.pdf"))) >= 5 and before.bytes > 10_000
    assert before.oldest_number and before.oldest_issued_at is not None
    now = dt.datetime.now(dt.UTC)
    assert retention.purge(station, now=now).purged == []
    verified = now + DAY
    for number in done.documents:
        status.mark(station, "document", number, "ressaisi", "ide1", now=verified - DAY / 2)
        status.mark(station, "document", number, "verifie", "ide2", now=verified)
    for number in done.lab_labels:
        status.mark(station, "lab_label", number, "sans_objet", "labo", "tubes jamais prélevés",
                    now=verified)
    with station.state.connect() as conn:
        (trays_doc,) = conn.execute("SELECT number FROM issued_document WHERE kind='tray_labels'"
                                    ).fetchone()
    # nothing to re-enter on these (outside the outage; tray labels carry no patient): 90 days
    # after issue; the verified paper waits 90 days after its verification
    first = retention.purge(station, "chef", now=verified + 89 * DAY)
    assert set(first.purged) == {outside.document.number, trays_doc}
    assert bundle_pdf.is_file()

    run = retention.purge(station, "chef", now=verified + 91 * DAY)
    assert set(run.purged) == {done.bundle, lab_doc}
    assert run.bytes == sum(retention.purged(station, n)["bytes"] for n in run.purged) > 0
    assert not run.errors
    assert not bundle_pdf.exists() and stored_pdf(station, done.documents[0]) is None
    # the journal lines stay, without the patient
    for number in (*done.documents, done.bundle, outside.document.number):
        line = station.journal.get(number)
        assert line is not None and line["ipp"] is None
    assert station.journal.get(done.documents[0])["kind"] in ("summary", "administration_plan")
    record = retention.purged(station, done.bundle)
    assert record["reason"] == "ressaisie vérifiée" and record["purged_by"] == "chef"
    assert retention.purged(station, outside.document.number)["reason"] == "rien à ressaisir"
    entries, total = station.audit.search(action="reentry.purged")
    assert total == 4 and all("ipp" not in e.details_dict for e in entries)
    assert station.audit.verify().ok
    # still to re-enter: the admission kit and the tray labels sheet's admission stay
    with station.state.connect() as conn:
        kit = conn.execute("SELECT document_number FROM downtime_admission").fetchone()[0]
    assert (folder / f"{kit}.pdf").is_file()
    after = retention.kept(station)
    assert after.count == before.count - 4 and after.bytes < before.bytes
    assert retention.purge(station, now=verified + 91 * DAY).purged == []


def test_retention_delay_is_the_setting(station):
    done = issue_during_outage(station)
    station.settings = dataclasses.replace(station.settings, pdf_retention_days=0)
    now = dt.datetime.now(dt.UTC)
    status.mark(station, "admission", done.admission, "ressaisi", "a", now=now)
    status.mark(station, "admission", done.admission, "verifie", "b", now=now)
    with station.state.connect() as conn:
        kit = conn.execute("SELECT document_number FROM downtime_admission").fetchone()[0]
    assert kit not in retention.purge(station, now=now + DAY).purged   # its labels are not done
    for number in done.admission_labels:
        status.mark(station, "lab_label", number, "sans_objet", "a", "non utilisées", now=now)
    assert kit in retention.purge(station, now=now + DAY).purged


def test_daily_job_runs_the_purge(station):
    job = retention.daily_job(station)
    assert job.id == "retention:pdf" and job.trigger.interval == DAY
    assert job.func().purged == []
