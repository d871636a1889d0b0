"""Quarantined packages: list, inspect, and force-accept by the admin (journalled)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import unicodedata
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
    publisher_keys: str | None = None   # fingerprint of the pinned keys that judged it
    dismissed: str = ""                  # the admin's reason, once dismissed
    requeued: bool = False               # handed back to the next pull (key changed)

    @property
    def overridable(self) -> bool:
        return self.code in OVERRIDABLE

    @property
    def open(self) -> bool:
        """Still to be looked at: neither dismissed nor handed back to the pull."""
        return not self.dismissed and not self.requeued


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
                         data.get("sequence"), data.get("source", ""), package,
                         data.get("publisher_keys"), str(data.get("dismissed_reason") or ""),
                         bool(data.get("requeued"))))
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
                "signer": opened.signer.identification, "error": ""}


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


@dataclass(frozen=True)
class Rollback:
    """Accepting this package would put older data in service for one domain."""

    domain: str
    label: str               # the domain's French name, which the admin must type
    current_sequence: int
    current_extracted_at: dt.datetime
    sequence: int
    extracted_at: dt.datetime

    @property
    def older_by(self) -> dt.timedelta:
        return self.current_extracted_at - self.extracted_at

    def warning(self) -> str:
        """The French warning shown in red (CLI and admin page) before a rollback."""
        from pcsauvegarde.station.documents.fmt import format_age, format_local

        older = format_age(self.older_by).removeprefix("il y a ")
        return (f"ATTENTION : les données « {self.label} » en service (séquence "
                f"{self.current_sequence}, extraites le {format_local(self.current_extracted_at)})"
                f" seront remplacées par des données PLUS ANCIENNES de {older} (séquence "
                f"{self.sequence}, extraites le {format_local(self.extracted_at)}). Ce qui a "
                "changé entre-temps dans la source disparaîtra de la station.")

    def confirmed_by(self, typed: str) -> bool:
        """Whether ``typed`` names this domain (its French name or code; case and accents
        ignored)."""
        def norm(text: str) -> str:
            text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
            return " ".join(text.lower().split())

        return norm(typed) in {norm(self.label), norm(self.domain)} and bool(typed.strip())


def rollback_of(settings: Settings, store: Store, entry: Entry, keys) -> Rollback | None:
    """The rollback accepting ``entry`` would cause, or None (not older than the data in
    service, or not readable)."""
    from pcsauvegarde.station.freshness import DOMAIN_LABELS

    manifest = inspect(settings, entry, keys)["manifest"]
    if manifest is None:
        return None
    current = store.snapshot(manifest["domain"])
    if current is None or manifest["sequence"] >= current.sequence:
        return None
    return Rollback(manifest["domain"], DOMAIN_LABELS.get(manifest["domain"], manifest["domain"]),
                    current.sequence, current.extracted_at, manifest["sequence"],
                    manifest["extracted_at"])


def force_accept(settings: Settings, store: Store, entry_id: str, keys, actor: str,
                 confirm_domain: str | None = None) -> IngestOutcome:
    """Promote a quarantined package past the plausibility gates only (journalled).

    Signature, decryption, station, records and counts are still checked; on success the
    entry leaves quarantine, on refusal it stays there unchanged. A package older than the
    data in service (a rollback) MUST be confirmed by typing its domain (``confirm_domain``).
    """
    entry = get_entry(settings, entry_id)
    if not entry.overridable:
        raise QuarantineError(f"« {entry.file} » : refus non contournable ({entry.reason})")
    if not entry.package.is_file():
        raise QuarantineError(f"« {entry.file} » : fichier retiré de la quarantaine (plafond "
                              "atteint) : seul le motif reste, le paquet ne peut être accepté")
    rollback = rollback_of(settings, store, entry, keys)
    if rollback is not None and not rollback.confirmed_by(confirm_domain or ""):
        raise QuarantineError(f"{rollback.warning()} Pour confirmer, saisir le nom du domaine "
                              f"« {rollback.label} » : rien n'a été changé.")
    with _original_copy(settings, entry) as path:
        outcome = ingest(settings, store, path, keys, source=f"forcé:{actor}",
                         force=OVERRIDABLE, quarantine=False)
    detail = {}
    if rollback is not None:
        detail = {"rollback_domain": rollback.domain, "from_sequence": rollback.current_sequence,
                  "to_sequence": rollback.sequence,
                  "older_by_seconds": int(rollback.older_by.total_seconds())}
    record_action(settings, actor, "force-accept", file=entry.file, quarantine_id=entry.id,
                  outcome=outcome.outcome, reason=entry.reason, message=outcome.message,
                  **detail)
    if outcome.outcome != "accepted":
        raise QuarantineError(outcome.message or f"« {entry.file} » : refusé")
    for p in entry.package.parent.glob(entry.package.name + "*"):
        p.unlink(missing_ok=True)
    log.warning("force-accepted %s by %s%s", entry.file, actor,
                " (rollback)" if rollback is not None else "")
    return outcome
