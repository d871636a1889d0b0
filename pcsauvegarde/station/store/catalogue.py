"""Read the shared catalogues (pharmacy products, suppliers, dotations): no patient data.

Patient records are read through ``station.patients`` only; these types carry none.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TypeVar

from pcsauvegarde.core.records import Record, record_from_dict
from pcsauvegarde.station.store.db import Store

R = TypeVar("R", bound=Record)


def records_of(store: Store, cls: type[R]) -> list[R]:
    """Every record of one catalogue class (``cls.TYPE``), by id."""
    with store.connect() as db:
        rows = db.execute("SELECT data FROM record WHERE type=? ORDER BY id", (cls.TYPE,))
        found = [record_from_dict(json.loads(d)) for (d,) in rows]
    return [r for r in found if isinstance(r, cls)]


def records_where(store: Store, cls: type[R], field: str, value: str) -> list[R]:
    """The records of ``cls`` whose JSON ``field`` equals ``value`` (a unit's dotation…)."""
    with store.connect() as db:
        rows = db.execute("SELECT data FROM record WHERE type=? AND json_extract(data, ?) = ? "
                          "ORDER BY id", (cls.TYPE, f"$.{field}", value))
        found = [record_from_dict(json.loads(d)) for (d,) in rows]
    return [r for r in found if isinstance(r, cls)]


def records_by_id(store: Store, cls: type[R], ids: set[str]) -> dict[str, R]:
    """The records of ``cls`` with these ids (the products of one list), by id."""
    found: dict[str, R] = {}
    wanted = sorted(ids)
    with store.connect() as db:
        for start in range(0, len(wanted), 500):   # SQLite's bound-parameter limit
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT data FROM record WHERE type=? AND id IN ({marks})"  # noqa: S608 - only « ? » marks, values bound
            rows = db.execute(sql, (cls.TYPE, *chunk))
            for (d,) in rows:
                r = record_from_dict(json.loads(d))
                if isinstance(r, cls):
                    found[r.id] = r
    return found


def extracted_at(store: Store, domain: str) -> dict[str, dt.datetime]:
    """{domain: when its promoted snapshot was extracted}, empty when never received."""
    snap = store.snapshots().get(domain)
    return {domain: snap.extracted_at} if snap is not None else {}
