"""Kept packages: the last N per domain, and always the chain backing the current snapshot."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pcsauvegarde.core.fsutil import fsync_dir, private_dir
from pcsauvegarde.core.package import PackageError, parse_file_name
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.store import Store

log = logging.getLogger("pcsauvegarde.station.sync")


def keep_package(settings: Settings, store: Store, path: Path, domain: str) -> None:
    """Move an accepted package (and signature) under packages/<domain>/, then prune."""
    target_dir = settings.packages_dir / domain
    private_dir(target_dir)
    sig = path.with_name(path.name + ".minisig")
    for src in (sig, path):
        if src.exists():
            os.replace(src, target_dir / src.name)
    fsync_dir(target_dir)
    prune(settings, store, domain)


def _parsed(p: Path):
    try:
        return parse_file_name(p.name)
    except PackageError:
        return None


def protected(kept: list[tuple[int, str, Path]], current: str | None) -> set[Path]:
    """The current snapshot's package, and the full + deltas it was built from."""
    by_name = {p.name: (seq, kind, p) for seq, kind, p in kept}
    if current not in by_name:
        return set()
    cur_seq, _, cur_path = by_name[current]
    fulls = [seq for seq, kind, _ in kept if kind == "full" and seq <= cur_seq]
    base = max(fulls) if fulls else cur_seq
    chain = {p for seq, kind, p in kept if base <= seq <= cur_seq and
             (kind == "delta" or seq == base)}
    return chain | {cur_path}


def prune(settings: Settings, store: Store, domain: str) -> list[str]:
    """Drop the oldest kept packages past ``keep_packages``; never the current snapshot's."""
    target_dir = settings.packages_dir / domain
    kept = []
    for p in target_dir.glob("*.age"):
        info = _parsed(p)
        kept.append((info["sequence"] if info else -1, info["kind"] if info else "full", p))
    kept.sort(key=lambda t: (t[0], t[2].name))
    snap = store.snapshot(domain)
    keep = protected(kept, snap.package if snap else None)
    keep |= {p for _, _, p in kept[-max(1, settings.keep_packages):]}
    dropped = []
    for _, _, p in kept:
        if p not in keep:
            p.unlink(missing_ok=True)
            p.with_name(p.name + ".minisig").unlink(missing_ok=True)
            dropped.append(p.name)
    if dropped:
        log.info("retention %s: dropped %s", domain, ", ".join(dropped))
    return dropped
