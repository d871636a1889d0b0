"""SFTP drop point (paramiko): pinned host key, key-based login, bounded timeouts."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import socket
import stat
from pathlib import Path

import paramiko

from pcsauvegarde.station.sync.transports import (
    PullError,
    RemoteFile,
    Transport,
    copy_stream,
    is_package_name,
    os_reason,
    part_path,
)

NETWORK_ERRORS = (paramiko.SSHException, EOFError, socket.error, OSError)


def fingerprint(key: paramiko.PKey) -> str:
    """OpenSSH-style fingerprint: ``SHA256:`` + unpadded base64 of the key blob's digest."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


def parse_host_key(text: str) -> paramiko.PKey:
    """A known_hosts line (``[host]:port type base64 [comment]``) or ``type base64``."""
    tokens = text.split()
    for i, token in enumerate(tokens[:-1]):
        if token.startswith(("ssh-", "ecdsa-", "sk-")):
            return paramiko.PKey.from_type_string(token, base64.b64decode(tokens[i + 1]))
    raise ValueError("clé d'hôte illisible")


class _PinnedFingerprint(paramiko.MissingHostKeyPolicy):
    """Accept the server only when its key has the pinned SHA-256 fingerprint."""

    def __init__(self, expected: str):
        self.expected = expected

    def missing_host_key(self, client, hostname, key) -> None:
        if fingerprint(key) != self.expected:
            raise paramiko.BadHostKeyException(hostname, key, key)


class SftpTransport(Transport):
    """Lists and fetches from ``remote_path``; puts heartbeats there (temp name + rename)."""

    can_put = True

    def __init__(self, settings, source):
        super().__init__(settings, source)
        self._client: paramiko.SSHClient | None = None
        self._sftp: paramiko.SFTPClient | None = None

    def _where(self) -> str:
        return f"{self.source.host}:{self.source.port}"

    @property
    def sftp(self) -> paramiko.SFTPClient:
        if self._sftp is None:
            self._connect()
        return self._sftp  # type: ignore[return-value]

    def _connect(self) -> None:
        s = self.source
        client = paramiko.SSHClient()
        pin = s.host_key.strip()
        if pin.startswith("SHA256:"):
            client.set_missing_host_key_policy(_PinnedFingerprint(pin))
        else:
            try:
                key = parse_host_key(pin)
            except (ValueError, paramiko.SSHException):
                raise self.error("host_key illisible (ligne known_hosts ou empreinte "
                                 "SHA256:… attendue)") from None
            name = s.host if s.port == 22 else f"[{s.host}]:{s.port}"
            client.get_host_keys().add(name, key.get_name(), key)
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
        key_path = self.settings.path(s.key_file)
        try:
            pkey = paramiko.PKey.from_path(key_path)
        except (OSError, paramiko.SSHException, ValueError) as exc:
            raise self.error(f"clé privée « {key_path} » illisible ({exc})") from None
        try:
            client.connect(s.host, s.port, username=s.user, pkey=pkey, timeout=s.timeout_seconds,
                           banner_timeout=s.timeout_seconds, auth_timeout=s.timeout_seconds,
                           channel_timeout=s.timeout_seconds, allow_agent=False,
                           look_for_keys=False)
        except paramiko.BadHostKeyException as exc:
            client.close()
            raise self.error(f"clé d'hôte de {self._where()} inattendue ({fingerprint(exc.key)}) : "
                             "connexion refusée (serveur usurpé ou clé changée — vérifier "
                             "avec l'équipe réseau avant de modifier host_key)") from None
        except paramiko.AuthenticationException:
            client.close()
            raise self.error(f"authentification refusée par {self._where()} "
                             f"(utilisateur « {s.user} », clé « {key_path.name} »)") from None
        except paramiko.SSHException as exc:
            client.close()
            if "not found in known_hosts" in str(exc):
                raise self.error(f"clé d'hôte de {self._where()} inconnue ou d'un autre type : "
                                 "connexion refusée") from None
            raise self.error(f"connexion SFTP à {self._where()} impossible ({exc})") from None
        except (EOFError, OSError) as exc:
            client.close()
            raise self.error(f"connexion SFTP à {self._where()} impossible "
                             f"({os_reason(exc) if isinstance(exc, OSError) else exc})") from None
        self._client = client
        self._sftp = client.open_sftp()
        channel = self._sftp.get_channel()
        if channel is None:
            client.close()
            raise self.error(f"connexion SFTP à {self._where()} sans canal ouvert")
        channel.settimeout(s.timeout_seconds)

    def _path(self, name: str) -> str:
        return f"{self.source.remote_path.rstrip('/')}/{name}"

    def list(self) -> list[RemoteFile]:
        try:
            entries = self.sftp.listdir_attr(self.source.remote_path)
        except PullError:
            raise
        except NETWORK_ERRORS as exc:
            raise self.error(f"liste de « {self.source.remote_path} » impossible ({exc})") from None
        return sorted((RemoteFile(e.filename, e.st_size) for e in entries
                       if is_package_name(e.filename) and stat.S_ISREG(e.st_mode or 0)),
                      key=lambda f: f.name)

    def fetch(self, name: str, dest: Path) -> Path | None:
        part = part_path(dest, name)
        try:
            before = self.sftp.lstat(self._path(name))
            if (before.st_size or 0) > self.settings.package_size_limit \
                    or not stat.S_ISREG(before.st_mode or 0):
                return None  # too big (logged by the pull) or not a plain file: never read
            with self.sftp.open(self._path(name), "rb") as fh:
                fh.prefetch(before.st_size)
                size = copy_stream(fh.read, part, self.settings.package_size_limit,
                                   self.deadline())
            after = self.sftp.stat(self._path(name))
            if (before.st_size, before.st_mtime) != (after.st_size, after.st_mtime) \
                    or size != after.st_size:
                part.unlink(missing_ok=True)
                return None  # still being written: next run
            sig = name + ".minisig"
            try:
                if stat.S_ISREG(self.sftp.lstat(self._path(sig)).st_mode or 0):
                    with self.sftp.open(self._path(sig), "rb") as fh:
                        copy_stream(fh.read, dest / sig, 64 * 1024, self.deadline())
            except FileNotFoundError:
                pass  # the signature gate will say so
            os.replace(part, dest / name)
            return dest / name
        except FileNotFoundError:
            part.unlink(missing_ok=True)
            return None
        except PullError:
            raise
        except NETWORK_ERRORS as exc:
            part.unlink(missing_ok=True)
            reason = os_reason(exc) if isinstance(exc, OSError) and exc.errno else str(exc)
            raise self.error(f"téléchargement de « {name} » interrompu "
                             f"({reason or type(exc).__name__})") from None

    def put(self, name: str, data: bytes) -> None:
        tmp = self._path(f".{name}.tmp")
        try:
            self.sftp.putfo(io.BytesIO(data), tmp)
            self.sftp.posix_rename(tmp, self._path(name))
        except PullError:
            raise
        except NETWORK_ERRORS as exc:
            raise self.error(f"dépôt de « {name} » impossible ({exc})") from None

    def close(self) -> None:
        for thing in (self._sftp, self._client):
            if thing is not None:
                try:
                    thing.close()
                except NETWORK_ERRORS:
                    pass  # a dead connection: the run error already says why
        self._sftp = self._client = None
