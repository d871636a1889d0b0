"""Login attempts per minute, per client and for the whole station (sliding window, memory)."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

MAX_CLIENTS = 10_000  # beyond this many distinct clients in one window, all count as one


class RateLimit:
    """At most ``per_client`` attempts by one client and ``overall`` by all, per ``window``.

    The lockout protects one account; this protects them all from a spray of guesses
    (one password tried on every login) and keeps the hashing cost off the UI's threads.
    """

    def __init__(self, per_client: int, overall: int, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self.per_client, self.overall, self.window = per_client, overall, window
        self.clock = clock
        self._lock = threading.Lock()
        self._all: collections.deque[float] = collections.deque()
        self._by_client: dict[str, collections.deque[float]] = {}

    def allow(self, client: str) -> bool:
        """Count one attempt by ``client``; False (not counted) when a limit is reached."""
        now = self.clock()
        with self._lock:
            self._expire(now)
            if len(self._by_client) >= MAX_CLIENTS and client not in self._by_client:
                client = "*"
            mine = self._by_client.setdefault(client, collections.deque())
            if len(mine) >= self.per_client or len(self._all) >= self.overall:
                return False
            mine.append(now)
            self._all.append(now)
            return True

    def _expire(self, now: float) -> None:
        limit = now - self.window
        while self._all and self._all[0] <= limit:
            self._all.popleft()
        for key in [k for k, q in self._by_client.items() if not q or q[-1] <= limit]:
            del self._by_client[key]
        for q in self._by_client.values():
            while q and q[0] <= limit:
                q.popleft()
