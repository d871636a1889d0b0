"""Signed heads of the audit chain, kept outside the database (append-only file, heartbeat).

The hash chain inside station.sqlite proves order, not completeness: whoever can write the
database can cut its tail or rewrite it and recompute every hash. So after each entry the
station signs (seq, hash) with its heartbeat key and appends that head to a file, and every
heartbeat carries the latest one to the fleet side. ``audit verify`` then checks the database
against every signed head.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature

from pcsauvegarde.core.package import minisign

HEADS_FILE = "audit-heads.log"
_TAIL = 8192  # bytes read from the end of the file to find the latest head


@dataclass(frozen=True)
class Head:
    """A signed audit head: entry ``seq`` had hash ``hash`` at ``at``."""

    seq: int
    hash: str
    at: str
    sig: str

    def to_dict(self) -> dict:
        return {"seq": self.seq, "hash": self.hash, "at": self.at, "sig": self.sig}


def _message(station: str, seq: int, digest: str, at: str) -> bytes:
    return f"pcsauvegarde-audit-head/1\n{station}\n{seq}\n{digest}\n{at}".encode()


def verify_head(data: dict, station: str, key: minisign.PublicKey) -> Head:
    """A head read back (file, heartbeat) if its signature holds; ValueError otherwise."""
    try:
        head = Head(int(data["seq"]), str(data["hash"]), str(data["at"]), str(data["sig"]))
        key._ed25519().verify(base64.b64decode(head.sig),
                              _message(station, head.seq, head.hash, head.at))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        raise ValueError("en-tête signé invalide") from None
    return head


class AuditAnchor:
    """Signs heads with the station's key and appends them to the heads file."""

    def __init__(self, path: Path, station: str,
                 secret: Callable[[], minisign.SecretKey]):
        self.path = Path(path)
        self.station = station
        self._secret = secret
        self._key: minisign.SecretKey | None = None

    @property
    def public_key(self) -> minisign.PublicKey:
        return self.secret().public_key

    def secret(self) -> minisign.SecretKey:
        if self._key is None:
            self._key = self._secret()
        return self._key

    def append(self, seq: int, digest: str, at: str, durable: bool = True) -> Head:
        """Sign and append one head (O_APPEND: concurrent writers never interleave a line)."""
        sig = self.secret()._ed25519().sign(_message(self.station, seq, digest, at))
        head = Head(seq, digest, at, base64.b64encode(sig).decode())
        line = json.dumps(head.to_dict(), separators=(",", ":")).encode() + b"\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, line)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        return head

    def exists(self) -> bool:
        return self.path.is_file() and self.path.stat().st_size > 0

    def read(self) -> tuple[list[Head], list[int]]:
        """Every head whose signature holds, and the line numbers of those that do not."""
        heads: list[Head] = []
        bad: list[int] = []
        if not self.path.is_file():
            return heads, bad
        key = self.public_key
        with open(self.path, "rb") as f:
            for number, raw in enumerate(f, start=1):
                try:
                    heads.append(verify_head(json.loads(raw), self.station, key))
                except ValueError:
                    bad.append(number)
        return heads, bad

    def latest(self) -> Head | None:
        """The head of highest sequence among the last lines (for heartbeats)."""
        if not self.path.is_file():
            return None
        size = self.path.stat().st_size
        with open(self.path, "rb") as f:
            f.seek(max(0, size - _TAIL))
            lines = f.read().splitlines()
        if size > _TAIL:
            lines = lines[1:]  # cut in the middle
        heads = []
        for raw in lines:
            try:
                heads.append(verify_head(json.loads(raw), self.station, self.public_key))
            except ValueError:
                continue
        return max(heads, key=lambda h: h.seq, default=None)
