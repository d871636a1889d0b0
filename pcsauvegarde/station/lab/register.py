"""The register of issued lab numbers: every number, its batch or patient, who, when, where.

Numbers are allocated (numbering.py, with the high-water file) and written here in one
transaction: a number is in the register before any label can carry it. Each batch is one
document and one print job; its status says whether its labels came out of the printer, so a
failed print is listed and reprinted, never silently lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pcsauvegarde.station.lab.ranges import LabRange
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.state.numbering import MAX_BATCH, Numbering, RangeExhausted
from pcsauvegarde.station.state.statedb import StateDB

SCHEMA = """
CREATE TABLE IF NOT EXISTS lab_batch (
    id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, ipp TEXT, unit TEXT,
    patients INTEGER NOT NULL, tubes INTEGER NOT NULL, urgent INTEGER NOT NULL DEFAULT 0,
    station TEXT NOT NULL, issued_by TEXT NOT NULL, issued_at TEXT NOT NULL,
    document_number TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,
    prints INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS lab_label (
    number TEXT PRIMARY KEY, batch INTEGER NOT NULL REFERENCES lab_batch(id),
    position INTEGER NOT NULL, ipp TEXT);
CREATE INDEX IF NOT EXISTS lab_label_batch ON lab_label (batch);
CREATE INDEX IF NOT EXISTS lab_batch_day ON lab_batch (issued_at);
CREATE INDEX IF NOT EXISTS lab_batch_document ON lab_batch (document_number);
"""
KINDS = {"blank": "Lot pré-numéroté", "patient": "Patient", "admission": "Admission"}
STATUSES = {"allocated": "Numéros réservés, non imprimés", "issued": "Document produit",
            "printed": "Imprimé", "print_failed": "Échec d'impression : à réimprimer"}


class LabError(ValueError):
    """A lab request that cannot be served (French message); nothing was allocated."""


@dataclass(frozen=True)
class Batch:
    """One allocation: ``numbers`` (one per patient), each with ``tubes`` tube labels."""

    id: int
    kind: str
    numbers: tuple[str, ...]
    tubes: int
    ipp: str | None
    unit: str | None
    urgent: bool
    station: str
    issued_by: str
    issued_at: dt.datetime
    document_number: str = ""
    status: str = "allocated"
    prints: int = 0
    error: str = ""

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Entry:
    """One issued number as the register lists it."""

    number: str
    batch: Batch
    position: int
    ipp: str | None


class LabRegister:
    """The station's lab range, allocation and register, on its state database."""

    def __init__(self, db: StateDB, station_id: str, rng: LabRange, high_water: HighWater):
        self.db = db
        self.station_id = station_id
        self.range = rng
        self.numbering = Numbering(db, high_water)
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def remaining(self) -> int:
        """Lab numbers (one per patient) this station can still give."""
        return self.numbering.remaining(self.range.serial)

    def allocate(self, kind: str, patients: int, tubes: int, user: str,
                 ipp: str | None = None, unit: str | None = None, urgent: bool = False,
                 now: dt.datetime | None = None) -> Batch:
        """Allocate ``patients`` numbers and register them as one batch, in one transaction.

        MUST raise LabError (with how many numbers remain) and allocate nothing when the
        request cannot be served whole.
        """
        if kind not in KINDS:
            raise LabError(f"type de lot « {kind} » inconnu")
        if not 1 <= patients <= MAX_BATCH:
            raise LabError(f"nombre de patients {patients} hors limites (1 à {MAX_BATCH})")
        if not 1 <= tubes <= self.range.max_tubes:
            raise LabError(f"nombre de tubes par patient {tubes} hors limites "
                           f"(1 à {self.range.max_tubes})")
        now = now or dt.datetime.now(dt.UTC)
        try:
            with self.db.transaction() as conn:
                serials = self.numbering.allocate(self.range.serial, patients, purpose=kind,
                                                  conn=conn, now=now)
                numbers = tuple(self.range.number(s) for s in serials)
                cur = conn.execute(
                    "INSERT INTO lab_batch (kind, ipp, unit, patients, tubes, urgent, station,"
                    " issued_by, issued_at, status) VALUES (?,?,?,?,?,?,?,?,?,'allocated')",
                    (kind, ipp, unit, patients, tubes, int(urgent), self.station_id, user,
                     now.isoformat()))
                batch_id = int(cur.lastrowid or 0)
                conn.executemany("INSERT INTO lab_label (number, batch, position, ipp)"
                                 " VALUES (?,?,?,?)",
                                 [(n, batch_id, i, ipp) for i, n in enumerate(numbers, 1)])
        except RangeExhausted:
            left = self.remaining()
            raise LabError(
                f"plage de numéros de laboratoire {self.range.serial.describe()} : "
                f"{patients} numéro(s) demandé(s), il n'en reste que {left}. Rien n'a été "
                "attribué ; demandez moins d'étiquettes, ou une nouvelle plage réservée au "
                "laboratoire pour ce poste.") from None
        return Batch(batch_id, kind, numbers, tubes, ipp, unit, urgent, self.station_id,
                     user, now)

    def set_document(self, batch_id: int, document_number: str) -> None:
        """The journalled document that carries the batch's labels."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE lab_batch SET document_number=?, status='issued' WHERE id=?",
                         (document_number, batch_id))

    def mark_printed(self, batch_id: int, ok: bool, error: str = "") -> None:
        """Journal a failure to produce a batch's labels (listed to reprint)."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE lab_batch SET status=?, error=?, prints=prints+? WHERE id=?",
                         ("printed" if ok else "print_failed", error, int(ok), batch_id))

    def batch(self, batch_id: int) -> Batch | None:
        rows = self._batches("id = ?", (batch_id,), 1)
        return rows[0] if rows else None

    def batches(self, limit: int = 50) -> list[Batch]:
        """Most recent first."""
        return self._batches("1 = 1", (), limit)

    def failed(self) -> list[Batch]:
        """Batches whose labels did not come out of the printer (or were never rendered)."""
        return self._batches("status IN ('print_failed', 'allocated')", (), 1000)

    def search(self, query: str, limit: int = 200) -> list[Entry]:
        """By number (whole or start, with or without tube suffix), IPP or document number."""
        q = "".join(query.split())[:80]
        if not q:
            return []
        number = q.upper()[:self.range.length]   # identifiers of any case: IPP as typed
        return self._entries("l.number LIKE ? ESCAPE '\\' OR l.ipp = ? OR b.document_number = ?",
                             (_like_prefix(number), q, q.upper()), limit)

    def on_day(self, start: dt.datetime, end: dt.datetime) -> list[Entry]:
        """Every number issued in [start, end) (UTC), in issue order: the day's register."""
        return self._entries("b.issued_at >= ? AND b.issued_at < ?",
                             (start.isoformat(), end.isoformat()), 1_000_000)

    def all(self) -> list[Entry]:
        return self._entries("1 = 1", (), 10_000_000)

    def _batches(self, where: str, args: tuple, limit: int) -> list[Batch]:
        with self.db.connect() as conn:
            rows = conn.execute(f"SELECT * FROM lab_batch WHERE {where} "  # noqa: S608 - fixed WHERE text from this module, values bound
                                "ORDER BY id DESC LIMIT ?", (*args, limit)).fetchall()
            out = []
            for r in rows:
                numbers = tuple(n for (n,) in conn.execute(
                    "SELECT number FROM lab_label WHERE batch=? ORDER BY position", (r["id"],)))
                out.append(_batch(r, numbers))
        return out

    def _entries(self, where: str, args: tuple, limit: int) -> list[Entry]:
        with self.db.connect() as conn:
            sql = ("SELECT l.number, l.position, l.ipp AS label_ipp, b.* FROM lab_label l "  # noqa: S608 - fixed WHERE text from this module, values bound
                   f"JOIN lab_batch b ON b.id = l.batch WHERE {where} "
                   "ORDER BY b.issued_at, b.id, l.position LIMIT ?")
            rows = conn.execute(sql, (*args, limit)).fetchall()
        batches: dict[int, Batch] = {}
        out = []
        for r in rows:
            b = batches.setdefault(r["id"], _batch(r, ()))
            out.append(Entry(r["number"], b, r["position"], r["label_ipp"]))
        return out


def _batch(r, numbers: tuple[str, ...]) -> Batch:
    return Batch(r["id"], r["kind"], numbers, r["tubes"], r["ipp"], r["unit"],
                 bool(r["urgent"]), r["station"], r["issued_by"],
                 dt.datetime.fromisoformat(r["issued_at"]), r["document_number"], r["status"],
                 r["prints"], r["error"])


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def journal_print(db: StateDB, document_number: str, ok: bool, error: str = "") -> None:
    """Journal a print attempt of any document on the batches it carries (none: nothing).

    Called for every print (send.py): a lab document printed from its preview page, the
    retry list or the lab screen is journalled the same way — printed, or printed-failed and
    listed « à réimprimer »."""
    with db.transaction() as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name='lab_batch'").fetchone():
            conn.execute("UPDATE lab_batch SET status=?, error=?, prints=prints+? "
                         "WHERE document_number=?",
                         ("printed" if ok else "print_failed", error, int(ok),
                          document_number))


def register_of(station) -> LabRegister:
    """The station's lab register (``Station``); LabError when it has no lab range."""
    from pcsauvegarde.station.settings import lab_range_of
    from pcsauvegarde.station.state.numbering import NumberingError

    settings = station.settings
    if not settings.lab_range:
        raise LabError("aucune plage de numéros de laboratoire n'est configurée sur ce poste "
                       "(réglage lab_range) : demandez-la à l'administrateur.")
    try:
        rng = lab_range_of(settings)
    except NumberingError as exc:
        raise LabError(str(exc)) from None
    from pcsauvegarde.station.exercise import numbers_prefix
    from pcsauvegarde.station.lab.ranges import exercise_lab_range

    if prefix := numbers_prefix(station):
        try:
            rng = exercise_lab_range(rng, prefix)
        except NumberingError as exc:
            raise LabError(str(exc)) from None
    return LabRegister(station.state, settings.station_id, rng,
                       HighWater(settings.high_water_path))
