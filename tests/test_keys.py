"""The station's keys (station/keys.py) and the publisher's (publisher/keys.py), from settings."""

from __future__ import annotations

import pytest

from pcsauvegarde.core.package import PackageError, age, minisign
from pcsauvegarde.publisher import keys as publisher_keys
from pcsauvegarde.station import keys
from pcsauvegarde.station.settings import ConfigError, load_settings


def _private(path) -> bool:
    return path.stat().st_mode & 0o077 == 0


def test_station_keys_live_where_the_settings_say(tmp_path):
    settings = load_settings(tmp_path / "st", {
        "identity_file": str(tmp_path / "elsewhere" / "id.agekey"),
        "signing_key_file": "secrets/beat.key", "publisher_keys": ["trusted/pub1.pub"]})
    recipient = keys.ensure_identity(settings)
    identity_path = tmp_path / "elsewhere" / "id.agekey"
    assert _private(identity_path) and recipient.startswith("age1")
    assert recipient == age.public_key_of(age.load_identity(identity_path))
    assert keys.ensure_identity(settings) == recipient          # idempotent: never replaced
    assert not (tmp_path / "st" / "keys").exists()

    public = keys.ensure_signing_key(settings)
    secret = tmp_path / "st" / "secrets" / "beat.key"
    assert _private(secret) and (tmp_path / "st" / "secrets" / "beat.pub").exists()
    assert keys.ensure_signing_key(settings) == public == keys.signing_key(settings).public_key

    publisher_pub = publisher_keys.ensure_signing_key(tmp_path / "pub" / "publisher.key")
    pinned = keys.pin_publisher_key(settings, publisher_pub)
    assert pinned == tmp_path / "st" / "trusted" / "pub1.pub"
    loaded = keys.load_station_keys(settings)
    assert loaded.publisher_keys == (minisign.load_public_key(publisher_pub),)
    assert age.public_key_of(loaded.identity) == recipient

    shown = dict(keys.fingerprints(settings))
    assert shown["Station, destinataire age"] == recipient
    assert shown["Émetteur épinglé (trusted/pub1.pub)"] == loaded.publisher_keys[0].identification
    assert shown["Station, signature des signaux de vie"] == public.identification


def test_station_key_problems_are_said_in_french(tmp_path):
    settings = load_settings(tmp_path / "st")
    with pytest.raises(PackageError, match="illisible"):
        keys.load_station_keys(settings)
    shown = dict(keys.fingerprints(settings))
    assert shown["Station, destinataire age"].startswith("illisible")
    assert shown["Station, signature des signaux de vie"] == "absente (pcsauvegarde keys)"
    not_a_key = tmp_path / "bad.pub"
    not_a_key.write_text("bonjour\n")
    with pytest.raises(PackageError):
        keys.pin_publisher_key(settings, not_a_key)
    with pytest.raises(ConfigError, match="publisher_keys"):
        keys.pin_publisher_key(load_settings(tmp_path / "st2", {"publisher_keys": []}),
                               publisher_keys.ensure_signing_key(tmp_path / "p" / "k.key"))


def test_publisher_signing_key(tmp_path):
    secret = tmp_path / "pub" / "publisher.key"
    public = publisher_keys.ensure_signing_key(secret)
    assert public == tmp_path / "pub" / "publisher.pub" and _private(secret)
    key = publisher_keys.signing_key(secret)
    assert minisign.load_public_key(public) == key.public_key
    assert publisher_keys.ensure_signing_key(secret) == public
    assert publisher_keys.signing_key(secret).public_key == key.public_key   # not replaced
    public.unlink()  # only the secret was kept: its public half is written back
    assert minisign.load_public_key(publisher_keys.ensure_signing_key(secret)) == key.public_key


def test_demo_setup_honours_the_identity_file_setting(tmp_path):
    """An existing station.toml naming another identity file: the demo uses that key."""
    from pcsauvegarde.demo import station as demostation
    from pcsauvegarde.station.settings import write_settings

    station_dir = tmp_path / "demo" / "station"
    write_settings(load_settings(station_dir, {"identity_file": "secret/other.agekey",
                                               "publisher_keys": ["trusted/emetteur.pub"]}))
    _, settings, config = demostation.setup(tmp_path / "demo")
    assert settings.identity_file == "secret/other.agekey"
    identity = station_dir / "secret" / "other.agekey"
    assert identity.exists() and not (station_dir / "keys" / "station.agekey").exists()
    (scope,) = config.stations
    assert scope.recipients == (keys.recipient(settings),)
    pinned = station_dir / "trusted" / "emetteur.pub"
    assert minisign.load_public_key(pinned) == publisher_keys.signing_key(
        config.signing_key).public_key
    assert keys.load_station_keys(settings).publisher_keys == (
        minisign.load_public_key(pinned),)


def test_concurrent_first_signing_keys_never_show_an_empty_key(tmp_path):
    """Several first logins sign the audit at once: each gets the one whole key (soak race)."""
    import threading

    from pcsauvegarde.station import keys
    from pcsauvegarde.station.settings import load_settings

    settings = load_settings(tmp_path / "station", {"station_id": "race"})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    found, errors = [], []

    def first_login():
        try:
            found.append(keys.ensure_signing_key(settings).fingerprint)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first_login) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(found)) == 1
    assert not [p for p in settings.signing_key_path.parent.iterdir() if p.name.startswith(".")]
