"""Crash-safe file writes: temp file in the same directory, fsync, os.replace, fsync dir."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

_OS_REASONS = {errno.ENOENT: "fichier ou dossier absent",
               errno.EACCES: "accès refusé (droits insuffisants pour ce compte)",
               errno.EPERM: "opération non permise (droits insuffisants)",
               errno.ENOSPC: "disque plein", errno.EROFS: "disque en lecture seule",
               errno.EISDIR: "c'est un dossier, un fichier était attendu",
               errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
               errno.ELOOP: "lien symbolique refusé", errno.EIO: "erreur de lecture du disque",
               errno.ECONNREFUSED: "connexion refusée", errno.ETIMEDOUT: "délai dépassé",
               errno.EHOSTUNREACH: "machine injoignable", errno.ENETUNREACH: "réseau injoignable",
               errno.ECONNRESET: "connexion interrompue",
               errno.EADDRINUSE: "adresse déjà utilisée : un autre programme écoute sur ce port",
               errno.EADDRNOTAVAIL: "adresse absente de ce poste"}


def os_reason(exc: OSError) -> str:
    """The common OS errors in French (absent, permission, disk full…): never raw English."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    code = errno.errorcode.get(exc.errno or 0)
    return f"erreur système {code}" if code else f"erreur système ({exc.strerror or exc})"


class NotRegularFile(OSError):
    """A path that is a FIFO, device, directory or symlink where a plain file was expected."""


def open_regular(path: Path | str) -> BinaryIO:
    """Open a regular file for reading, never following a symlink nor blocking on a FIFO.

    ``O_NOFOLLOW | O_NONBLOCK`` then ``fstat`` on what was actually opened: a drop point
    MUST NOT be able to hang a reader (FIFO) or make it copy another file (link to a key).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegularFile(f"« {Path(path).name} » est un lien symbolique") from None
        raise
    kind = os.fstat(fd).st_mode
    if not stat.S_ISREG(kind):
        os.close(fd)
        raise NotRegularFile(f"« {Path(path).name} » n'est pas un fichier ordinaire "
                             f"({_KINDS.get(stat.S_IFMT(kind), 'type inconnu')})")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


_KINDS = {stat.S_IFIFO: "tube nommé", stat.S_IFDIR: "dossier", stat.S_IFCHR: "périphérique",
          stat.S_IFBLK: "périphérique", stat.S_IFSOCK: "socket"}


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (where the filesystem supports it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some filesystems cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (0700, whatever the umask)."""
    path = Path(path)
    if not path.parent.exists():
        private_dir(path.parent)  # missing parents too: mkdir(parents=True) follows the umask
    path.mkdir(exist_ok=True, mode=0o700)
    if path.stat().st_mode & 0o777 != 0o700:
        os.chmod(path, 0o700)
    return path


def make_private(root: Path) -> int:
    """Files under ``root`` to 0600 and directories to 0700 (an install made under a loose
    umask); returns how many were changed. Symlinks are left alone, never followed."""
    changed = 0
    for base, dirs, files in os.walk(root):
        for name, mode in [(d, 0o700) for d in dirs] + [(f, 0o600) for f in files]:
            path = os.path.join(base, name)
            st = os.lstat(path)
            if not os.path.islink(path) and st.st_mode & 0o777 & ~mode:
                os.chmod(path, st.st_mode & 0o777 & mode)
                changed += 1
    if os.stat(root).st_mode & 0o077:
        os.chmod(root, 0o700)
        changed += 1
    return changed


def atomic_write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write data to path so that a crash leaves either the old or the new file, whole."""
    path = Path(path)
    if mode & 0o077:
        path.parent.mkdir(parents=True, exist_ok=True)
    else:  # a private file goes in a private directory
        private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
