"""Crash-safe file writes: temp file in the same directory, fsync, os.replace, fsync dir."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
