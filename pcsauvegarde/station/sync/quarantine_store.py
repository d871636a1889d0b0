"""Putting packages in quarantine, and keeping the quarantine within its caps."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write, private_dir
from pcsauvegarde.station.settings import Settings

log = logging.getLogger("pcsauvegarde.station.sync")
REASON = ".reason.json"
# Refused before the publisher's signature was verified: anyone with write access to the
# drop point can make these, so they never get to keep their bytes on the station.
UNSIGNED = frozenset({"missing", "size", "empty", "name", "signature", "file_type"})


def put(settings: Settings, path: Path, meta: dict) -> Path:
    """Move ``path`` (and its signature) into quarantine with ``meta`` as its reason file.

    Unsigned junk keeps its metadata only (size, SHA-256): a drop point that can write
    junk must not be able to fill the station's disk. Then the caps are enforced.
    """
    qdir = private_dir(settings.quarantine_dir)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    target = qdir / f"{stamp}-{path.name}"
    sig = path.with_name(path.name + ".minisig")
    unsigned = meta.get("code") in UNSIGNED
    meta = {**meta, "at": stamp, "unsigned": unsigned}
    if unsigned:
        meta.update(_fingerprint(path), kept=False)
        for src in (path, sig):
            src.unlink(missing_ok=True)
    else:
        for src in (path, sig):
            if src.exists() and not src.is_symlink():
                dest = target.parent / (target.name + src.name[len(path.name):])
                shutil.move(src, dest)
                os.chmod(dest, 0o600)
        meta["kept"] = target.exists()
    atomic_write(target.with_name(target.name + REASON),
                 json.dumps(meta, ensure_ascii=False, indent=1).encode(), mode=0o600)
    enforce_caps(settings)
    return target


def _fingerprint(path: Path) -> dict:
    """Size and SHA-256 of a file about to be dropped (what the admin may compare)."""
    try:
        h, size = hashlib.sha256(), 0
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
        return {"bytes": size, "sha256": h.hexdigest()}
    except OSError:
        return {"bytes": None, "sha256": None}


@dataclass
class _Item:
    reason: Path
    files: list[Path]
    unsigned: bool

    @property
    def bytes(self) -> int:
        return sum(f.stat().st_size for f in self.files if f.exists())


def _items(settings: Settings) -> list[_Item]:
    """Every entry, oldest first (names start with their UTC timestamp)."""
    out = []
    for reason in sorted(settings.quarantine_dir.glob("*" + REASON)):
        base = reason.name[:-len(REASON)]
        try:
            unsigned = bool(json.loads(reason.read_text(encoding="utf-8")).get("unsigned"))
        except (OSError, ValueError):
            unsigned = True
        files = [p for p in (reason.with_name(base), reason.with_name(base + ".minisig"))
                 if p.exists()]
        out.append(_Item(reason, files, unsigned))
    return out


def enforce_caps(settings: Settings) -> int:
    """Drop the oldest files (unsigned first) past the size cap, then the oldest entries past
    the count cap; the admin is told in the audit. Returns how many entries lost something."""
    if not settings.quarantine_dir.is_dir():
        return 0
    items = _items(settings)
    order = [i for i in items if i.unsigned] + [i for i in items if not i.unsigned]
    max_bytes = settings.quarantine_max_mb * 1024 * 1024
    total = sum(i.bytes + i.reason.stat().st_size for i in items)
    purged: list[str] = []
    for item in order:  # size: files go, reasons stay (the admin still sees what came)
        if total <= max_bytes:
            break
        if item.files:
            total -= item.bytes
            for f in item.files:
                f.unlink(missing_ok=True)
            _mark(item.reason)
            purged.append(item.reason.name[:-len(REASON)])
    excess = len(items) - settings.quarantine_max_files
    for item in order[:max(0, excess)]:  # count: whole entries go
        for f in (*item.files, item.reason):
            f.unlink(missing_ok=True)
        purged.append(item.reason.name[:-len(REASON)])
    if purged:
        log.error("quarantine over its caps: %d entries purged", len(purged))
        from pcsauvegarde.station.sync.actions import record_action
        record_action(settings, "système", "quarantine-purge", count=len(set(purged)),
                      entries=sorted(set(purged))[:20], max_mb=settings.quarantine_max_mb,
                      max_files=settings.quarantine_max_files)
    return len(set(purged))


def _mark(reason: Path) -> None:
    try:
        meta = json.loads(reason.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    meta.update(kept=False, purged=True)
    atomic_write(reason, json.dumps(meta, ensure_ascii=False, indent=1).encode(), mode=0o600)
