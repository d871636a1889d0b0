"""Which patients the station keeps, and dropping the records of those it does not keep.

A patient is kept when the dpi snapshot holds them and they are not past the retention of
discharged patients. Records of other domains (lab results, imaging exams…) whose patient is
not kept are not stored: a result with no patient can be neither found nor printed. Every
dropped record is counted per type and reason (:data:`REASONS`), never dropped in silence.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable

from pcsauvegarde.core.records import DOMAINS, RECORD_TYPES, types_of_domain

RETENTION = "retention"
NO_PATIENT = "no_patient"
REASONS = (RETENTION, NO_PATIENT)

NotKept = Counter  # (record type, reason code) -> number of records not kept


def _has_ipp(domain: str) -> bool:
    return any("ipp" in {f.name for f in dataclasses.fields(RECORD_TYPES[t])}
               for t in types_of_domain(domain))


# Domains other than dpi whose records belong to a patient (lab, imaging).
CLINICAL_DOMAINS = tuple(d for d in DOMAINS if d != "dpi" and _has_ipp(d))


def drop_discharged(db: sqlite3.Connection, before: dt.datetime) -> tuple[set[str], NotKept]:
    """Drop the dpi records of patients with no current stay, discharged before ``before``,
    unless a consultation appointment of theirs starts after it (the clinic calls them).

    Returns their IPPs (their patient index entries go too) and the records dropped per type.
    """
    cutoff = before.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ipps = [r[0] for r in db.execute(
        "SELECT ipp FROM record WHERE type='stay' AND ipp IS NOT NULL "
        "GROUP BY ipp HAVING SUM(json_extract(data, '$.discharge') IS NULL) = 0 "
        "AND MAX(json_extract(data, '$.discharge')) < ? AND ipp NOT IN ("
        "SELECT ipp FROM record WHERE type='appointment' AND ipp IS NOT NULL "
        "AND json_extract(data, '$.start') >= ?)", (cutoff, cutoff))]
    gone = _drop(db, ipps, types_of_domain("dpi"))
    return set(ipps), Counter({(t, RETENTION): n for t, n in gone.items()})


def drop_orphans(db: sqlite3.Connection, domain: str, ipps: Iterable[str] | None) -> NotKept:
    """Drop the records of ``domain`` whose patient is not in the store (among ``ipps``, or
    among all of the domain's patients when None); count them per type."""
    types = types_of_domain(domain)
    marks = ",".join("?" * len(types))
    # one statement each, in SQLite: a full package has thousands of patients to look up
    no_patient = "NOT EXISTS (SELECT 1 FROM record p WHERE p.type='patient' AND p.id={})"
    if ipps is None:
        # « +type »: walk the (ipp, type) index, 3-4x faster than reading every row by type
        sql = (f"SELECT r.ipp FROM record r WHERE r.ipp > '' AND +r.type IN ({marks}) "  # noqa: S608 - placeholders only
               f"GROUP BY r.ipp HAVING {no_patient.format('r.ipp')}")
        orphans = [r[0] for r in db.execute(sql, types)]
    else:
        sql = f"SELECT j.value FROM json_each(?) j WHERE {no_patient.format('j.value')}"  # noqa: S608 - fixed text
        orphans = [r[0] for r in db.execute(sql, (json.dumps(sorted(set(ipps))),))]
    gone = _drop(db, orphans, types)
    return Counter({(t, NO_PATIENT): n for t, n in gone.items()})


def kept_patients(db: sqlite3.Connection) -> int:
    """How many patients the store keeps."""
    return db.execute("SELECT COUNT(*) FROM record WHERE type='patient'").fetchone()[0]


def dpi_covers(db: sqlite3.Connection, extracted_at: dt.datetime) -> bool:
    """True when the dpi snapshot is at least as recent as ``extracted_at``: a patient it does
    not hold is then not kept (an older dpi may simply not know a new admission yet)."""
    row = db.execute("SELECT extracted_at FROM snapshot WHERE domain='dpi'").fetchone()
    return row is not None and dt.datetime.fromisoformat(row[0]) >= extracted_at


def domains_covered_by(db: sqlite3.Connection, extracted_at: dt.datetime) -> list[str]:
    """Clinical domains whose snapshot is not newer than a dpi extracted at ``extracted_at``."""
    rows = db.execute("SELECT domain, extracted_at FROM snapshot").fetchall()
    return [d for d, at in rows
            if d in CLINICAL_DOMAINS and dt.datetime.fromisoformat(at) <= extracted_at]


def _drop(db: sqlite3.Connection, ipps: list[str], types: tuple[str, ...]) -> Counter:
    """Delete the records of ``types`` belonging to ``ipps``; return the count per type."""
    gone: Counter = Counter()
    if not ipps:
        return gone
    marks = ",".join("?" * len(types))
    # « +type »: by the (ipp, type) index, never a scan of the domain by its primary key
    among = f"ipp IN (SELECT value FROM json_each(?)) AND +type IN ({marks})"  # noqa: S608
    listed = (json.dumps(ipps), *types)
    for rtype, n in db.execute(f"SELECT type, COUNT(*) FROM record WHERE {among} "  # noqa: S608 - placeholders only
                               "GROUP BY type", listed):
        gone[rtype] += n
    db.execute(f"DELETE FROM record WHERE {among}", listed)  # noqa: S608 - placeholders only
    return gone
