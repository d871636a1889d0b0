"""Real peers for transport tests: a throwaway OpenSSH server and a local HTTPS server."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"port {port} not listening")


def keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


def descendants(pid: int) -> list[int]:
    """Every process below pid (sshd forks a session child per connection)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class Sshd:
    """``sshd -D`` on 127.0.0.1 serving ``drop`` over internal-sftp to one key."""

    def __init__(self, root: Path, drop: Path, client_pub: Path):
        self.root, self.drop = root, drop
        root.mkdir(parents=True, exist_ok=True)
        os.makedirs("/run/sshd", exist_ok=True)
        self.host_key = root / "ssh_host_ed25519_key"
        if not self.host_key.exists():
            keygen(self.host_key)
        auth = root / "authorized_keys"
        shutil.copyfile(client_pub, auth)
        auth.chmod(0o600)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def host_key_line(self) -> str:
        return self.host_key.with_suffix(".pub").read_text().strip()

    def config(self) -> Path:
        cfg = self.root / "sshd_config"
        cfg.write_text(f"""ListenAddress 127.0.0.1
Port {self.port}
HostKey {self.host_key}
PidFile none
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile {self.root / 'authorized_keys'}
AllowUsers root
PermitRootLogin prohibit-password
Subsystem sftp internal-sftp
ForceCommand internal-sftp -d {self.drop}
AllowTcpForwarding no
X11Forwarding no
""")
        return cfg

    def start(self) -> Sshd:
        cfg = self.config()
        subprocess.run([SSHD, "-t", "-f", str(cfg)], check=True)
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(cfg)],
                                     stderr=subprocess.DEVNULL)
        wait_port(self.port)
        return self

    def kill(self) -> None:
        """kill -9 the server and its session children (a server dying mid-transfer)."""
        if self.proc is None:
            return
        for pid in [self.proc.pid, *descendants(self.proc.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=5)
        self.proc = None

    stop = kill


def self_signed(root: Path) -> tuple[Path, Path, bytes]:
    """A self-signed certificate for 127.0.0.1 (cert path, key path, DER)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "depot-test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = root / "cert.pem", root / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path, cert.public_bytes(serialization.Encoding.DER)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class HttpsDrop:
    """A static HTTPS server on 127.0.0.1 over ``drop``; ``index()`` writes index.txt."""

    def __init__(self, root: Path, drop: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.drop = drop
        self.cert, key, self.der = self_signed(root)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, key)
        handler = functools.partial(_Quiet, directory=str(drop))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def index(self, with_sizes: bool = True) -> None:
        lines = ["# test index"]
        for p in sorted(self.drop.glob("*.age")):
            lines.append(f"{p.name} {p.stat().st_size}" if with_sizes else p.name)
        (self.drop / "index.txt").write_text("\n".join(lines) + "\n")

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
