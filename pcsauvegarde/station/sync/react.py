"""React to new packages in a folder source: poll its listing, back off while it is quiet.

Polling rather than inotify: drop folders are often SMB/NFS mounts, where inotify sees
nothing of what another machine writes. A look is one ``scandir`` of package names and sizes
(nothing opened); when it changed, the source's pull job is asked to run now.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from pcsauvegarde.station.sync.transports import is_package_name

FASTEST = 1.0   # seconds between looks right after a change
SLOWEST = 8.0   # ... doubling up to this while nothing lands


class FolderReactor:
    """Called every second by the scheduler; looks at the folder when its back-off allows."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = Path(folder)
        self.clock = clock
        self.seen: frozenset[tuple[str, int]] | None = None
        self.delay = FASTEST
        self.next_look = 0.0
        self.trigger: Callable[[], None] | None = None   # wired to "run the pull job now"
        self.looks = 0

    def listing(self) -> frozenset[tuple[str, int]]:
        try:
            with os.scandir(self.folder) as entries:
                return frozenset((e.name, e.stat().st_size) for e in entries
                                 if is_package_name(e.name))
        except OSError:
            return frozenset()  # unreachable share: the pull job reports it, not this

    def __call__(self) -> bool:
        """Look if due; return True when new packages were seen (and the pull triggered)."""
        now = self.clock()
        if now < self.next_look:
            return False
        self.looks += 1
        current = self.listing()
        changed = self.seen is not None and bool(current - self.seen)
        self.seen = current
        self.delay = FASTEST if changed else min(self.delay * 2, SLOWEST)
        self.next_look = now + self.delay
        if changed and self.trigger is not None:
            self.trigger()
        return changed
