"""Ingest one received package: every gate, then atomic promotion or quarantine."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.core.package import PackageError, open_package
from pcsauvegarde.core.package.limits import Limits
from pcsauvegarde.station.keys import publisher_keys_fingerprint
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.store import SnapshotMoved, Store
from pcsauvegarde.station.store.keeping import kept_patients
from pcsauvegarde.station.sync.notkept import NotKeptTally, describe
from pcsauvegarde.station.sync.quarantine_store import put
from pcsauvegarde.station.sync.retention import keep_package
from pcsauvegarde.station.sync.transports import PullError, os_reason

log = logging.getLogger("pcsauvegarde.station.sync")
# Gates an admin may override when force-accepting a quarantined package: they judge the
# content's plausibility, not its authenticity (signature, decryption, records, station).
OVERRIDABLE = frozenset({"sanity", "sequence", "future"})


class GateError(Exception):
    """A package refused by a gate (French message naming the file and the reason)."""

    def __init__(self, file: str, reason: str, code: str):
        super().__init__(f"« {file} » : {reason}")
        self.code = code


@dataclass(frozen=True)
class IngestOutcome:
    file: str
    outcome: str            # accepted | quarantined | waiting | refused (forced, not kept)
    message: str = ""
    domain: str | None = None
    sequence: int | None = None
    code: str = ""
    not_kept: NotKeptTally = field(default_factory=NotKeptTally)


def ingest(settings: Settings, store: Store, path: Path, keys, source: str = "local",
           now: dt.datetime | None = None, force: frozenset[str] = frozenset(),
           quarantine: bool = True,
           progress: Callable[[int, int], None] | None = None) -> IngestOutcome:
    """Check and promote the package at ``path`` (a local copy the station owns).

    ``progress(done, total)`` is called as records are checked and written (long full
    packages), ``total`` being the manifest's count.

    On success the package is kept under packages/<domain>/; on any refusal it is moved to
    quarantine/ with its reason (or, with ``quarantine=False``, deleted); the current snapshot
    is never touched unless promoted whole. ``force`` lists gates (within OVERRIDABLE) to skip.
    """
    force = force & OVERRIDABLE
    now = now or dt.datetime.now(dt.UTC)
    name = path.name
    manifest = None
    try:
        size = path.stat().st_size
        if size == 0:
            raise GateError(name, "fichier vide (0 octet)", "empty")
        if size > settings.package_size_limit:
            raise GateError(name, f"fichier trop gros ({size} octets)", "size")
        with open_package(path, keys.publisher_keys, keys.identity,
                          station=settings.accepted_stations,
                          max_size=settings.package_size_limit, workdir=path.parent,
                          limits=package_limits(settings)) as opened:
            manifest = opened.manifest
            _check_manifest(settings, store, name, manifest, now, force)
            current = store.snapshot(manifest.domain)
            if manifest.kind == "delta" and (current is None
                                             or manifest.base_sequence != current.sequence):
                have = current.sequence if current else "aucune"
                message = (f"« {name} » : delta sur la séquence {manifest.base_sequence}, la "
                           f"station est à {have} — en attente du prochain paquet complet")
                log.warning("delta gap: %s", name)
                store.log_package(source, name, "waiting", message, manifest.domain,
                                  manifest.sequence)
                _discard(path)
                return IngestOutcome(name, "waiting", message, manifest.domain,
                                     manifest.sequence)
            # Everything is checked before the store's write lock is taken: decompression,
            # limits, records, running counts. The transaction then only writes.
            opened.expand(path.parent / f".{name}.ndjson")
            sanity = (None if "sanity" in force
                      else _sanity_gate(settings, store, name, manifest, current))
            retention = dt.timedelta(days=settings.discharged_retention_days)
            promotion = store.promote(manifest, _counted(opened.iter_rows(), manifest, progress),
                                      name, sanity=sanity,
                                      discharged_before=manifest.extracted_at - retention,
                                      expected_sequence=current.sequence if current else None)
    except PackageError as exc:
        if exc.reason == "disk":  # the station's disk, not the package: fetched again later
            _discard(path)
            raise PullError(f"« {name} » : disque plein sur la station : paquet non traité, "
                            "données actuelles conservées, nouvel essai au prochain tirage"
                            ) from None
        return _refuse(settings, store, path, source, str(exc), manifest, exc.reason,
                       quarantine, keys)
    except GateError as exc:
        return _refuse(settings, store, path, source, str(exc), manifest, exc.code, quarantine)
    except (ValueError, sqlite3.IntegrityError) as exc:  # raised while promoting
        return _refuse(settings, store, path, source, f"« {name} » : {exc}", manifest, "record",
                       quarantine)
    except SnapshotMoved:
        _discard(path)  # judged against a snapshot that changed meanwhile: judge it again
        raise PullError(f"« {name} » : données promues entre-temps par un autre tirage : "
                        "paquet repris au prochain tirage") from None
    except sqlite3.OperationalError as exc:
        # The station's own disk or database failed, not the package: keep nothing, log
        # nothing, so the next run fetches it again.
        _discard(path)
        reason = "disque plein" if "full" in str(exc) else str(exc)
        raise PullError(f"« {name} » : base locale indisponible ({reason}) : paquet non "
                        "traité, nouvel essai au prochain tirage") from None
    except OSError as exc:
        _discard(path)
        raise PullError(f"« {name} » : {os_reason(exc)} sur la station : paquet non traité, "
                        "nouvel essai au prochain tirage") from None
    except (RecursionError, MemoryError, RuntimeError, LookupError, TypeError) as exc:
        # Whatever a hostile package provokes, it is quarantined and the pull moves on: one
        # bad package never blocks the next ones, of this domain or another.
        log.exception("unexpected failure on %s", name)
        return _refuse(settings, store, path, source, f"« {name} » : paquet illisible "
                       f"(erreur inattendue {type(exc).__name__})", manifest, "unexpected",
                       quarantine)
    log.info("accepted %s (%s seq %s)%s", name, manifest.domain, manifest.sequence,
             f" forced past {sorted(force)}" if force else "")
    tally = NotKeptTally(records=promotion.not_kept)
    if manifest.kind == "full" and promotion.patients_kept is not None:
        tally.received = promotion.counts.get("patient", 0)
        tally.kept = promotion.patients_kept
    # Accepted, yet telling what was not kept: « 1 accepté » must not hide 0 patients kept.
    message = describe(tally, settings.discharged_retention_days)
    message = f"« {name} » : {message}" if message else ""
    store.log_package(source, name, "accepted", message, manifest.domain, manifest.sequence)
    try:
        keep_package(settings, store, path, manifest.domain)
    except OSError as exc:  # promoted already: a missing kept copy only weakens rebuilds
        log.error("could not keep %s: %s", name, exc)
    return IngestOutcome(name, "accepted", message, manifest.domain, manifest.sequence,
                         not_kept=tally)


def _counted(batches: Iterator[list], manifest, progress: Callable[[int, int], None] | None
             ) -> Iterator[list]:
    """The batches as they are, reporting how many records went by (when asked)."""
    if progress is None:
        yield from batches
        return
    total, done = sum(manifest.counts.values()), 0
    for batch in batches:
        yield batch
        done += len(batch)
        progress(done, total)


def _check_manifest(settings: Settings, store: Store, name: str, manifest, now,
                    force: frozenset[str]) -> None:
    if manifest.station not in settings.accepted_stations:
        raise GateError(name, f"paquet destiné à la station « {manifest.station} », "
                        f"pas à « {settings.station_id} »", "station")
    skew = dt.timedelta(minutes=settings.clock_skew_minutes)
    if "future" not in force and manifest.extracted_at > now + skew:
        raise GateError(name, "date d'extraction dans le futur "
                        f"({manifest.extracted_at:%Y-%m-%d %H:%M} UTC, tolérance "
                        f"{settings.clock_skew_minutes} min) : horloge de la source "
                        "ou de la station à vérifier", "future")
    current = store.snapshot(manifest.domain)
    if current is not None and manifest.sequence <= current.sequence and (
            manifest.sequence == current.sequence or store.accepted_before(name)):
        # the very package already in service or accepted before (e.g. two sources on one
        # drop): nothing to force, the station already has it
        raise GateError(name, f"séquence {manifest.sequence} déjà reçue (rejeu, rien de "
                        "nouveau) : ignoré", "replay")
    if "sequence" not in force and current is not None and manifest.sequence <= current.sequence:
        raise GateError(name, f"séquence {manifest.sequence} déjà reçue ou plus ancienne que "
                        f"la séquence en service ({current.sequence}) : rejeu ou retour en "
                        "arrière refusé", "sequence")


def _sanity_gate(settings: Settings, store: Store, name: str, manifest, current):
    """Refuse a full package whose patient count collapses against the previous snapshot, or
    after which the station would keep far fewer patients than it keeps now (e.g. every stay
    sent as ended years ago: a broken source must not empty the station)."""
    if manifest.kind != "full" or current is None:
        return None
    before = current.counts.get("patient", 0)
    with store.connect() as db:
        kept_before = kept_patients(db) if manifest.domain == "dpi" else 0
    floor = 1 - settings.max_patient_drop

    def check(db, counts):
        after = counts.get("patient", 0)
        if before >= 10 and after < before * floor:
            raise GateError(name, f"le nombre de patients chute de {before} à {after} "
                            "(contrôle de cohérence) : paquet mis de côté, données actuelles "
                            "conservées", "sanity")
        kept = kept_patients(db)
        if kept_before >= 10 and kept < kept_before * floor:
            raise GateError(name, f"le paquet porte {after} patient(s) mais la station n'en "
                            f"conserverait que {kept} au lieu de {kept_before} (sortis depuis "
                            f"plus de {settings.discharged_retention_days} jours : contrôle de "
                            "cohérence) : paquet mis de côté, données actuelles conservées",
                            "sanity")
    return check


def _refuse(settings: Settings, store: Store, path: Path, source: str, message: str,
            manifest, code: str, quarantine: bool, keys=None) -> IngestOutcome:
    domain = manifest.domain if manifest else None
    sequence = manifest.sequence if manifest else None
    if not quarantine:
        _discard(path)
        return IngestOutcome(path.name, "refused", message, domain, sequence, code)
    log.error("quarantined: %s", message)
    meta = {"file": path.name, "source": source, "reason": message, "code": code,
            "domain": domain, "sequence": sequence}
    if keys is not None:  # which pinned keys judged it: a change of key re-examines it
        meta["publisher_keys"] = publisher_keys_fingerprint(keys)
    put(settings, path, meta)
    store.log_package(source, path.name, "quarantined", message, domain, sequence)
    return IngestOutcome(path.name, "quarantined", message, domain, sequence, code)


def package_limits(settings: Settings) -> Limits:
    """The reading limits of this station's settings (free disk kept while expanding)."""
    return Limits(max_expanded_bytes=settings.expanded_size_limit,
                  max_ratio=settings.max_expansion_ratio,
                  budget_seconds=float(settings.ingest_budget_seconds),
                  min_free_bytes=settings.min_free_mb * 1024 * 1024)


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    _sig(path).unlink(missing_ok=True)


def _sig(path: Path) -> Path:
    return path.with_name(path.name + ".minisig")
