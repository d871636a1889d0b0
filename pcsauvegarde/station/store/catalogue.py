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


def extracted_at(store: Store, domain: str) -> dict[str, dt.datetime]:
    """{domain: when its promoted snapshot was extracted}, empty when never received."""
    snap = store.snapshots().get(domain)
    return {domain: snap.extracted_at} if snap is not None else {}
