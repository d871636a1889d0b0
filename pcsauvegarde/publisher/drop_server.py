"""The HTTPS drop point (stdlib): packages read-only over GET, station heartbeats in over PUT.

GET serves the drop folder's files (``index.txt``, packages, signatures) without directory
listings. PUT accepts only ``heartbeat-<station>.json`` and its ``.minisig``, small, written
atomically into the drop folder where ``pcsauvegarde fleet`` reads them. The server checks
names and sizes only: whether a heartbeat's signature belongs to its station is ``fleet``'s
check, made on every reading.
"""

from __future__ import annotations

import functools
import http.server
import logging
import re
import ssl
import urllib.parse
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write

log = logging.getLogger(__name__)
MAX_HEARTBEAT_BYTES = 64 * 1024
DRAIN_BYTES = 1024 * 1024  # a refused body up to this size is read away before answering
# The station id rule (settings' station_id): nothing else may be written into the drop.
HEARTBEAT_NAME = re.compile(r"^heartbeat-[a-z0-9][a-z0-9-]{0,62}\.json(\.minisig)?$")


class DropHandler(http.server.SimpleHTTPRequestHandler):
    """Static GET over the drop folder; PUT for heartbeat files only."""

    server_version = "pcsauvegarde-depot"
    sys_version = ""
    timeout = 30  # seconds per socket operation: a client trickling bytes is cut off

    def list_directory(self, path):  # index.txt is the listing: no folder pages
        self.send_error(403, "Pas de liste de dossier")
        return None

    def do_PUT(self) -> None:
        name = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).rsplit("/", 1)[-1]
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.send_error(411, "Longueur requise")
            return
        if not HEARTBEAT_NAME.match(name):
            self._refuse(403, "Seuls les signaux de vie heartbeat-<station>.json sont reçus",
                         length)
            return
        if not 0 < length <= MAX_HEARTBEAT_BYTES:
            self._refuse(413, "Signal de vie trop gros", length)
            return
        data = self.rfile.read(length)
        if len(data) != length:
            self.send_error(400, "Signal de vie incomplet")
            return
        try:
            atomic_write(Path(self.directory) / name, data)
        except OSError as exc:
            log.error("heartbeat %s not stored: %s", name, exc)
            self.send_error(507, "Écriture impossible sur le dépôt")
            return
        self.send_response(204)
        self.end_headers()

    def _refuse(self, status: int, message: str, length: int) -> None:
        """Answer an error after reading a small body away: a client still sending would
        otherwise see the connection cut instead of the answer."""
        if 0 < length <= DRAIN_BYTES:
            self.rfile.read(length)
        else:
            self.close_connection = True
        self.send_error(status, message)

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)


def make_drop_server(drop: Path, cert: Path, key: Path, host: str = "127.0.0.1",
                     port: int = 8443) -> http.server.ThreadingHTTPServer:
    """A TLS (1.2 or later) drop server, bound but not yet serving (``serve_forever``)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(cert), str(key))
    handler = functools.partial(DropHandler, directory=str(drop))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    return server
