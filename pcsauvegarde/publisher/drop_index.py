"""``index.txt`` of a drop point: what an HTTPS drop serves so stations can list it.

Rewritten atomically after every run, listing each package whose signature is in place (the
signature is written first, so a listed package is whole): ``<name> <size>``, one per line,
sorted. Format: docs/transports.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write

INDEX_NAME = "index.txt"


def write_index(drop_dir: Path, now: dt.datetime | None = None) -> Path:
    """Write ``drop_dir/index.txt`` (temp file, fsync, rename); return its path."""
    drop_dir = Path(drop_dir)
    now = now or dt.datetime.now(dt.UTC)
    lines = [f"# pcsauvegarde drop index, written {now.strftime('%Y-%m-%dT%H:%M:%SZ')}"]
    for path in sorted(drop_dir.glob("*.age")):
        if path.name.startswith(".") or not path.with_name(path.name + ".minisig").exists():
            continue
        try:
            lines.append(f"{path.name} {path.stat().st_size}")
        except FileNotFoundError:
            continue  # removed meanwhile (retention): not listed
    target = drop_dir / INDEX_NAME
    atomic_write(target, ("\n".join(lines) + "\n").encode("utf-8"))
    return target
