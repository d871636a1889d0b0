"""The audit journal: hash chain, append-only, tamper detection, CSV safety, CLI verify."""

from __future__ import annotations

import itertools
import sqlite3

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.core.text import csv_safe
from pcsauvegarde.station.state.audit import GENESIS, Audit, csv_rows, entry_hash
from pcsauvegarde.station.state.statedb import StateDB


@pytest.fixture
def audit(tmp_path):
    a = Audit(StateDB(tmp_path / "station.sqlite"))
    for i in range(1, 8):
        a.record(f"user{i % 2}", "patient.view", f"0000000{i}", {"unit": "REA", "i": i})
    return a


def test_entries_chain_from_genesis(audit):
    entries = list(audit.iter_entries())
    assert [e.seq for e in entries] == list(range(1, 8))
    assert entries[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    e = entries[3]
    assert e.hash == entry_hash(e.seq, e.at, e.actor, e.action, e.target, e.details, e.prev_hash)
    assert audit.verify().ok and audit.verify().entries == 7


def test_update_and_delete_are_refused_by_the_database(audit):
    db = sqlite3.connect(audit.db.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE audit SET actor='x' WHERE seq=2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM audit WHERE seq=2")


def _tamper(path, sql):
    db = sqlite3.connect(path)
    db.executescript("DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;" + sql)
    db.commit()
    db.close()


@pytest.mark.parametrize("sql, seq", [
    ("UPDATE audit SET target='99999999' WHERE seq=4", 4),
    ("UPDATE audit SET details='{}' WHERE seq=6", 6),
    ("DELETE FROM audit WHERE seq=3", 3),
    ("UPDATE audit SET at='2020-01-01T00:00:00+00:00' WHERE seq=1", 1),
])
def test_tampering_is_detected_at_the_right_entry(audit, sql, seq):
    _tamper(audit.db.path, sql)
    result = audit.verify()
    assert not result.ok and result.broken_seq == seq


def test_recomputed_hash_still_breaks_the_next_link(audit):
    e = list(audit.iter_entries())[4]
    forged = entry_hash(e.seq, e.at, "someone-else", e.action, e.target, e.details, e.prev_hash)
    _tamper(audit.db.path, f"UPDATE audit SET actor='someone-else', hash='{forged}' "
                           f"WHERE seq={e.seq}")
    result = audit.verify()
    assert not result.ok and result.broken_seq == e.seq + 1


def test_cli_verify(audit, tmp_path):
    r = CliRunner().invoke(main, ["audit", "verify", "--data", str(tmp_path)])
    assert r.exit_code == 0 and "intègre : 7" in r.output
    _tamper(audit.db.path, "UPDATE audit SET actor='mallory' WHERE seq=5")
    r = CliRunner().invoke(main, ["audit", "verify", "--data", str(tmp_path)])
    assert r.exit_code == 1 and "n° 5" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["audit", "verify", "--data", str(tmp_path / "nulle-part")])
    assert r.exit_code == 1 and "aucune station dans" in r.output  # nothing is created
    (tmp_path / "nulle-part").mkdir()
    r = CliRunner().invoke(main, ["audit", "verify", "--data", str(tmp_path / "nulle-part")])
    assert r.exit_code == 1 and "station.sqlite" in r.output


def test_filters_and_pagination(audit):
    entries, total = audit.search(actor="user1", limit=2, offset=0)
    assert total == 4 and [e.seq for e in entries] == [7, 5]
    entries, _ = audit.search(actor="user1", limit=2, offset=2)
    assert [e.seq for e in entries] == [3, 1]


def test_csv_cells_cannot_be_formulas():
    for value in ("=1+1", "+33 1 23", "-2", "@SUM(A1)", "\t=x", "\r=x"):
        assert csv_safe(value).startswith("'")
    assert csv_safe("Dupont") == "Dupont" and csv_safe(None) == ""


def test_csv_rows_escape_every_cell(tmp_path):
    a = Audit(StateDB(tmp_path / "s.sqlite"))
    a.record("=cmd|' /C calc'!A0", "patient.search", "@evil", {"q": "=HYPERLINK(1)"})
    header, row = list(csv_rows(a.iter_entries()))
    assert header[0] == "seq"
    assert row[2].startswith("'=") and row[5].startswith("'@")


def test_station_exposes_record(station):
    entry = station.audit.record("sync", "sync.freeze", "dpi", {"reason": "intrusion"})
    assert entry.seq >= 1 and station.audit.verify().ok


def test_issuing_a_document_is_journalled(station):
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.issuing.issue import issue_patient_document
    ipp = patients.inpatients(station, "REA")[0].patient.id
    issued = issue_patient_document(station, "summary", ipp, "infirmiere")
    entries, _ = station.audit.search(action="document.issued")
    assert entries[0].target == issued.document.number and entries[0].actor == "infirmiere"
    assert entries[0].details_dict["ipp"] == ipp
