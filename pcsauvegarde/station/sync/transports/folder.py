"""A local or mounted drop directory (SMB/NFS mount, USB, or the demo's folder)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from pcsauvegarde.core.fsutil import NotRegularFile, atomic_write, open_regular
from pcsauvegarde.station.sync.transports import (
    PullError,
    RemoteFile,
    Transport,
    copy_stream,
    is_package_name,
    os_reason,
    part_path,
)

log = logging.getLogger("pcsauvegarde.station.sync")


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
            raise self.error(f"dossier « {self.root} » illisible ({os_reason(exc)})") from None
        return sorted((RemoteFile(e.name, e.stat().st_size) for e in entries
                       if is_package_name(e.name) and e.is_file(follow_symlinks=False)),
                      key=lambda f: f.name)

    def fetch(self, name: str, dest: Path) -> Path | None:
        """Copy name and its signature into dest; None when the file is still being written."""
        src = self.root / name
        limit = self.settings.package_size_limit
        part = part_path(dest, name)
        try:
            # O_NOFOLLOW | O_NONBLOCK, regular files only: a FIFO must not hang the pull, a
            # link must not make the station copy one of its own files (its key) around.
            with open_regular(src) as fh:
                before = os.fstat(fh.fileno())
                size = copy_stream(fh, part, limit, self.deadline())
                after = os.fstat(fh.fileno())
            if ((before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns)
                    or size != after.st_size):
                part.unlink(missing_ok=True)
                return None  # growing file: try again at the next run
            sig = src.with_name(name + ".minisig")
            try:
                with open_regular(sig) as fh:
                    copy_stream(fh, dest / sig.name, 64 * 1024, self.deadline())
            except FileNotFoundError:
                pass  # the signature gate will say so
            except NotRegularFile as exc:
                log.warning("%s not copied: %s", sig.name, exc)  # refused as unsigned
            target = dest / name
            os.replace(part, target)
            return target
        except NotRegularFile as exc:
            part.unlink(missing_ok=True)
            log.warning("%s skipped: %s", name, exc)
            return None
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
