"""A local or mounted drop directory (SMB/NFS mount, USB, or the demo's folder)."""

from __future__ import annotations

import os
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.station.sync.transports import (
    PullError,
    RemoteFile,
    Transport,
    copy_stream,
    is_package_name,
    os_reason,
    part_path,
)


class FolderTransport(Transport):
    """Reads packages from a directory; writes only heartbeats there."""

    can_put = True

    @property
    def root(self) -> Path:
        return Path(self.source.path)

    def list(self) -> list[RemoteFile]:
        if not self.root.is_dir():
            raise self.error(f"dossier « {self.root} » introuvable")
        try:
            entries = list(os.scandir(self.root))
        except OSError as exc:
            raise self.error(f"dossier « {self.root} » illisible ({exc.strerror})") from None
        return sorted((RemoteFile(e.name, e.stat().st_size) for e in entries
                       if is_package_name(e.name) and e.is_file(follow_symlinks=False)),
                      key=lambda f: f.name)

    def fetch(self, name: str, dest: Path) -> Path | None:
        """Copy name and its signature into dest; None when the file is still being written."""
        src = self.root / name
        limit = self.settings.max_package_bytes
        part = part_path(dest, name)
        try:
            before = src.stat()
            with open(src, "rb") as fh:
                size = copy_stream(fh, part, limit)
            after = src.stat()
            if ((before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns)
                    or size != after.st_size):
                part.unlink(missing_ok=True)
                return None  # growing file: try again at the next run
            sig = src.with_name(name + ".minisig")
            if sig.exists():
                with open(sig, "rb") as fh:
                    copy_stream(fh, dest / sig.name, 64 * 1024)
            target = dest / name
            os.replace(part, target)
            return target
        except FileNotFoundError:
            part.unlink(missing_ok=True)
            return None  # removed by the publisher meanwhile
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise PullError(f"source « {self.source.id} » : copie de « {name} » impossible "
                            f"({os_reason(exc)})") from None

    def put(self, name: str, data: bytes) -> None:
        try:
            atomic_write(self.root / name, data)
        except OSError as exc:
            raise self.error(f"écriture de « {name} » impossible ({os_reason(exc)})") from None
