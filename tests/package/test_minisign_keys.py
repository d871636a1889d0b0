"""minisign-compatible signatures and key files; age identity files."""

from __future__ import annotations

import base64
import os
import stat

import pytest

from pcsauvegarde.core.package import PackageError, age, minisign


def test_sign_verify_round_trip(signing_key):
    sig = minisign.sign(b"hello", signing_key, "file:x.age")
    assert minisign.verify(b"hello", sig, [signing_key.public_key]) == signing_key.public_key
    assert minisign.Signature.parse(sig).trusted_comment == "file:x.age"
    assert minisign.Signature.parse(sig).algorithm == b"ED"


def test_verify_refuses_modified_data(signing_key):
    sig = minisign.sign(b"hello", signing_key, "c")
    with pytest.raises(PackageError) as err:
        minisign.verify(b"hellO", sig, [signing_key.public_key], "f.age")
    assert err.value.reason == "signature"
    assert str(err.value).startswith("« f.age » : signature invalide")


def test_verify_refuses_unknown_key(signing_key):
    other = minisign.generate_keypair()
    sig = minisign.sign(b"data", other, "c")
    with pytest.raises(PackageError, match="clé de signature non reconnue") as err:
        minisign.verify(b"data", sig, [signing_key.public_key])
    assert err.value.reason == "signature"


def test_verify_refuses_same_key_id_other_key(signing_key):
    impostor = minisign.SecretKey(signing_key.key_id, os.urandom(32))
    sig = minisign.sign(b"data", impostor, "c")
    with pytest.raises(PackageError, match="signature invalide"):
        minisign.verify(b"data", sig, [signing_key.public_key])


def test_verify_refuses_edited_trusted_comment(signing_key):
    sig = minisign.sign(b"data", signing_key, "file:a.age")
    forged = sig.replace("file:a.age", "file:b.age")
    with pytest.raises(PackageError, match="commentaire de confiance"):
        minisign.verify(b"data", forged, [signing_key.public_key])


def test_verify_accepts_legacy_ed(signing_key):
    key = signing_key._ed25519()
    raw_sig = key.sign(b"data")
    comment = "legacy"
    text = ("untrusted comment: x\n"
            + base64.b64encode(b"Ed" + signing_key.key_id + raw_sig).decode() + "\n"
            + f"trusted comment: {comment}\n"
            + base64.b64encode(key.sign(raw_sig + comment.encode())).decode() + "\n")
    assert minisign.verify(b"data", text, [signing_key.public_key])


@pytest.mark.parametrize("text", ["", "garbage", ("untrusted comment: a\n!!!\ntrusted comment: "
                                  "x\nAAAA\n")])
def test_malformed_signature_file(signing_key, text):
    with pytest.raises(PackageError) as err:
        minisign.verify(b"data", text, [signing_key.public_key])
    assert err.value.reason == "signature"


def test_key_files_round_trip(tmp_path, signing_key):
    minisign.save_keypair(signing_key, tmp_path / "k.key", tmp_path / "k.pub")
    assert stat.S_IMODE((tmp_path / "k.key").stat().st_mode) == 0o600
    loaded = minisign.load_secret_key(tmp_path / "k.key")
    assert loaded.key_id == signing_key.key_id and loaded.seed == signing_key.seed
    pub = minisign.load_public_key(tmp_path / "k.pub")
    assert pub == signing_key.public_key
    assert minisign.public_key_from_text(pub.to_line()) == pub
    assert (tmp_path / "k.pub").read_text().splitlines()[0].endswith(pub.key_id_hex)
    assert len(pub.fingerprint.split()) == 8
    with pytest.raises(FileExistsError):
        minisign.save_keypair(signing_key, tmp_path / "k.key", tmp_path / "k.pub")


def test_bad_public_key_text():
    with pytest.raises(PackageError) as err:
        minisign.public_key_from_text("untrusted comment: x\nnot base64!!\n", "pub.txt")
    assert err.value.reason == "key" and "pub.txt" in str(err.value)


def test_identity_file(tmp_path):
    ident = age.generate_identity()
    path = tmp_path / "station.key"
    age.save_identity(ident, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = path.read_text().splitlines()
    assert lines[0].startswith("# created: ")
    assert lines[1] == f"# public key: {age.public_key_of(ident)}"
    assert lines[2].startswith("AGE-SECRET-KEY-1")
    assert str(age.load_identity(path)) == str(ident)
    assert str(age.recipient_from_str(age.public_key_of(ident))) == age.public_key_of(ident)


def test_bad_identity_and_recipient(tmp_path):
    (tmp_path / "bad.key").write_text("# nothing here\n")
    with pytest.raises(PackageError, match="aucune identité"):
        age.load_identity(tmp_path / "bad.key")
    with pytest.raises(PackageError, match="destinataire age invalide"):
        age.recipient_from_str("age1nope")
