"""Re-entry status of every worklist item: an append-only history, the latest row is current.

The API other modules call (kept small and stable):

- ``mark(station, item_kind, number, status, by, reason="", *, now=None,
  distinct_verifier=False, db=None) -> StatusEntry``: records a status change after checking
  the transition; the audit entry (action ``reentry.status``) is written in the same
  transaction. With ``db`` (an open ``station.state.transaction()``) it joins that
  transaction: a transcription and its « ressaisi » commit together or not at all.
  Raises ``StatusError`` (French message) on an unknown kind/status, a forbidden transition or
  a missing reason. With ``distinct_verifier`` « vérifié » MUST come from someone other than
  the person who marked the item « ressaisi » (double entry, where the hospital wants it).
- ``current(station, item_kind, number) -> StatusEntry``: the current status; an item never
  marked is « à ressaisir » (``StatusEntry.at`` is None then).
- ``history(station, item_kind, number) -> list[StatusEntry]``: every change, oldest first.
- ``current_all(station, item_kind=None) -> dict[(item_kind, number), StatusEntry]``: every
  marked item's current status at once (worklists).

An item is keyed by ``item_kind`` (see ``ITEM_KINDS``) and its ``number`` as printed on paper
(document number, lab label number, tray circulation number, provisional IPP). Rows are never
updated nor deleted (triggers refuse it): a change is a new row with who, when and why.

Statuses (codes ``TO_REENTER``, ``REENTERED``, ``VERIFIED``, ``NOT_APPLICABLE``; French labels
in ``STATUSES``). Transitions (``TRANSITIONS``): à ressaisir → ressaisi → vérifié; à ressaisir
or ressaisi → sans objet (reason required); ressaisi, vérifié and sans objet can be reopened to
« à ressaisir » (reason required: what was wrong). A new kind of item is one more entry in
``ITEM_KINDS``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from pcsauvegarde.core.records import parse_utc
from pcsauvegarde.station.station import Station

# One statement each: they also run inside a caller's transaction (``mark(db=...)``).
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS reentry_status (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "item_kind TEXT NOT NULL, number TEXT NOT NULL, status TEXT NOT NULL, at TEXT NOT NULL, "
    "by TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX IF NOT EXISTS reentry_status_item ON reentry_status (item_kind, number, id)",
    "CREATE TRIGGER IF NOT EXISTS reentry_status_no_update BEFORE UPDATE ON reentry_status "
    "BEGIN SELECT RAISE(ABORT, 'reentry_status is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS reentry_status_no_delete BEFORE DELETE ON reentry_status "
    "BEGIN SELECT RAISE(ABORT, 'reentry_status is append-only'); END",
)

TO_REENTER, REENTERED, VERIFIED, NOT_APPLICABLE = "a_ressaisir", "ressaisi", "verifie", "sans_objet"
STATUSES = {TO_REENTER: "à ressaisir", REENTERED: "ressaisi", VERIFIED: "vérifié",
            NOT_APPLICABLE: "sans objet"}
# Allowed next statuses; going back to « à ressaisir » always needs a reason.
TRANSITIONS = {
    TO_REENTER: (REENTERED, NOT_APPLICABLE),
    REENTERED: (VERIFIED, NOT_APPLICABLE, TO_REENTER),
    VERIFIED: (TO_REENTER,),
    NOT_APPLICABLE: (TO_REENTER,),
}
ITEM_KINDS = {
    "document": "document émis",
    "lab_label": "numéro d'étiquette de laboratoire",
    "tray": "numéro de circulation de plateau",
    "admission": "admission en mode dégradé (identité provisoire)",
    "supplier_order": "bon de commande fournisseur",
    "dotation": "dotation de service",
}
MAX_REASON = 500


class StatusError(ValueError):
    """A status change refused (unknown status, forbidden transition, missing reason)."""


@dataclass(frozen=True)
class StatusEntry:
    item_kind: str
    number: str
    status: str
    at: dt.datetime | None
    by: str
    reason: str = ""

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    @property
    def is_done(self) -> bool:
        """Nothing left to do on this item (verified, or not applicable)."""
        return self.status in (VERIFIED, NOT_APPLICABLE)


def ensure_schema(station: Station) -> None:
    with station.state.connect() as conn:
        _create(conn)


def _create(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA:
        conn.execute(statement)


def _entry(row) -> StatusEntry:
    return StatusEntry(row["item_kind"], row["number"], row["status"], parse_utc(row["at"]),
                       row["by"], row["reason"])


def _never_marked(item_kind: str, number: str) -> StatusEntry:
    return StatusEntry(item_kind, number, TO_REENTER, None, "")


def _latest(conn, item_kind: str, number: str) -> StatusEntry:
    row = conn.execute("SELECT * FROM reentry_status WHERE item_kind=? AND number=? "
                       "ORDER BY id DESC LIMIT 1", (item_kind, number)).fetchone()
    return _entry(row) if row else _never_marked(item_kind, number)


def _check(item_kind: str, number: str, status: str, reason: str) -> None:
    if item_kind not in ITEM_KINDS:
        raise StatusError(f"type d'élément à ressaisir inconnu : « {item_kind[:40]} »")
    if not number.strip():
        raise StatusError("numéro de l'élément manquant")
    if status not in STATUSES:
        raise StatusError(f"statut inconnu : « {status[:40]} » (attendu : "
                          + ", ".join(STATUSES.values()) + ")")
    if len(reason) > MAX_REASON:
        raise StatusError(f"motif trop long ({len(reason)} caractères, {MAX_REASON} au plus)")


@contextlib.contextmanager
def _joined(station: Station, db: sqlite3.Connection | None) -> Iterator[sqlite3.Connection]:
    """The caller's open transaction, else one of our own."""
    if db is not None:
        _create(db)
        yield db
        return
    ensure_schema(station)
    with station.state.transaction() as conn:
        yield conn


def mark(station: Station, item_kind: str, number: str, status: str, by: str,
         reason: str = "", *, now: dt.datetime | None = None,
         distinct_verifier: bool = False, db: sqlite3.Connection | None = None) -> StatusEntry:
    """Record ``status`` for the item (checked transition, audited in the same transaction;
    ``db``: join the caller's open transaction on the state database instead)."""
    reason = reason.strip()
    _check(item_kind, number, status, reason)
    now = now or dt.datetime.now(dt.UTC)
    with _joined(station, db) as conn:
        before = _latest(conn, item_kind, number)
        what = f"{ITEM_KINDS[item_kind]} {number}"
        if status == before.status:
            raise StatusError(f"{what} est déjà « {STATUSES[status]} »")
        if status not in TRANSITIONS[before.status]:
            raise StatusError(f"{what} : passage de « {before.label} » à "
                              f"« {STATUSES[status]} » impossible")
        if status in (NOT_APPLICABLE, TO_REENTER) and not reason:
            raise StatusError(f"{what} : un motif est obligatoire pour « {STATUSES[status]} »")
        if status == VERIFIED and distinct_verifier and before.by == by:
            raise StatusError(f"{what} : la vérification doit être faite par une autre "
                              f"personne que la ressaisie ({by})")
        conn.execute("INSERT INTO reentry_status (item_kind, number, status, at, by, reason) "
                     "VALUES (?,?,?,?,?,?)", (item_kind, number, status, now.isoformat(), by,
                                              reason))
        station.audit.record(by, "reentry.status", f"{item_kind}:{number}",
                             {"from": before.status, "to": status, "reason": reason},
                             db=conn, now=now)
    return StatusEntry(item_kind, number, status, now, by, reason)


def _exists(conn: sqlite3.Connection) -> bool:
    """Reads never create the table (that takes the write lock, and waits behind writers)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND "
                        "name='reentry_status'").fetchone() is not None


def current(station: Station, item_kind: str, number: str) -> StatusEntry:
    """The item's current status (« à ressaisir » when never marked)."""
    with station.state.connect() as conn:
        if not _exists(conn):
            return _never_marked(item_kind, number)
        return _latest(conn, item_kind, number)


def history(station: Station, item_kind: str, number: str) -> list[StatusEntry]:
    """Every status change of the item, oldest first."""
    with station.state.connect() as conn:
        if not _exists(conn):
            return []
        return [_entry(r) for r in conn.execute(
            "SELECT * FROM reentry_status WHERE item_kind=? AND number=? ORDER BY id",
            (item_kind, number))]


def current_all(station: Station,
                item_kind: str | None = None) -> dict[tuple[str, str], StatusEntry]:
    """The current status of every item ever marked (of one kind, or all)."""
    sql = ("SELECT s.* FROM reentry_status s JOIN (SELECT MAX(id) AS id FROM reentry_status "
           "{where} GROUP BY item_kind, number) last ON last.id = s.id")
    where, args = ("WHERE item_kind=?", (item_kind,)) if item_kind else ("", ())
    with station.state.connect() as conn:
        rows = conn.execute(sql.format(where=where), args).fetchall() if _exists(conn) else []
    return {(r["item_kind"], r["number"]): _entry(r) for r in rows}
