"""The station's keys, in one place: its age identity, its heartbeat signing key, the pinned
publisher keys. Every path comes from the settings; nothing else creates or reads these files."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.package import PackageError, age, minisign
from pcsauvegarde.station.settings import ConfigError, Settings


@dataclass(frozen=True)
class StationKeys:
    """What opening a package needs: the station's age identity and the publisher keys it pins."""

    identity: object
    publisher_keys: tuple[minisign.PublicKey, ...]


def _private_dir(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)


def ensure_identity(settings: Settings) -> str:
    """Create the station's age identity (``identity_file``) if missing; return its recipient."""
    path = settings.identity_path
    if not path.exists():
        _private_dir(path)
        age.save_identity(age.generate_identity(), path)
    return recipient(settings)


def recipient(settings: Settings) -> str:
    """The station's public age recipient (« age1… »), to give to the publisher."""
    return age.public_key_of(age.load_identity(settings.identity_path))


def ensure_signing_key(settings: Settings) -> minisign.PublicKey:
    """Create the heartbeat signing key (``signing_key_file``) if missing; return its public key."""
    secret = settings.signing_key_path
    if not secret.exists():
        _private_dir(secret)
        try:
            minisign.save_keypair(minisign.generate_keypair(), secret, secret.with_suffix(".pub"))
        except FileExistsError:
            pass  # created meanwhile by another request (first logins sign the audit at once)
    public = secret.with_suffix(".pub")
    if public.exists():
        public.chmod(0o600)  # everything in the data dir is private
    return signing_key(settings).public_key


def signing_key(settings: Settings) -> minisign.SecretKey:
    """The station's heartbeat signing key (PackageError when missing or unreadable)."""
    return minisign.load_secret_key(settings.signing_key_path)


def pin_publisher_key(settings: Settings, public_key: Path) -> Path:
    """Trust a publisher: copy its minisign public key to the first ``publisher_keys`` file."""
    minisign.load_public_key(public_key)  # refuse anything that is not a public key
    if not settings.publisher_keys:
        raise ConfigError("réglage publisher_keys vide : aucun fichier où épingler la clé")
    pinned = settings.publisher_key_paths[0]
    _private_dir(pinned)
    if pinned.resolve() != Path(public_key).resolve():
        shutil.copyfile(public_key, pinned)
    return pinned


def load_station_keys(settings: Settings) -> StationKeys:
    """The identity and pinned keys named by the settings (PackageError/OSError if unusable)."""
    identity = age.load_identity(settings.identity_path)
    pubs = tuple(minisign.load_public_key(p) for p in settings.publisher_key_paths)
    return StationKeys(identity, pubs)


def publisher_keys_fingerprint(keys: StationKeys) -> str:
    """One short token for the set of pinned publisher keys: it changes when a key is changed."""
    return ",".join(sorted(k.fingerprint for k in keys.publisher_keys))


def fingerprints(settings: Settings) -> list[tuple[str, str]]:
    """(which key, fingerprint or French problem) for every key of the station, for the admin."""
    out = []
    for p in settings.publisher_keys:
        try:
            out.append((f"Émetteur épinglé ({p})",
                        minisign.load_public_key(settings.path(p)).identification))
        except PackageError as exc:
            out.append((f"Émetteur épinglé ({p})", f"illisible : {exc}"))
    try:
        out.append(("Station, destinataire age", recipient(settings)))
    except (PackageError, OSError) as exc:
        out.append(("Station, destinataire age", f"illisible : {exc}"))
    signing = settings.signing_key_path
    try:
        out.append(("Station, signature des signaux de vie",
                    signing_key(settings).public_key.identification if signing.exists()
                    else "absente (pcsauvegarde keys)"))
    except PackageError as exc:
        out.append(("Station, signature des signaux de vie", f"illisible : {exc}"))
    return out
