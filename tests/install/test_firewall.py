"""install/files/nftables.conf: it parses, and in network namespaces it drops every inbound
connection while loopback and the station's own outbound connections (the pull) still work."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.support.install_root import INSTALL

RULESET = INSTALL / "files" / "nftables.conf"
NFT = shutil.which("nft")
IP = shutil.which("ip")
needs_root_nft = pytest.mark.skipif(
    NFT is None or os.geteuid() != 0,
    reason="nft -c needs the nftables package and root (CAP_NET_ADMIN)")
PORT = 8443
# Exit codes of CLIENT: 0 connected, 2 no answer (dropped), 3 refused or unreachable.
CLIENT = """
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1.5).close()
except TimeoutError:
    sys.exit(2)
except OSError:
    sys.exit(3)
"""
SERVER = """
import socket, sys
s = socket.create_server(("::", int(sys.argv[1])), family=socket.AF_INET6, dualstack_ipv6=True)
while True:
    s.accept()[0].close()
"""


@needs_root_nft
def test_ruleset_parses():
    done = subprocess.run([str(NFT), "-c", "-f", str(RULESET)], capture_output=True, text=True,
                          check=False)
    if "Operation not permitted" in done.stderr:
        pytest.skip("nft -c refusé ici (pas de CAP_NET_ADMIN)")
    assert done.returncode == 0, done.stderr


@needs_root_nft
def test_a_broken_ruleset_is_caught(tmp_path):
    broken = tmp_path / "broken.nft"
    broken.write_text(RULESET.read_text(encoding="utf-8").replace("policy drop;", "policy dorp;"),
                      encoding="utf-8")
    done = subprocess.run([str(NFT), "-c", "-f", str(broken)], capture_output=True, text=True,
                          check=False)
    assert done.returncode != 0


def _ip(*args: str) -> None:
    assert IP is not None
    subprocess.run([IP, *args], check=True, capture_output=True, text=True)


@pytest.fixture
def namespaces() -> Iterator[tuple[str, str]]:
    """Two namespaces joined by a veth pair, documentation addresses only: the station (with
    the ruleset loaded) and a peer (the drop point, or an attacker)."""
    if IP is None or NFT is None or os.geteuid() != 0:
        pytest.skip("network namespaces need iproute2, nftables and root")
    station, peer = f"pcsi-st-{os.getpid()}", f"pcsi-peer-{os.getpid()}"
    try:
        _ip("netns", "add", station)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"ip netns add refusé ici : {exc.stderr.strip()}")
    try:
        _ip("netns", "add", peer)
        _ip("link", "add", "vst", "netns", station, "type", "veth", "peer", "name", "vpeer",
            "netns", peer)
        for ns, dev, n in ((station, "vst", 1), (peer, "vpeer", 2)):
            _ip("-n", ns, "addr", "add", f"192.0.2.{n}/24", "dev", dev)
            _ip("-n", ns, "-6", "addr", "add", f"2001:db8::{n}/64", "dev", dev, "nodad")
            _ip("-n", ns, "link", "set", dev, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
        subprocess.run([IP, "netns", "exec", station, NFT, "-f", str(RULESET)], check=True)
        yield station, peer
    finally:
        for ns in (station, peer):
            subprocess.run([IP, "netns", "del", ns], check=False, capture_output=True)


def _connect(ns: str, host: str) -> int:
    assert IP is not None
    return subprocess.run([IP, "netns", "exec", ns, sys.executable, "-c", CLIENT, host,
                           str(PORT)], check=False, timeout=20).returncode


def _serve(ns: str) -> subprocess.Popen[bytes]:
    assert IP is not None
    server = subprocess.Popen([IP, "netns", "exec", ns, sys.executable, "-c", SERVER,
                               str(PORT)])
    deadline = time.monotonic() + 10
    while _connect(ns, "::1") != 0:  # loopback is always open: it tells the server is up
        assert time.monotonic() < deadline and server.poll() is None, "server did not start"
        time.sleep(0.1)
    return server


@pytest.mark.slow
def test_inbound_is_dropped_loopback_and_outbound_work(namespaces):
    station, peer = namespaces
    servers = [_serve(station), _serve(peer)]
    try:
        assert _connect(station, "127.0.0.1") == 0  # the kiosk reaches the UI
        assert _connect(peer, "192.0.2.1") == 2     # nothing answers from outside
        assert _connect(peer, "2001:db8::1") == 2
        assert _connect(station, "192.0.2.2") == 0  # the pull: replies come back in
        assert _connect(station, "2001:db8::2") == 0  # IPv6 too (neighbour discovery)
    finally:
        for server in servers:
            server.kill()
            server.wait()
