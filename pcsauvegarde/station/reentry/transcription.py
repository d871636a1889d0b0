"""Transcriptions: what was written on paper during the outage, as structured records.

A transcription line belongs to one paper item (``item_kind`` and ``number`` as in
status.py: a document number, a lab label number, a tray circulation number, a provisional
IPP) and, inside it, to one ``line`` (an order and its slot, a product…; ``""`` when the item
holds a single record). Rows are never updated nor deleted (triggers refuse it): a correction
is a new row that ``supersedes`` the current one, with who, when and why; verifications are rows
of their own. Warnings shown to the user and confirmed are kept with the row.

Statuses of the worklist move through status.mark(): entering makes the item « ressaisi »;
« vérifié » comes from a second person where the hospital asks for double entry
(setting ``reentry_double_entry``), else at once from the person entering it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from pcsauvegarde.core.records import parse_utc
from pcsauvegarde.station.reentry import status
from pcsauvegarde.station.station import Station

# Domains of transcription (double entry is set per domain): item kind each is filed under.
DOMAINS = {  # keys: settings.REENTRY_DOMAINS
    "administration": "Administrations (plan d'administration 72 h)",
    "lab": "Laboratoire (étiquette ↔ patient ↔ prélèvement)",
    "sterilisation": "Stérilisation (cycles, plateau ↔ cycle ↔ patient)",
    "admission": "Admissions en mode dégradé (fusion d'identité)",
    "pharmacy": "Pharmacie (livraisons et commandes)",
}
SCHEMA = """
CREATE TABLE IF NOT EXISTS transcription (
    id INTEGER PRIMARY KEY AUTOINCREMENT, domain TEXT NOT NULL, item_kind TEXT NOT NULL,
    number TEXT NOT NULL, line TEXT NOT NULL, data TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]', entered_by TEXT NOT NULL, entered_at TEXT NOT NULL,
    supersedes INTEGER UNIQUE REFERENCES transcription(id), reason TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS transcription_item ON transcription (item_kind, number, line, id);
CREATE INDEX IF NOT EXISTS transcription_domain ON transcription (domain, id);
CREATE TABLE IF NOT EXISTS transcription_check (
    transcription INTEGER PRIMARY KEY REFERENCES transcription(id),
    verified_by TEXT NOT NULL, verified_at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS transcription_no_update BEFORE UPDATE ON transcription
    BEGIN SELECT RAISE(ABORT, 'transcription is append-only'); END;
CREATE TRIGGER IF NOT EXISTS transcription_no_delete BEFORE DELETE ON transcription
    BEGIN SELECT RAISE(ABORT, 'transcription is append-only'); END;
CREATE TRIGGER IF NOT EXISTS transcription_check_no_update BEFORE UPDATE ON transcription_check
    BEGIN SELECT RAISE(ABORT, 'transcription_check is append-only'); END;
CREATE TRIGGER IF NOT EXISTS transcription_check_no_delete BEFORE DELETE ON transcription_check
    BEGIN SELECT RAISE(ABORT, 'transcription_check is append-only'); END;
"""
CURRENT = "NOT EXISTS (SELECT 1 FROM transcription n WHERE n.supersedes = t.id)"
MAX_REASON = 500


class TranscriptionError(ValueError):
    """A transcription refused (French message naming the item and what is wrong)."""


class NeedsConfirmation(TranscriptionError):
    """Warnings the user must read and confirm before the lines are kept (nothing kept yet)."""

    def __init__(self, warnings: list[str]):
        super().__init__("à confirmer : " + " ; ".join(warnings))
        self.warnings = list(warnings)


@dataclass(frozen=True)
class Line:
    """One line to keep: its key inside the paper item, its data, its warnings."""

    line: str
    data: dict
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transcription:
    id: int
    domain: str
    item_kind: str
    number: str
    line: str
    data: dict
    warnings: tuple[str, ...]
    entered_by: str
    entered_at: dt.datetime
    supersedes: int | None = None
    reason: str = ""
    verified_by: str = ""
    verified_at: dt.datetime | None = None


def double_entry(station: Station, domain: str) -> bool:
    """Whether ``domain`` needs a second person's verification (setting reentry_double_entry)."""
    return domain in station.settings.reentry_double_entry


# The worklist's domains (worklist.DOMAINS) → the transcription domain whose setting applies.
WORKLIST_DOMAINS = {"soins": "administration", "biologie": "lab",
                    "stérilisation": "sterilisation", "admissions": "admission",
                    "pharmacie": "pharmacy"}


def double_entry_of_item(station: Station, worklist_domain: str) -> bool:
    """Whether an item of the worklist's ``worklist_domain`` needs a second person to be
    marked « vérifié » (scan, item page and list marks obey the same setting as transcriptions)."""
    return double_entry(station, WORKLIST_DOMAINS.get(worklist_domain, ""))


def ensure_schema(station: Station) -> None:
    with station.state.connect() as conn:
        conn.executescript(SCHEMA)


def record(station: Station, domain: str, item_kind: str, number: str, lines: Iterable[Line],
           by: str, *, confirmed: bool = False, reason: str = "",
           now: dt.datetime | None = None) -> list[Transcription]:
    """Keep ``lines`` for the paper item (unchanged lines are skipped), then move its status.

    MUST raise NeedsConfirmation, keeping nothing, when a line has warnings and ``confirmed``
    is false. A changed line supersedes the current one (a correction: history kept).
    Returns the rows written.
    """
    if domain not in DOMAINS:
        raise TranscriptionError(f"domaine de ressaisie inconnu : « {domain[:40]} »")
    lines = list(lines)
    reason = " ".join(reason.split())
    if len(reason) > MAX_REASON:
        raise TranscriptionError(f"motif trop long ({len(reason)} caractères, {MAX_REASON} au "
                                 "plus)")
    warnings = [w for ln in lines for w in ln.warnings]
    if warnings and not confirmed:
        raise NeedsConfirmation(warnings)
    now = now or dt.datetime.now(dt.UTC)
    ensure_schema(station)
    written: list[Transcription] = []
    with station.state.transaction() as conn:
        for ln in lines:
            data = json.dumps(ln.data, ensure_ascii=False, sort_keys=True)
            before = conn.execute(
                f"SELECT t.id, t.data FROM transcription t WHERE item_kind=? AND number=? "  # noqa: S608 - fixed SQL text
                f"AND line=? AND {CURRENT}", (item_kind, number, ln.line)).fetchone()
            if before is not None and before["data"] == data:
                continue
            cur = conn.execute(
                "INSERT INTO transcription (domain, item_kind, number, line, data, warnings,"
                " entered_by, entered_at, supersedes, reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (domain, item_kind, number, ln.line, data,
                 json.dumps(list(ln.warnings), ensure_ascii=False), by, now.isoformat(),
                 before["id"] if before else None, reason if before else ""))
            written.append(Transcription(int(cur.lastrowid or 0), domain, item_kind, number,
                                         ln.line, ln.data, ln.warnings, by, now,
                                         before["id"] if before else None,
                                         reason if before else ""))
        if written:
            station.audit.record(by, "reentry.transcribed", f"{item_kind}:{number}",
                                 {"domain": domain, "lines": len(written),
                                  "corrections": sum(1 for w in written if w.supersedes),
                                  "warnings": [w for t in written for w in t.warnings]},
                                 db=conn, now=now)
    if written:
        _entered(station, domain, item_kind, number, by, now)
    return written


def _entered(station: Station, domain: str, item_kind: str, number: str, by: str,
             now: dt.datetime) -> None:
    """Move the item to « ressaisi » (reopening it when it was done), and to « vérifié » at
    once when its domain has no double entry."""
    was = status.current(station, item_kind, number)
    if was.status in (status.VERIFIED, status.NOT_APPLICABLE):
        status.mark(station, item_kind, number, status.TO_REENTER, by,
                    "correction d'une transcription", now=now)
        was = status.current(station, item_kind, number)
    if was.status == status.TO_REENTER:
        status.mark(station, item_kind, number, status.REENTERED, by, now=now)
    if not double_entry(station, domain):
        _verify_rows(station, item_kind, number, by, now, own_check=True)


def verify(station: Station, domain: str, item_kind: str, number: str, by: str,
           now: dt.datetime | None = None) -> int:
    """A second person confirms every current line of the item; returns how many.

    MUST refuse (TranscriptionError) a verifier who entered any of those lines.
    """
    now = now or dt.datetime.now(dt.UTC)
    lines = current(station, item_kind, number)
    if not lines:
        raise TranscriptionError(f"{status.ITEM_KINDS.get(item_kind, item_kind)} {number} : "
                                 "rien n'a encore été ressaisi, rien à vérifier")
    authors = sorted({t.entered_by for t in lines if not t.verified_by})
    if by in authors:
        raise TranscriptionError(
            f"{status.ITEM_KINDS.get(item_kind, item_kind)} {number} : la vérification doit "
            f"être faite par une autre personne que celle qui a ressaisi ({by})")
    count = _verify_rows(station, item_kind, number, by, now, own_check=False,
                         domain=domain)
    return count


def _verify_rows(station: Station, item_kind: str, number: str, by: str, now: dt.datetime,
                 *, own_check: bool, domain: str = "") -> int:
    todo = [t for t in current(station, item_kind, number) if not t.verified_by]
    with station.state.transaction() as conn:
        for t in todo:
            conn.execute("INSERT INTO transcription_check (transcription, verified_by,"
                         " verified_at) VALUES (?,?,?)", (t.id, by, now.isoformat()))
        if not own_check and todo:
            station.audit.record(by, "reentry.verified", f"{item_kind}:{number}",
                                 {"domain": domain, "lines": len(todo)}, db=conn, now=now)
    if status.current(station, item_kind, number).status == status.REENTERED:
        status.mark(station, item_kind, number, status.VERIFIED, by, now=now,
                    distinct_verifier=not own_check)
    return len(todo)


def current(station: Station, item_kind: str, number: str) -> list[Transcription]:
    """The current lines of a paper item (corrections applied), in line order."""
    return _select(station, f"t.item_kind=? AND t.number=? AND {CURRENT}", (item_kind, number))


def history(station: Station, item_kind: str, number: str,
            line: str | None = None) -> list[Transcription]:
    """Every row ever kept for the item (or one of its lines), oldest first."""
    if line is None:
        return _select(station, "t.item_kind=? AND t.number=?", (item_kind, number), by_id=True)
    return _select(station, "t.item_kind=? AND t.number=? AND t.line=?",
                   (item_kind, number, line), by_id=True)


def current_of_domain(station: Station, domain: str) -> list[Transcription]:
    """Every current line of a domain (what the exports send), in entry order."""
    return _select(station, f"t.domain=? AND {CURRENT}", (domain,), by_id=True)


def _select(station: Station, where: str, args: tuple, by_id: bool = False
            ) -> list[Transcription]:
    ensure_schema(station)
    order = "t.id" if by_id else "t.line, t.id"
    with station.state.connect() as conn:
        rows = conn.execute(
            "SELECT t.*, c.verified_by, c.verified_at FROM transcription t "  # noqa: S608 - fixed WHERE text from this module, values bound
            f"LEFT JOIN transcription_check c ON c.transcription = t.id WHERE {where} "
            f"ORDER BY {order}", args).fetchall()
    return [_row(r) for r in rows]


def _row(r) -> Transcription:
    return Transcription(r["id"], r["domain"], r["item_kind"], r["number"], r["line"],
                         json.loads(r["data"]), tuple(json.loads(r["warnings"])),
                         r["entered_by"], parse_utc(r["entered_at"]), r["supersedes"],
                         r["reason"], r["verified_by"] or "",
                         parse_utc(r["verified_at"]) if r["verified_at"] else None)
