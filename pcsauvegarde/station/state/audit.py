"""The audit journal: append-only, hash-chained record of who saw, printed and changed what.

Each entry's hash is SHA-256 over a canonical JSON of (seq, at, actor, action, target,
details, prev_hash); the first entry chains to 64 zeros. Triggers refuse UPDATE and DELETE;
``verify`` finds any entry altered, removed or reordered behind their back.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from pcsauvegarde.core.text import csv_safe
from pcsauvegarde.station.state.audit_anchor import AuditAnchor
from pcsauvegarde.station.state.statedb import StateDB

GENESIS = "0" * 64
SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '', details TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit (actor, seq);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit (action, seq);
CREATE INDEX IF NOT EXISTS audit_by_at ON audit (at);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'audit journal is append-only'); END;
"""

# French labels of the actions (shown to the admin); codes stay stable for exports.
ACTIONS = {
    "login": "Connexion",
    "login.failed": "Échec de connexion",
    "login.throttled": "Connexion refusée (trop de tentatives)",
    "logout": "Déconnexion",
    "session.expired": "Session expirée (inactivité)",
    "session.refused": "Session révoquée réutilisée",
    "patient.search": "Recherche de patient",
    "patient.view": "Consultation d'un patient",
    "patient.breakglass": "Accès exceptionnel (bris de glace)",
    "document.issued": "Document émis",
    "document.printed": "Document envoyé à l'imprimante",
    "account.created": "Compte créé",
    "account.updated": "Compte modifié",
    "account.disabled": "Compte désactivé",
    "account.enabled": "Compte réactivé",
    "account.password_reset": "Mot de passe réinitialisé",
    "audit.exported": "Export du journal",
    "reentry.transcribed": "Ressaisie d'un document papier (transcription)",
    "reentry.verified": "Transcription vérifiée (double saisie)",
    "reentry.exported": "Export de ressaisie téléchargé",
    "sync.freeze": "Gel des synchronisations",
    "sync.unfreeze": "Reprise des synchronisations",
    "sync.force_accept": "Paquet accepté manuellement",
    "sync.quarantine_retry": "Paquets refusés repris du dépôt (clé de l'émetteur)",
    "sync.quarantine_dismiss": "Paquet en quarantaine écarté",
    "sterilisation.cycle_entered": "Cycle de stérilisation saisi à l'écran",
    "reentry.status": "Statut de ressaisie modifié",
    "outage.started": "Début de panne déclaré",
    "outage.ended": "Fin de panne déclarée",
    "outage.amended": "Début de panne corrigé",
    "reentry.purged": "Copie PDF purgée (conservation échue)",
}

# Who acts in the current request or command, for records made deep in domain code (printing).
ACTOR: contextvars.ContextVar[str] = contextvars.ContextVar("audit_actor", default="système")


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    details: str
    prev_hash: str
    hash: str

    @property
    def details_dict(self) -> dict:
        try:
            value = json.loads(self.details)
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    @property
    def label(self) -> str:
        return ACTIONS.get(self.action, self.action)


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries: int
    broken_seq: int | None = None
    reason: str = ""
    signed_seq: int | None = None
    """The latest entry covered by a signed head (None: journal not anchored)."""


def entry_hash(seq: int, at: str, actor: str, action: str, target: str, details: str,
               prev_hash: str) -> str:
    """SHA-256 of the canonical serialisation of one entry (the chain's contract)."""
    canonical = json.dumps([seq, at, actor, action, target, details, prev_hash],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _canonical_details(details: dict | None) -> str:
    return json.dumps(details or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)


class Audit:
    """The station's audit journal, in station.sqlite next to accounts and issued documents.

    With an ``anchor`` every entry's head is signed outside the database (audit_anchor.py);
    a journal that has signed heads is never silently recreated: verify says it is gone.
    """

    def __init__(self, db: StateDB, anchor: AuditAnchor | None = None):
        self.db = db
        self.anchor = anchor
        if anchor is None or not anchor.exists() or self._has_table():
            with db.connect() as conn:
                conn.executescript(SCHEMA)

    def _has_table(self) -> bool:
        with self.db.connect() as conn:
            return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND "
                                "name='audit'").fetchone() is not None

    def record(self, actor: str | None, action: str, target: str = "",
               details: dict | None = None, *, db: sqlite3.Connection | None = None,
               now: dt.datetime | None = None, durable: bool = True) -> Entry:
        """Append one entry; pass ``db`` to join the caller's open transaction.

        ``durable=False`` (views, searches: many per minute) skips the disk flush: a power cut
        may lose the last of those entries, never break the chain; the next durable entry
        flushes them all.
        """
        actor = (actor or ACTOR.get())[:80]
        at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds")
        args = (at, actor, action[:64], str(target)[:200], _canonical_details(details))
        if db is not None:
            return self._append(db, *args)
        with self.db.connect() as conn:
            if not durable:
                conn.execute("PRAGMA synchronous=NORMAL")
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    entry = self._append(conn, *args)
                    conn.execute("COMMIT")
                except sqlite3.OperationalError as exc:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    if "no such table" not in str(exc):
                        raise
                    # Dropped behind our back: care goes on, on a new chain that verify
                    # will show as a rewrite against the signed heads.
                    conn.executescript(SCHEMA)
                    conn.execute("BEGIN IMMEDIATE")
                    entry = self._append(conn, *args)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            finally:
                if not durable:  # the connection is lent again: give it back as it came
                    conn.execute("PRAGMA synchronous=FULL")
        if self.anchor is not None:
            # Also covers entries made inside callers' transactions since the last head.
            self.anchor.append(entry.seq, entry.hash, entry.at, durable)
        return entry

    def anchor_now(self) -> None:
        """Sign the current head (after entries made inside other transactions)."""
        if self.anchor is None or not self._has_table():
            return
        with self.db.connect() as conn:
            row = conn.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1"
                               ).fetchone()
        if row is not None:
            self.anchor.append(row[0], row[1], row[2])

    @staticmethod
    def _append(conn: sqlite3.Connection, at: str, actor: str, action: str, target: str,
                details: str) -> Entry:
        last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        digest = entry_hash(seq, at, actor, action, target, details, prev)
        conn.execute("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?)",
                     (seq, at, actor, action, target, details, prev, digest))
        return Entry(seq, at, actor, action, target, details, prev, digest)

    def verify(self) -> Verification:
        """The chain checked in the database, then against every signed head (if anchored):
        the first missing, altered or rewritten entry is named."""
        if not self._has_table():
            return Verification(False, 0, None, "table du journal d'audit absente "
                                 "(supprimée) : vérification impossible")
        inner = self._verify_chain()
        if not inner.ok or self.anchor is None:
            return inner
        from pcsauvegarde.station.state.audit_check import check_against_heads
        return check_against_heads(self, inner.entries)

    def _verify_chain(self) -> Verification:
        count = 0
        prev, expected_seq = GENESIS, 1
        with self.db.connect() as conn:
            for row in conn.execute("SELECT * FROM audit ORDER BY seq"):
                e = Entry(*row)
                count += 1
                if e.seq != expected_seq:
                    return Verification(False, count, expected_seq,
                                        f"entrée n° {expected_seq} manquante")
                if e.prev_hash != prev:
                    return Verification(False, count, e.seq,
                                        "chaînage rompu avec l'entrée précédente")
                if entry_hash(e.seq, e.at, e.actor, e.action, e.target, e.details,
                              e.prev_hash) != e.hash:
                    return Verification(False, count, e.seq, "contenu modifié (empreinte fausse)")
                prev, expected_seq = e.hash, e.seq + 1
        return Verification(True, count)

    def search(self, actor: str = "", action: str = "", since: dt.datetime | None = None,
               until: dt.datetime | None = None, limit: int = 50,
               offset: int = 0) -> tuple[list[Entry], int]:
        """Entries matching the filters, newest first, and how many match in total."""
        where, args = self._where(actor, action, since, until)
        with self.db.connect() as conn:
            sql = f"SELECT COUNT(*) FROM audit {where}"  # noqa: S608 - WHERE built from fixed fragments, values bound as ?
            total = conn.execute(sql, args).fetchone()[0]
            sql = f"SELECT * FROM audit {where} ORDER BY seq DESC LIMIT ? OFFSET ?"  # noqa: S608 - WHERE built from fixed fragments, values bound as ?
            rows = conn.execute(sql, (*args, limit, offset)).fetchall()
        return [Entry(*r) for r in rows], total

    def iter_entries(self, actor: str = "", action: str = "", since: dt.datetime | None = None,
                     until: dt.datetime | None = None) -> Iterator[Entry]:
        """Every matching entry, oldest first (exports)."""
        where, args = self._where(actor, action, since, until)
        with self.db.connect() as conn:
            sql = f"SELECT * FROM audit {where} ORDER BY seq"  # noqa: S608 - WHERE built from fixed fragments, values bound as ?
            for row in conn.execute(sql, args):
                yield Entry(*row)

    @staticmethod
    def _where(actor: str, action: str, since: dt.datetime | None,
               until: dt.datetime | None) -> tuple[str, tuple]:
        clauses, args = [], []
        if actor:
            clauses.append("actor = ?")
            args.append(actor)
        if action:
            clauses.append("action = ?")
            args.append(action)
        if since is not None:
            clauses.append("at >= ?")
            args.append(since.astimezone(dt.UTC).isoformat(timespec="microseconds"))
        if until is not None:
            clauses.append("at < ?")
            args.append(until.astimezone(dt.UTC).isoformat(timespec="microseconds"))
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), tuple(args)

    def last(self, action: str, target: str) -> Entry | None:
        """The latest entry of ``action`` on ``target`` (e.g. when a document was last printed)."""
        with self.db.connect() as conn:
            row = conn.execute("SELECT * FROM audit WHERE action = ? AND target = ? "
                               "ORDER BY seq DESC LIMIT 1", (action, target)).fetchone()
        return Entry(*row) if row else None

    def actors(self) -> list[str]:
        with self.db.connect() as conn:
            return [r[0] for r in conn.execute("SELECT DISTINCT actor FROM audit ORDER BY actor")]


def csv_rows(entries: Iterator[Entry]) -> Iterator[list[str]]:
    """Header then one row per entry, every cell formula-safe."""
    yield ["seq", "horodatage_utc", "utilisateur", "action", "libelle", "cible", "details",
           "empreinte_precedente", "empreinte"]
    for e in entries:
        yield [csv_safe(v) for v in (e.seq, e.at, e.actor, e.action, e.label, e.target,
                                     e.details, e.prev_hash, e.hash)]
