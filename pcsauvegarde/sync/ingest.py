"""Ingest one received package: every gate, then atomic promotion or quarantine."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.config import Settings
from pcsauvegarde.fsutil import atomic_write, fsync_dir
from pcsauvegarde.package import PackageError, open_package
from pcsauvegarde.store import Store

log = logging.getLogger("pcsauvegarde.sync")
CLOCK_SKEW = dt.timedelta(minutes=5)


class GateError(Exception):
    """A package refused by a gate (French message naming the file and the reason)."""

    def __init__(self, file: str, reason: str, code: str):
        super().__init__(f"« {file} » : {reason}")
        self.code = code


@dataclass(frozen=True)
class IngestOutcome:
    file: str
    outcome: str            # accepted | quarantined | waiting
    message: str = ""
    domain: str | None = None
    sequence: int | None = None


def ingest(settings: Settings, store: Store, path: Path, keys, source: str = "local",
           now: dt.datetime | None = None) -> IngestOutcome:
    """Check and promote the package at ``path`` (a local copy the station owns).

    On success the package is kept under packages/<domain>/; on any refusal it is moved to
    quarantine/ with its reason; the current snapshot is never touched unless promoted whole.
    """
    now = now or dt.datetime.now(dt.UTC)
    name = path.name
    manifest = None
    try:
        size = path.stat().st_size
        if size == 0:
            raise GateError(name, "fichier vide (0 octet)", "empty")
        if size > settings.max_package_bytes:
            raise GateError(name, f"fichier trop gros ({size} octets)", "size")
        opened = open_package(path, keys.publisher_keys, keys.identity,
                              station=settings.accepted_stations,
                              max_size=settings.max_package_bytes)
        manifest = opened.manifest
        _check_manifest(settings, store, name, manifest, now)
        current = store.snapshot(manifest.domain)
        if manifest.kind == "delta" and (current is None
                                         or manifest.base_sequence != current.sequence):
            have = current.sequence if current else "aucune"
            message = (f"« {name} » : delta sur la séquence {manifest.base_sequence}, la station "
                       f"est à {have} — en attente du prochain paquet complet")
            log.warning("delta gap: %s", name)
            store.log_package(source, name, "waiting", message, manifest.domain, manifest.sequence)
            _discard(path)
            return IngestOutcome(name, "waiting", message, manifest.domain, manifest.sequence)
        store.promote(manifest, opened.iter_rows(), name,
                      sanity=_sanity_gate(settings, name, manifest, current))
    except (PackageError, GateError) as exc:
        return _quarantine(settings, store, path, source, str(exc), manifest)
    except ValueError as exc:  # a record outside its domain, raised while promoting
        return _quarantine(settings, store, path, source, f"« {name} » : {exc}", manifest)
    _keep(settings, path, manifest.domain)
    log.info("accepted %s (%s seq %s)", name, manifest.domain, manifest.sequence)
    store.log_package(source, name, "accepted", "", manifest.domain, manifest.sequence)
    return IngestOutcome(name, "accepted", "", manifest.domain, manifest.sequence)


def _check_manifest(settings: Settings, store: Store, name: str, manifest, now) -> None:
    if manifest.station not in settings.accepted_stations:
        raise GateError(name, f"paquet destiné à la station « {manifest.station} », "
                        f"pas à « {settings.station_id} »", "station")
    if manifest.extracted_at > now + CLOCK_SKEW:
        raise GateError(name, "date d'extraction dans le futur "
                        f"({manifest.extracted_at:%Y-%m-%d %H:%M} UTC) : horloge de la source "
                        "ou de la station à vérifier", "future")
    current = store.snapshot(manifest.domain)
    if current is not None and manifest.sequence <= current.sequence:
        raise GateError(name, f"séquence {manifest.sequence} déjà reçue ou plus ancienne que "
                        f"la séquence en service ({current.sequence}) : rejeu ou retour en "
                        "arrière refusé", "sequence")


def _sanity_gate(settings: Settings, name: str, manifest, current):
    """Refuse a full package whose patient count collapses against the previous snapshot."""
    if manifest.kind != "full" or current is None:
        return None
    before = current.counts.get("patient", 0)

    def check(db, counts):
        after = counts.get("patient", 0)
        if before >= 10 and after < before * (1 - settings.max_patient_drop):
            raise GateError(name, f"le nombre de patients chute de {before} à {after} "
                            "(contrôle de cohérence) : paquet mis de côté, données actuelles "
                            "conservées", "sanity")
    return check


def _quarantine(settings: Settings, store: Store, path: Path, source: str, message: str,
                manifest) -> IngestOutcome:
    log.error("quarantined: %s", message)
    qdir = settings.quarantine_dir
    qdir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = qdir / f"{stamp}-{path.name}"
    for src in (path, _sig(path)):
        if src.exists():
            shutil.move(src, target.parent / (target.name + src.name[len(path.name):]))
    domain = manifest.domain if manifest else None
    sequence = manifest.sequence if manifest else None
    atomic_write(target.with_name(target.name + ".reason.json"), json.dumps(
        {"file": path.name, "source": source, "reason": message, "domain": domain,
         "sequence": sequence, "at": stamp}, ensure_ascii=False, indent=1).encode())
    store.log_package(source, path.name, "quarantined", message, domain, sequence)
    return IngestOutcome(path.name, "quarantined", message, domain, sequence)


def _keep(settings: Settings, path: Path, domain: str) -> None:
    """Keep the accepted package as received; drop the oldest past the retention count."""
    target_dir = settings.packages_dir / domain
    target_dir.mkdir(parents=True, exist_ok=True)
    for src in (_sig(path), path):
        if src.exists():
            os.replace(src, target_dir / src.name)
    fsync_dir(target_dir)
    kept = sorted(target_dir.glob("*.age"), key=lambda p: p.stat().st_mtime)
    for old in kept[:-max(1, settings.keep_packages)]:
        old.unlink(missing_ok=True)
        _sig(old).unlink(missing_ok=True)


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    _sig(path).unlink(missing_ok=True)


def _sig(path: Path) -> Path:
    return path.with_name(path.name + ".minisig")
