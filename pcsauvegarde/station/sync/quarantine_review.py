"""Closing quarantine entries: re-examining those refused for their signature once the pinned
publisher keys change, and dismissing entries the admin has dealt with (both journalled)."""

from __future__ import annotations

import datetime as dt
import json
import logging

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station.keys import StationKeys, publisher_keys_fingerprint
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.sync.actions import record_action
from pcsauvegarde.station.sync.quarantine import Entry, QuarantineError, get_entry, list_entries
from pcsauvegarde.station.sync.quarantine_store import REASON

log = logging.getLogger("pcsauvegarde.station.sync")
# Refusals a change of pinned publisher key can cure: the file is still in the drop point
# (unsigned refusals keep no bytes here), so the pull fetches and judges it again.
RETRYABLE = frozenset({"signature"})
MOTIF_MIN = 3


def _update(entry: Entry, **changes) -> None:
    reason = entry.package.with_name(entry.package.name + REASON)
    meta = json.loads(reason.read_text(encoding="utf-8"))
    meta.update(changes)
    atomic_write(reason, json.dumps(meta, ensure_ascii=False, indent=1).encode(), mode=0o600)


def requeue(settings: Settings, store: Store, keys: StationKeys, actor: str,
            only_if_keys_changed: bool = True) -> list[Entry]:
    """Hand entries refused for their signature back to the next pull; those returned.

    With ``only_if_keys_changed`` (every pull), only the entries judged with other pinned
    keys than today's (or whose keys are unknown) go back: a still-wrong key costs nothing.
    """
    now_keys = publisher_keys_fingerprint(keys)
    chosen = [e for e in list_entries(settings)
              if e.open and e.code in RETRYABLE
              and not (only_if_keys_changed and e.publisher_keys == now_keys)]
    for e in chosen:
        store.requeue(e.source, [e.file])
        _update(e, requeued=True,
                requeued_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    if chosen:
        # Deltas that waited for a full refused meanwhile can follow it now.
        for source in {e.source for e in chosen}:
            store.requeue_waiting(source)
        record_action(settings, actor, "quarantine-retry", count=len(chosen),
                      files=[e.file for e in chosen][:20],
                      reason="clés de l'émetteur changées" if only_if_keys_changed
                      else "demande de l'administrateur")
        log.warning("%d quarantined package(s) handed back to the pull", len(chosen))
    return chosen


def dismiss(settings: Settings, entry_id: str, actor: str, motif: str) -> Entry:
    """Close one entry with the admin's reason (journalled); its files stay where they are."""
    motif = " ".join(motif.split())
    if len(motif) < MOTIF_MIN:
        raise QuarantineError("écarter un paquet : motif obligatoire (--motif « … »), il est "
                              "gardé au journal d'audit")
    entry = get_entry(settings, entry_id)
    if not entry.open:
        raise QuarantineError(f"« {entry.file} » : déjà écarté ou déjà réexaminé")
    _update(entry, dismissed_reason=motif, dismissed_by=actor,
            dismissed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    record_action(settings, actor, "quarantine-dismiss", file=entry.file, quarantine_id=entry.id,
                  reason=entry.reason, motif=motif)
    return get_entry(settings, entry_id)
