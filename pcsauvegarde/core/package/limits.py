"""What reading one package may cost, enforced while it streams (bombs, deep JSON, lies)."""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.package.errors import PackageError

GiB = 1024 ** 3


@dataclass(frozen=True)
class Limits:
    """Bounds on one package; each is checked as the plaintext streams, never at the end."""

    max_expanded_bytes: int = 8 * GiB
    """Decompressed plaintext larger than this is refused."""
    max_ratio: int = 200
    """Decompressed bytes per compressed byte (judged past ``ratio_floor``)."""
    ratio_floor: int = 16 * 1024 ** 2
    """Below this much plaintext the ratio is not judged (small packages compress well)."""
    budget_seconds: float = 600.0
    """Wall-clock time allowed to decrypt, decompress and check one package."""
    max_depth: int = 32
    """JSON nesting allowed in one line (canonical records need fewer than 5 levels)."""
    blank_lines: int = 1000
    """Blank lines tolerated beyond the manifest's records."""
    min_free_bytes: int = 0
    """Free disk to keep while expanding, counting what the database will need (0: off)."""


def ram_bytes() -> int:
    """Physical memory of this machine (4 GiB when it cannot be known)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 4 * GiB


class Guard:
    """Counts the plaintext as it is produced and refuses the package at the first excess."""

    CHECK_DISK_EVERY = 64 * 1024 ** 2

    def __init__(self, name: str, limits: Limits, compressed_size: int,
                 disk: Path | None = None, started: float | None = None):
        self.name, self.limits = name, limits
        self.compressed_size = max(1, compressed_size)
        self.disk = disk
        self.deadline = (started or time.monotonic()) + limits.budget_seconds
        self.expanded = 0
        self._next_disk_check = 0

    def produced(self, nbytes: int, line: int) -> None:
        """Account for ``nbytes`` more plaintext (``line``: where the reader stands)."""
        self.expanded += nbytes
        lim = self.limits
        if self.expanded > lim.max_expanded_bytes:
            raise PackageError(self.name, "expanded_size", "contenu décompressé trop gros "
                               f"(plus de {lim.max_expanded_bytes} octets) : bombe de "
                               "décompression probable", line)
        if (self.expanded > lim.ratio_floor
                and self.expanded > lim.max_ratio * self.compressed_size):
            raise PackageError(self.name, "ratio", "taux de décompression anormal (plus de "
                               f"{lim.max_ratio} fois la taille compressée) : bombe de "
                               "décompression probable", line)
        self.check_time(line)
        if self.disk is not None and lim.min_free_bytes and self.expanded >= self._next_disk_check:
            self._next_disk_check = self.expanded + self.CHECK_DISK_EVERY
            free = shutil.disk_usage(self.disk).free
            if free - self.expanded < lim.min_free_bytes:  # the database needs as much again
                raise PackageError(self.name, "disk", f"disque plein : {free // 2**20} Mo "
                                   f"libres, le paquet décompressé en demande "
                                   f"{self.expanded // 2**20} Mo de plus", line)

    def check_time(self, line: int | None = None) -> None:
        if time.monotonic() > self.deadline:
            raise PackageError(self.name, "time_budget", "lecture trop longue (plus de "
                               f"{self.limits.budget_seconds:.0f} s) : paquet refusé", line)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_OPEN, _CLOSE = frozenset("[{"), frozenset("]}")


def check_depth(name: str, text: str, max_depth: int, line: int) -> None:
    """Refuse JSON nested deeper than ``max_depth`` before any parser recurses into it."""
    if text.count("[") + text.count("{") <= max_depth:
        return  # cannot be deeper than its number of brackets: the common case, in C
    depth = 0
    for ch in _STRING.sub("", text):
        if ch in _OPEN:
            depth += 1
            if depth > max_depth:
                raise PackageError(name, "depth", f"JSON imbriqué trop profondément (plus de "
                                   f"{max_depth} niveaux)", line)
        elif ch in _CLOSE:
            depth -= 1
