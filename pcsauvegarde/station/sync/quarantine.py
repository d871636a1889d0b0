"""Quarantined packages: list, inspect, and force-accept by the admin (journalled)."""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.fsutil import private_dir
from pcsauvegarde.core.package import PackageError, open_package
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.store import Store
from pcsauvegarde.station.sync.actions import record_action
from pcsauvegarde.station.sync.ingest import OVERRIDABLE, IngestOutcome, ingest

log = logging.getLogger("pcsauvegarde.station.sync")


class QuarantineError(Exception):
    """An unknown entry or a package that cannot be forced (French message)."""


@dataclass(frozen=True)
class Entry:
    """One quarantined package: id (its timestamp), file, reason and gate code."""

    id: str
    file: str
    reason: str
    code: str
    domain: str | None
    sequence: int | None
    source: str
    package: Path

    @property
    def overridable(self) -> bool:
        return self.code in OVERRIDABLE


def list_entries(settings: Settings) -> list[Entry]:
    """Every quarantined package, newest first."""
    out = []
    for reason in settings.quarantine_dir.glob("*.reason.json"):
        try:
            data = json.loads(reason.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        package = reason.with_name(reason.name[:-len(".reason.json")])
        out.append(Entry(str(data.get("at", package.name.split("-", 1)[0])), data.get("file", ""),
                         data.get("reason", ""), data.get("code", ""), data.get("domain"),
                         data.get("sequence"), data.get("source", ""), package))
    return sorted(out, key=lambda e: e.id, reverse=True)


def get_entry(settings: Settings, entry_id: str) -> Entry:
    for e in list_entries(settings):
        if e.id == entry_id:
            return e
    raise QuarantineError(f"quarantaine : aucun paquet « {entry_id} »")


def inspect(settings: Settings, entry: Entry, keys) -> dict:
    """The entry's manifest, when its signature and encryption are valid; else why not."""
    if not entry.package.exists() or entry.package.stat().st_size == 0:
        return {"manifest": None, "error": "fichier absent ou vide"}
    # Open under the original name: the name must agree with the manifest.
    with _original_copy(settings, entry) as path:
        try:
            opened = open_package(path, keys.publisher_keys, keys.identity,
                                  station=settings.station_id, max_size=settings.package_size_limit)
        except PackageError as exc:
            return {"manifest": None, "error": str(exc)}
        m = opened.manifest
        return {"manifest": {"kind": m.kind, "domain": m.domain, "station": m.station,
                             "source": m.source, "extracted_at": m.extracted_at,
                             "sequence": m.sequence, "base_sequence": m.base_sequence,
                             "counts": dict(m.counts)},
                "signer": opened.signer.fingerprint, "error": ""}


class _original_copy:
    """A temporary copy of the package and signature under their original names."""

    def __init__(self, settings: Settings, entry: Entry):
        self.dir = settings.incoming_dir / f".inspect-{entry.id}"
        self.entry = entry

    def __enter__(self) -> Path:
        private_dir(self.dir)
        target = self.dir / self.entry.file
        shutil.copyfile(self.entry.package, target)
        os.chmod(target, 0o600)
        sig = self.entry.package.with_name(self.entry.package.name + ".minisig")
        if sig.exists():
            shutil.copyfile(sig, self.dir / (self.entry.file + ".minisig"))
            os.chmod(self.dir / (self.entry.file + ".minisig"), 0o600)
        return target

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def force_accept(settings: Settings, store: Store, entry_id: str, keys, actor: str
                 ) -> IngestOutcome:
    """Promote a quarantined package past the plausibility gates only (journalled).

    Signature, decryption, station, records and counts are still checked; on success the
    entry leaves quarantine, on refusal it stays there unchanged.
    """
    entry = get_entry(settings, entry_id)
    if not entry.overridable:
        raise QuarantineError(f"« {entry.file} » : refus non contournable ({entry.reason})")
    if not entry.package.is_file():
        raise QuarantineError(f"« {entry.file} » : fichier retiré de la quarantaine (plafond "
                              "atteint) : seul le motif reste, le paquet ne peut être accepté")
    with _original_copy(settings, entry) as path:
        outcome = ingest(settings, store, path, keys, source=f"forcé:{actor}",
                         force=OVERRIDABLE, quarantine=False)
    record_action(settings, actor, "force-accept", file=entry.file, quarantine_id=entry.id,
                  outcome=outcome.outcome, reason=entry.reason, message=outcome.message)
    if outcome.outcome != "accepted":
        raise QuarantineError(outcome.message or f"« {entry.file} » : refusé")
    for p in entry.package.parent.glob(entry.package.name + "*"):
        p.unlink(missing_ok=True)
    log.warning("force-accepted %s by %s", entry.file, actor)
    return outcome
