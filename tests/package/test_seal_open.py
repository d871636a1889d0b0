"""Seal/open round trip and every way the station refuses a package."""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter

import pytest

from pcsauvegarde.core import records
from pcsauvegarde.core.fsutil import atomic_write as write_atomic
from pcsauvegarde.core.package import (
    Deletion,
    PackageError,
    age,
    minisign,
    open_package,
    read_package,
    seal,
)
from pcsauvegarde.core.package.seal import EncodedRecord, compress, sign_package
from tests.support.records import manifest, sample_records


def _open(path, signing_key, identity, **kw):
    return read_package(path, [signing_key.public_key], identity, **kw)


def _write_raw(tmp_path, m, plaintext, identity, key):
    """Write an arbitrary (validly signed) plaintext under the manifest's name."""
    import pyrage
    encrypted = pyrage.encrypt(plaintext, [identity.to_public()])
    path = tmp_path / m.file_name
    write_atomic(path.with_name(path.name + ".minisig"), sign_package(encrypted, m, key).encode())
    write_atomic(path, encrypted)
    return path


def test_round_trip(make_package, signing_key, identity):
    path = make_package()
    assert path.name == "st-urg-1.dpi.full.0000000042.age"
    assert (path.parent / (path.name + ".minisig")).exists()
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]
    m, items = _open(path, signing_key, identity)
    assert items == sample_records()
    assert m.counts == {"medication_order": 3, "patient": 3}
    opened = open_package(path, [signing_key.public_key], [identity], station="st-urg-1")
    assert opened.signer == signing_key.public_key
    assert "file:st-urg-1.dpi.full.0000000042.age" in opened.trusted_comment


def test_plaintext_is_plain_gzip_ndjson():
    data, _m = compress(manifest(), sample_records(1))
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    assert json.loads(lines[0])["counts"] == {"medication_order": 1, "patient": 1}
    assert json.loads(lines[1])["first_names"] == "Hélène"  # UTF-8, not \u escapes
    assert "Hélène" in lines[1]


def test_delta_with_deletions(make_package, signing_key, identity):
    items = [*sample_records(1), Deletion("patient", "P9"),
             {"type": "deleted", "record_type": "medication_order", "id": "o9"}]
    path = make_package(items, kind="delta", sequence=43, base_sequence=42)
    m, got = _open(path, signing_key, identity)
    assert m.base_sequence == 42 and m.counts["deleted"] == 2
    assert got[-2:] == [Deletion("patient", "P9"), Deletion("medication_order", "o9")]


def test_seal_refuses_bad_input(signing_key, identity):
    rcpt = [age.public_key_of(identity)]
    with pytest.raises(PackageError) as err:
        seal(manifest(), [Deletion("patient", "P1")], rcpt, signing_key)
    assert err.value.reason == "record" and err.value.line == 2
    with pytest.raises(PackageError, match="domaine lab"):
        lab = records.LabResult(id="x", ipp="P1", code="K", label="Potassium", value="4",
                                collected_at=manifest().extracted_at)
        seal(manifest(), [lab], rcpt, signing_key)
    with pytest.raises(PackageError) as err:
        seal(manifest(counts={"patient": 9}), sample_records(), rcpt, signing_key)
    assert err.value.reason == "manifest"
    with pytest.raises(PackageError, match="base_sequence"):
        seal(manifest(kind="delta"), [], rcpt, signing_key)


def test_several_recipients(make_package, signing_key, identity):
    other = age.generate_identity()
    path = make_package(recipients=[age.public_key_of(other), age.public_key_of(identity)])
    for ident in (identity, other):
        assert len(_open(path, signing_key, ident)[1]) == 6


@pytest.mark.parametrize("where", ["start", "header", "middle", "last"])
def test_tampered_bytes_refused(make_package, signing_key, identity, where):
    path = make_package()
    data = bytearray(path.read_bytes())
    offset = {"start": 0, "header": 30, "middle": len(data) // 2, "last": len(data) - 1}[where]
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "signature"
    assert str(err.value).startswith(f"« {path.name} » : signature invalide")


def test_wrong_pinned_key(make_package, signing_key, identity):
    path = make_package()
    with pytest.raises(PackageError, match="clé de signature non reconnue") as err:
        _open(path, minisign.generate_keypair(), identity)
    assert err.value.reason == "signature"


def test_wrong_station_identity(make_package, signing_key):
    path = make_package()
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, age.generate_identity())
    assert err.value.reason == "decrypt"
    assert "paquet chiffré pour une autre station ou clé de station incorrecte" in str(err.value)


def test_package_for_another_station_by_name(make_package, signing_key, identity):
    path = make_package()
    with pytest.raises(PackageError, match="destiné à la station") as err:
        _open(path, signing_key, identity, station="st-bloc")
    assert err.value.reason == "name"


def test_signature_replayed_on_renamed_file(make_package, signing_key, identity):
    path = make_package()
    renamed = path.with_name("st-urg-1.dpi.full.0000000099.age")
    os.rename(path, renamed)
    os.rename(str(path) + ".minisig", str(renamed) + ".minisig")
    with pytest.raises(PackageError, match="autre fichier") as err:
        _open(renamed, signing_key, identity)
    assert err.value.reason == "signature"


def test_truncated_file(make_package, signing_key, identity):
    path = make_package()
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "signature"


def test_truncated_gzip_inside_signed_package(tmp_path, signing_key, identity):
    m = manifest()
    data, _ = compress(m, sample_records(50))
    path = _write_raw(tmp_path, m, data[:-20], identity, signing_key)
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "truncated"


def test_random_bytes(tmp_path, signing_key, identity):
    path = tmp_path / "st-urg-1.dpi.full.0000000042.age"
    path.write_bytes(os.urandom(4096))
    (tmp_path / (path.name + ".minisig")).write_text(
        minisign.sign(os.urandom(10), signing_key, "x"))
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "signature"
    # Even validly signed random bytes are refused before decryption is attempted.
    (tmp_path / (path.name + ".minisig")).write_text(
        sign_package(path.read_bytes(), manifest(), signing_key))
    with pytest.raises(PackageError, match="pas un fichier chiffré au format age") as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "format"


def test_empty_file(make_package, signing_key, identity):
    path = make_package()
    path.write_bytes(b"")
    with pytest.raises(PackageError, match="fichier vide") as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "size"


def test_size_limit(make_package, signing_key, identity):
    path = make_package()
    with pytest.raises(PackageError, match="trop gros") as err:
        _open(path, signing_key, identity, max_size=100)
    assert err.value.reason == "size"


def test_missing_signature_and_file(make_package, signing_key, identity):
    path = make_package()
    os.remove(str(path) + ".minisig")
    with pytest.raises(PackageError, match="signature absente") as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "missing" and ".minisig" in str(err.value)
    with pytest.raises(PackageError, match="introuvable"):
        _open(path.with_name("st-urg-1.dpi.full.0000000001.age"), signing_key, identity)


def test_bad_file_name(make_package, signing_key, identity):
    path = make_package()
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, identity, name="dpi.full.42.age")
    assert err.value.reason == "name"


def test_manifest_count_mismatch(tmp_path, signing_key, identity):
    m = manifest(counts={"patient": 3, "medication_order": 4})
    head = gzip.compress(json.dumps(m.to_dict()).encode() + b"\n")
    body = gzip.compress(b"".join(json.dumps(r.to_dict()).encode() + b"\n"
                                  for r in sample_records()))
    path = _write_raw(tmp_path, m, head + body, identity, signing_key)
    opened = open_package(path, [signing_key.public_key], identity)
    with pytest.raises(PackageError, match="medication_order : 4 annoncé") as err:
        list(opened.iter_records())
    assert err.value.reason == "manifest"


def test_manifest_disagrees_with_file_name(tmp_path, signing_key, identity):
    m = manifest()
    data, _ = compress(manifest(domain="lab"), [])
    path = _write_raw(tmp_path, m, data, identity, signing_key)
    with pytest.raises(PackageError, match="ne correspond pas au nom") as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "manifest"


def test_invalid_record_line_names_line(tmp_path, signing_key, identity):
    m = manifest(counts={})
    bad = records.MedicationOrder(id="o1", ipp="P1", drug="X", dose="1",
                                  timing=records.Timing(kind="fixed_times"),
                                  start=sample_records(1)[1].start)
    lines = [m.to_dict(), *[r.to_dict() for r in sample_records(28)], bad.to_dict()]
    plain = "".join(json.dumps(d) + "\n" for d in lines).encode()
    path = _write_raw(tmp_path, m, gzip.compress(plain), identity, signing_key)
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "record" and err.value.line == 58
    assert "ligne 58 : medication_order o1 : timing.times" in str(err.value)


@pytest.mark.parametrize("line", [b"{not json\n", b"\xff\xfe\n", b"[1, 2]\n",
                                  b'{"type": "patient", "id": "P1"}\n'])
def test_garbage_lines(tmp_path, signing_key, identity, line):
    m = manifest(counts={})
    plain = json.dumps(m.to_dict()).encode() + b"\n" + line
    path = _write_raw(tmp_path, m, gzip.compress(plain), identity, signing_key)
    with pytest.raises(PackageError) as err:
        _open(path, signing_key, identity)
    assert err.value.reason in ("record", "format") and err.value.line == 2


def test_not_gzip_inside(tmp_path, signing_key, identity):
    m = manifest()
    path = _write_raw(tmp_path, m, b'{"format": "pcsauvegarde/1"}\n', identity, signing_key)
    with pytest.raises(PackageError, match="gzip") as err:
        _open(path, signing_key, identity)
    assert err.value.reason == "format"


def test_encoded_lines_are_sealed_as_is_or_checked_on_request():
    from pcsauvegarde.core.package import EncodedLines
    from pcsauvegarde.publisher.lines import record_line

    recs = sample_records(2)
    lines = EncodedLines([r.TYPE for r in recs], [record_line(r) for r in recs])
    fast, m = compress(manifest(), lines, validate=False)
    checked, _ = compress(manifest(), lines)
    assert gzip.decompress(fast) == gzip.decompress(checked)
    assert m.counts == {"medication_order": 2, "patient": 2}
    bad = EncodedLines(["patient"], [b'{"type":"patient","id":"P1"}\n'])
    with pytest.raises(PackageError) as err:
        compress(manifest(), bad)  # validate=True: the reference check names what is wrong
    assert err.value.reason == "record"


def test_chunks_of_lines_stream_in_order_and_are_numbered_when_checked():
    from pcsauvegarde.core.package import EncodedLines
    from pcsauvegarde.publisher.lines import record_line

    recs = sample_records(3)
    lines = [record_line(r) for r in recs]
    whole = EncodedLines([r.TYPE for r in recs], lines)
    chunks = [EncodedLines([r.TYPE for r in recs[:2]], lines[:2]),
              EncodedRecord(recs[2].TYPE, lines[2]),
              EncodedLines([r.TYPE for r in recs[3:]], lines[3:])]
    streamed, m = compress(manifest(), iter(chunks), validate=False)
    assert gzip.decompress(streamed) == gzip.decompress(compress(manifest(), whole)[0])
    assert m.counts == Counter(r.TYPE for r in recs)
    bad = [chunks[0], EncodedLines(["patient"], [b'{"type":"patient","id":"P1"}\n'])]
    with pytest.raises(PackageError) as err:
        compress(manifest(), iter(bad))
    assert (err.value.reason, err.value.line) == ("record", 4)  # manifest, 2 lines, then it
