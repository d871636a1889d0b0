"""The HTTPS drop point (stdlib): packages read-only over GET, station heartbeats in over PUT.

GET serves the drop folder's files (``index.txt``, packages, signatures) without directory
listings. PUT accepts only ``heartbeat-<station>.json`` then its ``.minisig``, small. The JSON
is held in memory (per client address) until its signature arrives; the pair is stored in the
drop folder, where ``pcsauvegarde fleet`` reads it, only when signed by the key pinned for
that station (the fleet's pins: publisher.toml ``heartbeat_key`` or ``<station>.pub`` files),
naming that station inside, and not older than the one already stored. Anyone on the network
can reach this server: without these checks anyone could overwrite a station's heartbeat.
"""

from __future__ import annotations

import functools
import http.server
import logging
import re
import ssl
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.core.package import PackageError
from pcsauvegarde.core.records import RecordError, parse_utc
from pcsauvegarde.publisher.config import PublisherConfigError
from pcsauvegarde.publisher.fleet import verified_heartbeat
from pcsauvegarde.publisher.fleet_pins import FleetConfigError, FleetPins

log = logging.getLogger(__name__)
MAX_HEARTBEAT_BYTES = 64 * 1024
DRAIN_BYTES = 1024 * 1024  # a refused body up to this size is read away before answering
MAX_PENDING = 256  # heartbeats waiting for their signature (64 KiB each at most)
# The station id rule (settings' station_id): nothing else may be written into the drop.
HEARTBEAT_NAME = re.compile(r"^heartbeat-([a-z0-9][a-z0-9-]{0,62})\.json(\.minisig)?$")


class HeartbeatStore:
    """Heartbeats received but not yet signed, and the check that lets a pair into the drop."""

    def __init__(self, drop: Path, pins: Callable[[], FleetPins]) -> None:
        self.drop = drop
        self.pins = pins  # read again for each heartbeat: a newly pinned station needs no restart
        self.pending: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self.lock = threading.Lock()

    def hold(self, client: str, station: str, data: bytes) -> None:
        with self.lock:
            self.pending.pop((client, station), None)
            self.pending[(client, station)] = data
            while len(self.pending) > MAX_PENDING:
                self.pending.popitem(last=False)

    def store(self, client: str, station: str, sig: bytes) -> tuple[int, str]:
        """Verify the held heartbeat with its signature and store both: (HTTP status, why)."""
        with self.lock:
            data = self.pending.pop((client, station), None)
        name = f"heartbeat-{station}.json"
        if data is None:
            return 409, f"« {name} » non reçu de cette adresse avant sa signature"
        try:
            pins = self.pins()
        except (FleetConfigError, PublisherConfigError, OSError) as exc:
            log.error("clés des stations illisibles, signal de vie de « %s » refusé : %s",
                      station, exc)
            return 503, "Clés des stations illisibles sur le dépôt"
        try:
            status = verified_heartbeat(data, sig.decode("ascii"), station, pins)
            newer = parse_utc(status["written_at"])
        except (PackageError, RecordError, ValueError, KeyError, TypeError) as exc:
            return 403, f"signal de vie de « {station} » refusé : {exc}"
        stored = self._stored_written_at(name, pins, station)
        if stored is not None and newer < stored:
            return 409, (f"signal de vie de « {station} » plus ancien que celui du dépôt "
                         f"({status['written_at']}) : refusé (rejeu)")
        with self.lock:  # the JSON then its signature, never interleaved with another pair
            atomic_write(self.drop / name, data)
            atomic_write(self.drop / (name + ".minisig"), sig)
        return 204, ""

    def _stored_written_at(self, name: str, pins: FleetPins, station: str):
        """When the stored heartbeat was written, if it is a valid one (else None)."""
        try:
            status = verified_heartbeat((self.drop / name).read_bytes(),
                                        (self.drop / (name + ".minisig")).read_text("ascii"),
                                        station, pins)
            return parse_utc(status["written_at"])
        except (OSError, PackageError, RecordError, ValueError, KeyError, TypeError):
            return None


class DropHandler(http.server.SimpleHTTPRequestHandler):
    """Static GET over the drop folder; PUT for verified heartbeat files only."""

    server_version = "pcsauvegarde-depot"
    sys_version = ""
    timeout = 30  # seconds per socket operation: a client trickling bytes is cut off

    def __init__(self, *args, heartbeats: HeartbeatStore, **kwargs) -> None:
        self.heartbeats = heartbeats
        super().__init__(*args, **kwargs)

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
        match = HEARTBEAT_NAME.match(name)
        if not match:
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
        client, station = self.client_address[0], match.group(1)
        if not match.group(2):
            self.heartbeats.hold(client, station, data)
            self.send_response(202)  # stored once its signature has been checked
            self.end_headers()
            return
        try:
            status, why = self.heartbeats.store(client, station, data)
        except OSError as exc:
            log.error("heartbeat %s not stored: %s", name, exc)
            self.send_error(507, "Écriture impossible sur le dépôt")
            return
        if status != 204:
            log.warning("%s : %s", client, why)
            # the reason phrase must stay latin-1: the full French reason goes in the body
            self.send_error(status, "Signal de vie refusé", why)
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


def make_drop_server(drop: Path, cert: Path, key: Path, pins: Callable[[], FleetPins],
                     host: str = "127.0.0.1", port: int = 8443
                     ) -> http.server.ThreadingHTTPServer:
    """A TLS (1.2 or later) drop server, bound but not yet serving (``serve_forever``).
    ``pins`` gives the stations' heartbeat keys; it is called for each heartbeat."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(str(cert), str(key))
    handler = functools.partial(DropHandler, directory=str(drop),
                                heartbeats=HeartbeatStore(drop, pins))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    return server
