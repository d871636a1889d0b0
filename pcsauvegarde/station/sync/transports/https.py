"""HTTPS drop point (stdlib): certificate pinned by SHA-256, or verified against a CA file.

The drop point serves ``<url>/index.txt`` (one file name per line, optionally followed by a
space and its size in bytes; ``#`` comments) and each listed file at ``<url>/<name>``.
See docs/transports.md.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import ssl
import urllib.parse
from pathlib import Path

from pcsauvegarde.station.sync.transports import (
    PullError,
    RemoteFile,
    Transport,
    copy_stream,
    is_package_name,
    os_reason,
    part_path,
)

MAX_INDEX = 4 * 1024 * 1024


def cert_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


class HttpsTransport(Transport):
    """GET, and PUT for heartbeats; one pinned TLS connection per request (no redirects)."""

    can_put = True

    def __init__(self, settings, source):
        super().__init__(settings, source)
        url = urllib.parse.urlsplit(source.url)
        self.host, self.port = url.hostname or "", url.port or 443
        self.base = url.path.rstrip("/")
        self.pins = source.pins

    def _context(self) -> ssl.SSLContext:
        if self.pins:
            # The pin replaces the CA chain: the certificate's digest is checked right after
            # the handshake, before any request is sent.
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        else:
            ctx = ssl.create_default_context(cafile=str(self.settings.path(self.source.ca_file)))
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return ctx

    def _get(self, name: str) -> tuple[http.client.HTTPSConnection, http.client.HTTPResponse]:
        return self._request("GET", name)

    def _request(self, method: str, name: str, body: bytes | None = None
                 ) -> tuple[http.client.HTTPSConnection, http.client.HTTPResponse]:
        where = f"{self.host}:{self.port}"
        conn = http.client.HTTPSConnection(self.host, self.port,
                                           timeout=self.source.timeout_seconds,
                                           context=self._context())
        try:
            conn.connect()
            if self.pins:
                der = conn.sock.getpeercert(binary_form=True)
                if der is None:  # no certificate: nothing to compare with the pin
                    raise self.error(f"{where} n'a présenté aucun certificat : connexion refusée")
                got = cert_fingerprint(der)
                if got not in self.pins:
                    raise self.error(f"certificat de {where} inattendu (SHA-256 {got[:16]}…) : "
                                     "connexion refusée (serveur usurpé ou certificat changé — "
                                     "vérifier avant de modifier pin_sha256)")
            conn.request(method, f"{self.base}/{urllib.parse.quote(name)}", body=body,
                         headers={"User-Agent": "pcsauvegarde"})
            resp = conn.getresponse()
        except PullError:
            conn.close()
            raise
        except ssl.SSLCertVerificationError as exc:
            conn.close()
            raise self.error(f"certificat de {where} refusé ({exc.verify_message})") from None
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise self.error(f"connexion HTTPS à {where} impossible ({_reason(exc)})") from None
        return conn, resp

    def list(self) -> list[RemoteFile]:
        conn, resp = self._get("index.txt")
        try:
            if resp.status != 200:
                raise self.error(f"index « index.txt » indisponible (HTTP {resp.status})")
            text = resp.read(MAX_INDEX + 1)
        except (OSError, http.client.HTTPException) as exc:
            raise self.error(f"lecture de l'index interrompue ({_reason(exc)})") from None
        finally:
            conn.close()
        if len(text) > MAX_INDEX:
            raise self.error("index « index.txt » trop gros")
        files = []
        for line in text.decode("utf-8", "replace").splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#") or not is_package_name(parts[0]):
                continue
            size = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            files.append(RemoteFile(parts[0], size))
        return sorted(files, key=lambda f: f.name)

    def put(self, name: str, data: bytes) -> None:
        """PUT a heartbeat file to the drop point (docs/depot-https.md: the server stores it
        where ``fleet`` reads it); any answer but 2xx is an error naming the status."""
        conn, resp = self._request("PUT", name, data)
        try:
            resp.read(64 * 1024)
        except (OSError, http.client.HTTPException) as exc:
            raise self.error(f"envoi de « {name} » interrompu ({_reason(exc)})") from None
        finally:
            conn.close()
        if not 200 <= resp.status < 300:
            raise self.error(f"« {name} » refusé par le dépôt HTTPS (HTTP {resp.status}) : le "
                             "serveur doit accepter PUT pour les signaux de vie "
                             "(docs/depot-https.md)")

    def fetch(self, name: str, dest: Path) -> Path | None:
        part = part_path(dest, name)
        size = self._download(name, part, self.settings.package_size_limit)
        if size is None:
            return None
        sig = name + ".minisig"
        self._download(sig, dest / sig, 64 * 1024)
        os.replace(part, dest / name)
        return dest / name

    def _download(self, name: str, target: Path, limit: int) -> int | None:
        """Download name whole into target; None when missing or not whole (retry next run)."""
        conn, resp = self._get(name)
        try:
            if resp.status == 404:
                return None
            if resp.status != 200:
                raise self.error(f"« {name} » indisponible (HTTP {resp.status})")
            declared = resp.getheader("Content-Length")
            size = copy_stream(resp, target, limit, self.deadline())
        except (OSError, http.client.HTTPException) as exc:
            target.unlink(missing_ok=True)
            raise self.error(f"téléchargement de « {name} » interrompu ({_reason(exc)})") from None
        finally:
            conn.close()
        if size > limit or (declared is not None and int(declared) != size):
            target.unlink(missing_ok=True)
            return None
        return size


def _reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "délai dépassé"
    if isinstance(exc, OSError) and exc.errno:
        return os_reason(exc)
    return str(exc) or type(exc).__name__
