"""The patient search index: one row per patient with its current (or latest) stay."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import unicodedata
from collections.abc import Iterable

from pcsauvegarde.core.records import parse_utc

INDEXED_TYPES = frozenset({"patient", "stay"})  # the record types an index row is made of


def fold(text: str) -> str:
    """Accent- and case-insensitive form used for searching names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def update_patient_index(db: sqlite3.Connection, ipps: Iterable[str] | None = None) -> None:
    """Rebuild the index rows of ``ipps`` (every patient when None) from the record table.

    Reads the stored JSON lines directly (validated at ingest): no record is rebuilt.
    """
    if ipps is None:
        db.execute("DELETE FROM patient_index")
        stays = [r for (r,) in db.execute("SELECT data FROM record WHERE type='stay'")]
        patients = [r for (r,) in db.execute("SELECT data FROM record WHERE type='patient'")]
    else:
        keys = [(ipp,) for ipp in sorted(set(ipps))]
        if not keys:
            return
        db.executemany("DELETE FROM patient_index WHERE ipp = ?", keys)
        stays, patients = [], []
        for key in keys:  # stays in primary-key order, as the full rebuild sees them
            stays += [r for (r,) in db.execute(
                "SELECT data FROM record WHERE ipp=? AND type='stay' ORDER BY id", key)]
            patients += [r for (r,) in db.execute(
                "SELECT data FROM record WHERE type='patient' AND id=?", key)]
    best: dict[str, tuple] = {}
    for data in stays:
        s = json.loads(data)
        discharge = parse_utc(s["discharge"]) if s.get("discharge") is not None else None
        # a pre-admission (planned) is not a current stay
        stay = (s["id"], s["unit"], s.get("room", ""), s.get("bed", ""),
                parse_utc(s["admission"]), discharge,
                discharge is None and not s.get("planned", False))
        held = best.get(s["ipp"])
        # the current stay wins; otherwise the latest admission
        if held is None or (not held[6] and (stay[6] or stay[4] > held[4])):
            best[s["ipp"]] = stay
    rows = []
    for data in patients:
        p = json.loads(data)
        s = best.get(p["id"])
        # IPPs merged into this patient (HL7 A40) are searchable words of its row
        names = fold(" ".join(filter(None, (p["birth_name"], p.get("used_name", ""),
                                            p["first_names"], p.get("used_first_name", ""),
                                            *p.get("merged_ipps", ())))))
        rows.append((p["id"], names, dt.date.fromisoformat(p["birth_date"]).isoformat())
                    + ((s[0], s[1], s[2], s[3], int(s[6]), s[4].isoformat(),
                        s[5].isoformat() if s[5] else None) if s else
                       (None, None, None, None, 0, None, None)))
    db.executemany("INSERT INTO patient_index VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
