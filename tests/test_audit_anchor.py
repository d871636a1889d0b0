"""Attack run (issue 11, audit): the six tamperings the hash chain alone missed are caught."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.state.audit import GENESIS, entry_hash
from pcsauvegarde.station.station import open_audit

ENTRIES = 120


@pytest.fixture
def settings(tmp_path):
    return load_settings(tmp_path)


@pytest.fixture
def audit(settings):
    a = open_audit(settings)
    for i in range(1, ENTRIES + 1):
        a.record(f"user{i % 3}", "patient.view", f"{i:08d}", {"unit": "REA", "i": i},
                 durable=i % 10 == 0)
    assert a.verify().ok and a.verify().signed_seq == ENTRIES
    return a


def _sql(audit, script: str) -> None:
    db = sqlite3.connect(audit.db.path)
    db.executescript("DROP TRIGGER IF EXISTS audit_no_update;"
                     "DROP TRIGGER IF EXISTS audit_no_delete;" + script)
    db.commit()
    db.close()
    audit.db.close()  # the cached connection would still see the old schema


def _rechain(audit, rows) -> None:
    """Rewrite the table as a forger would: renumbered, every hash recomputed."""
    prev, out = GENESIS, []
    for seq, (at, actor, action, target, details) in enumerate(rows, start=1):
        digest = entry_hash(seq, at, actor, action, target, details, prev)
        out.append((seq, at, actor, action, target, details, prev, digest))
        prev = digest
    db = sqlite3.connect(audit.db.path)
    db.executescript("DROP TRIGGER IF EXISTS audit_no_update;"
                     "DROP TRIGGER IF EXISTS audit_no_delete; DELETE FROM audit;")
    db.executemany("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?)", out)
    db.commit()
    db.close()
    audit.db.close()


def _rows(audit):
    return [(e.at, e.actor, e.action, e.target, e.details) for e in audit.iter_entries()]


@pytest.mark.parametrize("cut, first_missing", [(1, ENTRIES), (50, ENTRIES - 49),
                                                (ENTRIES, 1)])
def test_deleting_the_tail_is_detected(audit, cut, first_missing):
    _sql(audit, f"DELETE FROM audit WHERE seq > {ENTRIES - cut}")
    result = audit.verify()
    assert not result.ok and result.broken_seq == first_missing
    assert "manquante" in result.reason and f"n° {ENTRIES}" in result.reason


def test_dropping_the_table_is_refused_not_recreated(audit, settings):
    _sql(audit, "DROP TABLE audit")
    reopened = open_audit(settings)  # what `audit verify` and a restart do
    result = reopened.verify()
    assert not result.ok and "table du journal d'audit absente" in result.reason
    r = CliRunner().invoke(main, ["audit", "verify", "--data", str(settings.data_dir)])
    assert r.exit_code == 1 and "absente" in r.output and "intègre" not in r.output
    # care goes on, on a new chain; the rewrite still shows
    reopened.record("infirmiere", "patient.view", "00000001")
    result = reopened.verify()
    assert not result.ok and result.broken_seq == 1 and "réécrit" in result.reason


def test_editing_an_entry_and_recomputing_the_chain_is_detected(audit):
    rows = _rows(audit)
    at, _, action, target, details = rows[76]
    rows[76] = (at, "quelqu-un-d-autre", action, target, details)
    _rechain(audit, rows)
    assert audit._verify_chain().ok  # the chain alone is fooled
    result = audit.verify()
    assert not result.ok and result.broken_seq == 77 and "modifiée" in result.reason


def test_deleting_a_middle_entry_renumbering_and_recomputing_is_detected(audit):
    rows = _rows(audit)
    del rows[40]
    _rechain(audit, rows)
    assert audit._verify_chain().ok
    result = audit.verify()
    assert not result.ok and result.broken_seq == 41


def test_a_forged_head_line_is_detected(audit, settings):
    path = settings.data_dir / "audit-heads.log"
    lines = path.read_text().splitlines()
    forged = json.loads(lines[-1])
    forged["hash"] = "0" * 64
    path.write_text("\n".join([*lines, json.dumps(forged)]) + "\n")
    result = audit.verify()
    assert not result.ok and "signature invalide" in result.reason


def test_entries_made_inside_transactions_are_covered_by_the_next_head(audit, settings):
    with audit.db.transaction() as db:
        audit.record("infirmiere", "document.issued", "ST-1", db=db)
    assert audit.verify().signed_seq == ENTRIES  # not yet signed, not an error
    audit.anchor_now()
    assert audit.verify().signed_seq == ENTRIES + 1


def test_heads_file_is_private_and_append_only_by_construction(audit, settings):
    import stat
    path = settings.data_dir / "audit-heads.log"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_text().splitlines()) == ENTRIES


def test_every_heartbeat_carries_the_latest_signed_head(audit, settings):
    import datetime as dt

    from pcsauvegarde.core.package import minisign
    from pcsauvegarde.station.state.audit_anchor import verify_head
    from pcsauvegarde.station.store import Store
    from pcsauvegarde.station.sync.heartbeat import build_status
    from pcsauvegarde.station.sync.pull import PullRun
    run = PullRun("depot", dt.datetime.now(dt.UTC))
    status = build_status(settings, Store(settings.store_path), run)
    pub = minisign.load_secret_key(settings.path(settings.signing_key_file)).public_key
    head = verify_head(status["audit_head"], settings.station_id, pub)
    assert head.seq == ENTRIES
    assert head.hash == list(audit.iter_entries())[-1].hash
