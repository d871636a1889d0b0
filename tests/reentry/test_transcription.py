"""Transcriptions: append-only with history, warnings confirmed, double entry by two people."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3

import pytest

from pcsauvegarde.station.reentry import status, transcription
from pcsauvegarde.station.reentry.transcription import Line, NeedsConfirmation, TranscriptionError

T0 = dt.datetime(2026, 11, 27, 13, 0, tzinfo=dt.UTC)


def _lines(**data):
    return [Line("", data)]


def test_a_correction_supersedes_with_history_and_nothing_is_deleted(station):
    transcription.record(station, "lab", "lab_label", "L1", _lines(ipp="A"), "ide1", now=T0)
    transcription.record(station, "lab", "lab_label", "L1", _lines(ipp="B"), "ide2",
                         reason="erreur de lecture", now=T0 + dt.timedelta(minutes=5))
    [now] = transcription.current(station, "lab_label", "L1")
    assert now.data == {"ipp": "B"} and now.entered_by == "ide2" and now.reason
    hist = transcription.history(station, "lab_label", "L1")
    assert [(h.data["ipp"], h.entered_by, h.supersedes) for h in hist] == [
        ("A", "ide1", None), ("B", "ide2", hist[0].id)]
    with station.state.connect() as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM transcription")
    with station.state.connect() as conn, pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE transcription SET data='{}'")
    entries, total = station.audit.search(action="reentry.transcribed")
    assert total == 2 and entries[0].details_dict["corrections"] == 1


def test_the_same_lines_again_write_nothing(station):
    transcription.record(station, "lab", "lab_label", "L1", _lines(ipp="A"), "ide1", now=T0)
    assert transcription.record(station, "lab", "lab_label", "L1", _lines(ipp="A"), "ide1") == []
    assert len(transcription.history(station, "lab_label", "L1")) == 1


def test_warnings_must_be_confirmed_and_are_kept(station):
    lines = [Line("", {"ipp": "Z"}, ("IPP Z inconnu des données du poste",))]
    with pytest.raises(NeedsConfirmation) as err:
        transcription.record(station, "lab", "lab_label", "L2", lines, "ide1")
    assert err.value.warnings == ["IPP Z inconnu des données du poste"]
    assert transcription.history(station, "lab_label", "L2") == []
    assert status.current(station, "lab_label", "L2").status == status.TO_REENTER
    [kept] = transcription.record(station, "lab", "lab_label", "L2", lines, "ide1",
                                  confirmed=True)
    assert kept.warnings == ("IPP Z inconnu des données du poste",)
    assert transcription.current(station, "lab_label", "L2")[0].warnings == kept.warnings


def test_double_entry_needs_a_second_person(station):
    assert transcription.double_entry(station, "admission")     # the default: identity merges
    transcription.record(station, "admission", "admission", "90000001", _lines(real_ipp="1"),
                         "ide1", now=T0)
    assert status.current(station, "admission", "90000001").status == status.REENTERED
    with pytest.raises(TranscriptionError, match="autre personne"):
        transcription.verify(station, "admission", "admission", "90000001", "ide1")
    assert status.current(station, "admission", "90000001").status == status.REENTERED
    assert transcription.verify(station, "admission", "admission", "90000001", "cadre") == 1
    cur = status.current(station, "admission", "90000001")
    assert cur.status == status.VERIFIED and cur.by == "cadre"
    [line] = transcription.current(station, "admission", "90000001")
    assert line.verified_by == "cadre" and line.verified_at is not None
    _, total = station.audit.search(action="reentry.verified")
    assert total == 1


def test_without_double_entry_entering_verifies_and_a_correction_reopens(station):
    assert not transcription.double_entry(station, "lab")
    transcription.record(station, "lab", "lab_label", "L3", _lines(ipp="A"), "ide1", now=T0)
    cur = status.current(station, "lab_label", "L3")
    assert cur.status == status.VERIFIED and cur.by == "ide1"
    transcription.record(station, "lab", "lab_label", "L3", _lines(ipp="B"), "ide2",
                         now=T0 + dt.timedelta(hours=1))
    steps = [(h.status, h.by) for h in status.history(station, "lab_label", "L3")]
    assert steps == [("ressaisi", "ide1"), ("verifie", "ide1"), ("a_ressaisir", "ide2"),
                     ("ressaisi", "ide2"), ("verifie", "ide2")]


def test_double_entry_is_a_setting_per_domain(station):
    station.settings = dataclasses.replace(station.settings,
                                           reentry_double_entry=("lab", "administration"))
    transcription.record(station, "lab", "lab_label", "L4", _lines(ipp="A"), "ide1")
    assert status.current(station, "lab_label", "L4").status == status.REENTERED
    transcription.record(station, "admission", "admission", "90000002", _lines(real_ipp="1"),
                         "ide1")
    assert status.current(station, "admission", "90000002").status == status.VERIFIED


def test_unknown_domain_and_nothing_to_verify(station):
    with pytest.raises(TranscriptionError, match="domaine"):
        transcription.record(station, "radiologie", "document", "X", _lines(a=1), "ide1")
    with pytest.raises(TranscriptionError, match="rien à vérifier"):
        transcription.verify(station, "lab", "lab_label", "L9", "cadre")
