"""Issue 19 end to end, transcription side: the outage's paper is transcribed, the worklist
follows (ressaisi → vérifié, the merge by a second person), and every export validates."""

from __future__ import annotations

import datetime as dt

import hl7
from fhir.resources.bundle import Bundle  # FHIR R4 4.0.1 (fhir.resources 6.5)

from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.reentry import status, transcribing, transcription, worklist
from pcsauvegarde.station.reentry.exports import fhir, hl7v2, spreadsheet
from tests.support.reentry import issue_during_outage


def test_outage_paper_transcribed_verified_and_exported(station):
    done = issue_during_outage(station)
    plans = [n for n in done.documents
             if station.journal.get(n)["kind"] == "administration_plan"]
    assert plans
    for number in plans:
        p = transcribing.plan(station, number)
        rows = [{"order_id": o.id, "slot": s[0].isoformat(), "given": "oui", "initials": "IB"}
                for o, s in p.rows if s]
        assert rows, number
        transcribing.enter_plan(station, number, rows, "ide1", confirmed=True,
                                outage=(done.window.start, done.window.end))
    collected = format_local(done.window.end - dt.timedelta(minutes=10))
    ipp = station.journal.get(plans[0])["ipp"]
    for number in done.lab_labels:
        transcribing.enter_lab(station, number, {"ipp": ipp, "collected_at": collected},
                               "tech1", confirmed=True)
    for number in done.trays:
        transcribing.enter_tray(station, number, {"cycle": "C-1", "ipp": ipp,
                                                  "used_at": collected}, "ste1", confirmed=True)
    transcribing.enter_merge(station, done.admission, ipp, "secretaire", confirmed=True)

    found = {i.key: i for i in worklist.items(station, done.window)}
    for number in plans:
        assert found[("document", number)].status.status == status.VERIFIED
    for number in done.lab_labels:
        assert found[("lab_label", number)].status.status == status.VERIFIED
    for number in done.trays:
        assert found[("tray", number)].status.status == status.VERIFIED
    assert found[("admission", done.admission)].status.status == status.REENTERED
    transcription.verify(station, "admission", "admission", done.admission, "cadre")
    found = {i.key: i for i in worklist.items(station, done.window)}
    assert found[("admission", done.admission)].status.status == status.VERIFIED

    for domain in ("administration", "lab", "sterilisation", "admission"):
        bundle, pending = fhir.bundle(station, domain)
        Bundle.parse_obj(bundle)
        assert bundle["entry"] and pending == 0, domain
    text, pending = hl7v2.export(station)
    events = [str(hl7.parse(m).segment("MSH")[9]).split("^")[1] for m in hl7.split_file(text)]
    assert events == ["A28", "A01", "A40"] and pending == 0
    for domain in ("administration", "lab", "sterilisation", "admission"):
        assert spreadsheet.export(station, domain)[1] >= 1
