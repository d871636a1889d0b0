"""The publisher's key: the minisign (Ed25519) key signing every package it writes."""

from __future__ import annotations

from pathlib import Path

from pcsauvegarde.core.package import minisign

KEY_FILE = "publisher.key"   # its name in a publisher's directory (`keys --publisher-dir`)


def public_key_path(secret: Path) -> Path:
    """Where the public half of a signing key lives: beside it, ``.pub``."""
    return Path(secret).with_suffix(".pub")


def ensure_signing_key(secret: Path) -> Path:
    """Create the signing key at ``secret`` (mode 0600) if missing; return its ``.pub`` file."""
    secret = Path(secret)
    public = public_key_path(secret)
    if not secret.exists():
        secret.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        minisign.save_keypair(minisign.generate_keypair(), secret, public)
    elif not public.exists():  # only the secret was copied over: write its public half back
        public.write_text(signing_key(secret).public_key.to_file_text(), encoding="ascii")
    return public


def signing_key(secret: Path) -> minisign.SecretKey:
    """The signing key (PackageError naming the file when missing or unusable)."""
    return minisign.load_secret_key(secret)
