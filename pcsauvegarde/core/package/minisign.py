"""minisign-compatible Ed25519 keys, signatures and verification (``cryptography`` only)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from pcsauvegarde.core.package.errors import PackageError

# Wire layout (minisign 0.11): public key = "Ed" + key id (8) + key (32); signature line =
# alg (2) + key id (8) + sig (64); secret key = "Ed" + kdf (2) + "B2" + salt (32) + ops (8)
# + mem (8) + key id (8) + seed||pk (64) + checksum (32).
_ALG_KEY = b"Ed"
_ALG_PREHASHED = b"ED"  # signature over BLAKE2b-512 of the data
_ALG_LEGACY = b"Ed"     # signature over the raw data (accepted, never produced)
_KDF_NONE = b"\x00\x00"
_CHK_ALG = b"B2"
_SECKEY_LEN = 158
_TRUSTED = "trusted comment: "
_UNTRUSTED = "untrusted comment: "
MAX_SIG_FILE = 64 * 1024

PathLike = str | os.PathLike


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, size: int, name: str, what: str, reason: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise PackageError(name, reason, f"{what} illisible (base64 invalide)") from None
    if len(raw) != size:
        raise PackageError(name, reason,
                           f"{what} illisible (longueur {len(raw)} au lieu de {size})")
    return raw


def format_key_id(key_id: bytes) -> str:
    """Key id as minisign prints it (bytes reversed, upper-case hex)."""
    return key_id[::-1].hex().upper()


@dataclass(frozen=True)
class PublicKey:
    """A minisign public key: 8-byte key id and Ed25519 key."""

    key_id: bytes
    key: bytes

    @property
    def key_id_hex(self) -> str:
        return format_key_id(self.key_id)

    @property
    def fingerprint(self) -> str:
        """Short SHA-256 of the key for reading aloud, e.g. ``3F2A 91C0 …`` (8 groups)."""
        digest = hashlib.sha256(self.key).hexdigest().upper()[:32]
        return " ".join(digest[i:i + 4] for i in range(0, 32, 4))

    @property
    def identification(self) -> str:
        """How every tool shows a key (``keys``, admin page, ``fleet``, quarantine), so that two
        people can compare it by phone: the fingerprint and the key ID minisign prints."""
        return f"empreinte {self.fingerprint} · ID minisign {self.key_id_hex}"

    def to_line(self) -> str:
        return _b64(_ALG_KEY + self.key_id + self.key)

    def to_file_text(self) -> str:
        return f"{_UNTRUSTED}minisign public key {self.key_id_hex}\n{self.to_line()}\n"

    def _ed25519(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.key)


@dataclass(frozen=True, repr=False)
class SecretKey:
    """A minisign secret key (seed kept in memory only); never printed by repr."""

    key_id: bytes
    seed: bytes

    def __repr__(self) -> str:
        return f"SecretKey({self.key_id_hex})"

    @property
    def key_id_hex(self) -> str:
        return format_key_id(self.key_id)

    @property
    def public_key(self) -> PublicKey:
        pk = Ed25519PrivateKey.from_private_bytes(self.seed).public_key()
        return PublicKey(self.key_id, pk.public_bytes(Encoding.Raw, PublicFormat.Raw))

    def to_file_text(self) -> str:
        """Unencrypted secret key file, as ``minisign -G -W`` writes it (checksum zero)."""
        raw = (_ALG_KEY + _KDF_NONE + _CHK_ALG + bytes(32) + bytes(8) + bytes(8)
               + self.key_id + self.seed + self.public_key.key + bytes(32))
        return f"{_UNTRUSTED}minisign encrypted secret key\n{_b64(raw)}\n"

    def _ed25519(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)


def generate_keypair() -> SecretKey:
    """Generate a new signing key with a random key id."""
    return SecretKey(secrets.token_bytes(8), secrets.token_bytes(32))


def save_keypair(secret: SecretKey, secret_path: PathLike, public_path: PathLike) -> None:
    """Write the public key file, then the secret key (mode 0600, never overwritten).

    The secret key appears whole or not at all (written aside, then hard-linked into place):
    a reader racing its creation never sees an empty file. FileExistsError when another
    writer won: its key stands.
    """
    secret_path = Path(secret_path)
    public = secret.public_key.to_file_text().encode("ascii")
    staged = secret_path.with_name(f".{secret_path.name}.{secrets.token_hex(6)}")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secret.to_file_text())
            f.flush()
            os.fsync(f.fileno())
        if secret_path.exists():
            raise FileExistsError(secret_path)
        Path(public_path).write_bytes(public)
        os.link(staged, secret_path)          # atomic; fails if another writer won
    finally:
        staged.unlink(missing_ok=True)


def _key_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith(_UNTRUSTED)]
    return lines[0] if len(lines) == 1 else ""


def public_key_from_text(text: str, name: str = "clé publique") -> PublicKey:
    """Parse a public key: the whole ``.pub`` file or its base64 line alone."""
    raw = _unb64(_key_line(text), 42, name, "clé publique", "key")
    if raw[:2] != _ALG_KEY:
        raise PackageError(name, "key", "clé publique : algorithme non pris en charge")
    return PublicKey(raw[2:10], raw[10:])


def load_public_key(path: PathLike) -> PublicKey:
    """Read a minisign ``.pub`` file."""
    from pcsauvegarde.core.fsutil import os_reason

    try:
        text = Path(path).read_text(encoding="ascii")
    except OSError as exc:
        raise PackageError(Path(path).name, "key",
                           f"clé publique illisible ({os_reason(exc)})") from None
    except UnicodeDecodeError:
        raise PackageError(Path(path).name, "key",
                           "clé publique illisible (caractères non ASCII : ce n'est pas un "
                           "fichier .pub minisign)") from None
    return public_key_from_text(text, Path(path).name)


def load_secret_key(path: PathLike) -> SecretKey:
    """Read an unencrypted (``minisign -G -W``) secret key file."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageError(name, "key", f"clé secrète illisible ({exc})") from None
    raw = _unb64(_key_line(text), _SECKEY_LEN, name, "clé secrète", "key")
    if raw[:2] != _ALG_KEY or raw[4:6] != _CHK_ALG:
        raise PackageError(name, "key", "clé secrète : algorithme non pris en charge")
    if raw[2:4] != _KDF_NONE:
        raise PackageError(name, "key", "clé secrète protégée par mot de passe : non prise en "
                           "charge (créer la clé avec « minisign -G -W »)")
    key_id, seed, pk, chk = raw[54:62], raw[62:94], raw[94:126], raw[126:158]
    secret = SecretKey(key_id, seed)
    expected_chk = hashlib.blake2b(_ALG_KEY + key_id + seed + pk, digest_size=32).digest()
    if secret.public_key.key != pk or chk not in (bytes(32), expected_chk):
        raise PackageError(name, "key",
                           "clé secrète incohérente (clé publique ou somme de contrôle)")
    return secret


def _prehash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=64).digest()


def sign(data: bytes, secret: SecretKey, trusted_comment: str,
         untrusted_comment: str = "signature from pcsauvegarde secret key") -> str:
    """Sign ``data`` (prehashed ``ED``); return the ``.minisig`` text."""
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise ValueError("trusted comment must be a single line")
    key = secret._ed25519()
    sig = key.sign(_prehash(data))
    global_sig = key.sign(sig + trusted_comment.encode("utf-8"))
    return (f"{_UNTRUSTED}{untrusted_comment}\n{_b64(_ALG_PREHASHED + secret.key_id + sig)}\n"
            f"{_TRUSTED}{trusted_comment}\n{_b64(global_sig)}\n")


@dataclass(frozen=True)
class Signature:
    """A parsed ``.minisig``: algorithm, key id, signature, trusted comment, global signature."""

    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes

    @classmethod
    def parse(cls, text: str, name: str = "signature") -> Signature:
        lines = text.splitlines()
        if len(lines) < 4 or not lines[0].startswith(_UNTRUSTED) \
                or not lines[2].startswith(_TRUSTED):
            raise PackageError(name, "signature", "fichier de signature mal formé")
        raw = _unb64(lines[1], 74, name, "signature", "signature")
        if raw[:2] not in (_ALG_PREHASHED, _ALG_LEGACY):
            raise PackageError(name, "signature", "algorithme de signature non pris en charge")
        global_sig = _unb64(lines[3], 64, name, "signature globale", "signature")
        return cls(raw[:2], raw[2:10], raw[10:], lines[2][len(_TRUSTED):], global_sig)


def verify(data: bytes, sig_text: str, pubkeys: Iterable[PublicKey],
           name: str = "signature") -> PublicKey:
    """Check both signatures against the pinned keys; return the key that signed."""
    sig = Signature.parse(sig_text, name)
    message = _prehash(data) if sig.algorithm == _ALG_PREHASHED else data
    return _verify(sig, message, pubkeys, name)


def verify_file(path: PathLike, sig_text: str, pubkeys: Iterable[PublicKey],
                name: str = "signature", max_legacy: int = 64 * 1024**2) -> PublicKey:
    """:func:`verify` over a file, hashed as it streams (memory stays flat).

    The legacy algorithm signs the raw bytes, which must then be held whole: only up to
    ``max_legacy`` bytes.
    """
    sig = Signature.parse(sig_text, name)
    with open(path, "rb") as f:
        if sig.algorithm == _ALG_PREHASHED:
            h = hashlib.blake2b(digest_size=64)
            while chunk := f.read(1 << 20):
                h.update(chunk)
            message = h.digest()
        else:
            message = f.read(max_legacy + 1)
            if len(message) > max_legacy:
                raise PackageError(name, "signature", "signature d'ancien format (Ed) refusée "
                                   f"au-delà de {max_legacy} octets : signez avec minisign -H")
    return _verify(sig, message, pubkeys, name)


def _verify(sig: Signature, message: bytes, pubkeys: Iterable[PublicKey],
            name: str) -> PublicKey:
    signer = next((k for k in pubkeys if k.key_id == sig.key_id), None)
    if signer is None:
        raise PackageError(name, "signature", "signature invalide (clé de signature non "
                           f"reconnue : {format_key_id(sig.key_id)})")
    key = signer._ed25519()
    try:
        key.verify(sig.signature, message)
    except InvalidSignature:
        raise PackageError(name, "signature", "signature invalide (fichier modifié, incomplet "
                           "ou signé par une autre clé)") from None
    try:
        key.verify(sig.global_signature, sig.signature + sig.trusted_comment.encode("utf-8"))
    except InvalidSignature:
        raise PackageError(name, "signature",
                           "signature invalide (commentaire de confiance modifié)") from None
    return signer
