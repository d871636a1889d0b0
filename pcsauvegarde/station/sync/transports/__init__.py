"""Pull-only transports: list a drop point, fetch a package whole, optionally put a heartbeat.

Every transport MUST: list only names (never follow links out of the drop point), fetch into a
temporary ``.NAME.part`` then rename, skip a file that changes while being read (return None:
it is fetched again next run), and raise :class:`PullError` with a French message naming the
source for anything the network or the server does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Self

from pcsauvegarde.station.settings import Settings, Source

CHUNK = 1024 * 1024


class PullError(Exception):
    """A source that cannot be read (French message naming the source)."""


@dataclass(frozen=True)
class RemoteFile:
    """A file offered by a drop point; size when the listing gives it."""

    name: str
    size: int | None = None


def is_package_name(name: str) -> bool:
    """Names a station considers: ``*.age``, never hidden or path-like."""
    return name.endswith(".age") and not name.startswith(".") and "/" not in name


class Transport:
    """Base class: a context manager; subclasses implement list, fetch and maybe put."""

    can_put = False

    def __init__(self, settings: Settings, source: Source):
        self.settings = settings
        self.source = source

    def deadline(self) -> float:
        """When a fetch started now must be over (a server trickling bytes is cut off)."""
        return time.monotonic() + self.settings.ingest_budget_seconds

    def error(self, what: str) -> PullError:
        return PullError(f"source « {self.source.id} » : {what}")

    def list(self) -> list[RemoteFile]:
        raise NotImplementedError

    def fetch(self, name: str, dest: Path) -> Path | None:
        raise NotImplementedError

    def put(self, name: str, data: bytes) -> None:
        raise self.error("dépôt en écriture non pris en charge par ce transport")

    def close(self) -> None:
        """Release connections (nothing by default)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def os_reason(exc: OSError) -> str:
    """A short French reason for an OS error (disk full is the one that matters)."""
    from pcsauvegarde.core.fsutil import os_reason as french

    return french(exc)


def part_path(dest: Path, name: str) -> Path:
    return dest / f".{name}.part"


def copy_stream(read: Callable[[int], bytes] | BinaryIO, target: Path, max_bytes: int,
                deadline: float | None = None) -> int:
    """Copy a stream into target (fsynced), at most max_bytes + 1 bytes; return the size.

    Each read has the transport's own timeout; ``deadline`` (monotonic) bounds the whole copy.
    """
    reader = read.read if hasattr(read, "read") else read
    size = 0
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            while chunk := reader(CHUNK):
                size += len(chunk)
                out.write(chunk)
                if size > max_bytes:
                    break
                if deadline is not None and time.monotonic() > deadline:
                    raise PullError(f"copie de « {target.name.strip('.')} » trop lente : "
                                    "abandonnée, nouvel essai au prochain tirage")
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return size


def clean_incoming(dest: Path) -> None:
    """Remove leftovers of an interrupted run (partial and unprocessed downloads)."""
    for p in dest.iterdir():
        if p.is_file():
            p.unlink(missing_ok=True)


def make_transport(settings: Settings, source: Source) -> Transport:
    from pcsauvegarde.station.sync.transports.folder import FolderTransport
    from pcsauvegarde.station.sync.transports.https import HttpsTransport
    from pcsauvegarde.station.sync.transports.sftp import SftpTransport

    kinds = {"folder": FolderTransport, "sftp": SftpTransport, "https": HttpsTransport}
    return kinds[source.kind](settings, source)
