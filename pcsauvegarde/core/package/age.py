"""age X25519 station identities and recipients, in the ``age-keygen`` file format."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyrage
from pyrage.x25519 import Identity, Recipient

from pcsauvegarde.core.package.errors import PackageError

__all__ = [
    "Identity",
    "Recipient",
    "generate_identity",
    "identity_file_text",
    "load_identities",
    "load_identity",
    "public_key_of",
    "recipient_from_str",
    "save_identity",
]

PathLike = str | os.PathLike
_SECRET_PREFIX = "AGE-SECRET-KEY-1"  # noqa: S105 - the format's public prefix, not a secret


def generate_identity() -> Identity:
    """Generate a new X25519 identity (the station's decryption key)."""
    return Identity.generate()


def public_key_of(identity: Identity) -> str:
    """The ``age1…`` recipient string that publishers encrypt to."""
    return str(identity.to_public())


def identity_file_text(identity: Identity, created: dt.datetime | None = None) -> str:
    """The identity as ``age-keygen -o`` writes it (``# created``, ``# public key``, secret)."""
    created = created or dt.datetime.now(dt.UTC)
    stamp = created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"# created: {stamp}\n# public key: {public_key_of(identity)}\n{identity}\n"


def save_identity(identity: Identity, path: PathLike) -> None:
    """Write the identity file with mode 0600; refuse to overwrite an existing key."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(identity_file_text(identity))
        f.flush()
        os.fsync(f.fileno())


def load_identities(path: PathLike) -> list[Identity]:
    """Read every ``AGE-SECRET-KEY-1…`` line of an identity file (comments ignored)."""
    name = Path(path).name
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageError(name, "key", f"identité age illisible ({exc})") from None
    identities = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith(_SECRET_PREFIX):
            raise PackageError(name, "key", f"identité age : ligne {number} non reconnue")
        try:
            identities.append(Identity.from_str(line))
        except pyrage.IdentityError:
            raise PackageError(name, "key", f"identité age : ligne {number} invalide") from None
    if not identities:
        raise PackageError(name, "key", "aucune identité age (AGE-SECRET-KEY-1…) dans le fichier")
    return identities


def load_identity(path: PathLike) -> Identity:
    """Read the first identity of an ``age-keygen`` file."""
    return load_identities(path)[0]


def recipient_from_str(text: str) -> Recipient:
    """Parse an ``age1…`` recipient; raise PackageError (reason ``key``) when invalid."""
    try:
        return Recipient.from_str(text.strip())
    except pyrage.RecipientError:
        raise PackageError("destinataire", "key", f"destinataire age invalide « {text} »") from None
