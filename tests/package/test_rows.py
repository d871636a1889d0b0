"""iter_rows (the station's ingest path) validates exactly like iter_records."""

from __future__ import annotations

import gzip
import json

import pytest

from pcsauvegarde.core import records
from pcsauvegarde.core.fsutil import atomic_write as write_atomic
from pcsauvegarde.core.package import PackageError, open_package
from pcsauvegarde.core.package.seal import compress, sign_package
from tests.support.records import manifest, sample_records, valid_records

BIG = 4700  # records: more than one 1 MiB block of lines


def _write(tmp_path, m, lines, identity, key):
    import pyrage
    plain = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in [m.to_dict(), *lines])
    encrypted = pyrage.encrypt(gzip.compress(plain.encode()), [identity.to_public()])
    path = tmp_path / m.file_name
    write_atomic(path.with_name(path.name + ".minisig"), sign_package(encrypted, m, key).encode())
    write_atomic(path, encrypted)
    return open_package(path, [key.public_key], identity)


def _error(iterator) -> PackageError | None:
    try:
        for _ in iterator:
            pass
    except PackageError as exc:
        return exc
    return None


def _lab(i: int) -> dict:
    return next(r for r in valid_records() if r.TYPE == "lab_result").to_dict() | {"id": f"L{i}"}


CASES = [(field, bad) for field in ("id", "ipp", "collected_at", "validated_at", "abnormal")
         for bad in (None, 1, True, "", "x" * 4001, "a\nb", "\x00", "2026-11-27T08:30:00",
                     "2026-13-27T08:30:00Z", "Q")] + [("type", "patient"), ("type", "deleted"),
                                        ("type", "unit"), ("extra", 1)]


@pytest.mark.parametrize(("field", "bad"), CASES)
def test_malformed_record_deep_in_a_big_package(tmp_path, signing_key, identity, field, bad):
    lines = [_lab(i) for i in range(BIG)]
    lines[BIG - 10] = {**lines[BIG - 10], field: bad}
    expected = "ok"
    try:
        records.record_from_dict(lines[BIG - 10])
    except records.RecordError as exc:
        expected = str(exc)
    m = manifest(domain="lab", counts={"lab_result": BIG})
    opened = _write(tmp_path, m, lines, identity, signing_key)
    old = _error(opened.iter_records())
    new = _error(opened.iter_rows())
    if old is None:
        assert expected == "ok" and new is None
        return
    assert (str(new), new.reason, new.line) == (str(old), old.reason, old.line)
    if expected != "ok" and field != "type":
        assert new.reason == "record" and new.line == BIG - 10 + 2
        assert str(new).endswith(f"ligne {BIG - 8} : {expected}")


@pytest.mark.parametrize("line", [b"{not json", b"\xff\xfe", b"[1, 2]", b"  ", b"",
                                  b' {"type": "lab_result"} ', "\u00a0{}".encode(),
                                  '"\ufeff"'.encode(), b"\xef\xbb\xbf{}"])
def test_odd_lines_give_the_same_error(tmp_path, signing_key, identity, line):
    m = manifest(domain="lab", counts={"lab_result": BIG})
    good = [json.dumps(_lab(i)).encode() for i in range(BIG)]
    plain = b"\n".join([json.dumps(m.to_dict()).encode(), *good[:4000], line, *good[4000:]])
    import pyrage
    encrypted = pyrage.encrypt(gzip.compress(plain + b"\n"), [identity.to_public()])
    path = tmp_path / m.file_name
    write_atomic(path.with_name(path.name + ".minisig"),
                 sign_package(encrypted, m, signing_key).encode())
    write_atomic(path, encrypted)
    opened = open_package(path, [signing_key.public_key], identity)
    if not line.strip():
        assert sum(len(b) for b in opened.iter_rows()) == BIG == len(opened.read_records())
        return
    old, new = _error(opened.iter_records()), _error(opened.iter_rows())
    assert (str(new), new.reason, new.line) == (str(old), old.reason, old.line)
    assert new.line == 4002


def test_rows_carry_the_line_as_received(tmp_path, signing_key, identity):
    items = [*sample_records(3), *(r for r in valid_records() if r.DOMAIN == "dpi")]
    m = manifest()
    data, m = compress(m, items)
    opened = _write(tmp_path, m, [json.loads(x) for x in gzip.decompress(data).splitlines()[1:]],
                    identity, signing_key)
    rows = [r for batch in opened.iter_rows() for r in batch]
    assert [(r[0], r[1]) for r in rows] == [(i.TYPE, i.id) for i in items]
    for row, item in zip(rows, items, strict=True):
        ipp = item.id if item.TYPE == "patient" else getattr(item, "ipp", None)
        assert row[2:4] == ("dpi", ipp)
        assert records.record_from_dict(json.loads(row[4])) == item


def test_deletions_in_a_delta(tmp_path, signing_key, identity):
    m = manifest(kind="delta", base_sequence=41, counts={"patient": 1, "deleted": 1})
    lines = [sample_records(1)[0].to_dict(),
             {"type": "deleted", "record_type": "stay", "id": "NDA1"}]
    opened = _write(tmp_path, m, lines, identity, signing_key)
    rows = [r for batch in opened.iter_rows() for r in batch]
    assert rows[1] == ("stay", "NDA1", "dpi", None, None)


def test_expand_checks_once_and_keeps_the_rows_for_the_promotion(tmp_path, signing_key,
                                                                 identity, monkeypatch):
    lines = [_lab(i) for i in range(BIG)] + [
        {"type": "deleted", "record_type": "lab_result", "id": "L-old"}]
    m = manifest(domain="lab", kind="delta", base_sequence=41,
                 counts={"lab_result": BIG, "deleted": 1})
    expected = [list(r) for batch in _write(tmp_path / "a", m, lines, identity,
                                            signing_key).iter_rows() for r in batch]
    opened = _write(tmp_path / "b", m, lines, identity, signing_key)
    kept = tmp_path / "b" / ".kept.rows"
    opened.expand(kept)
    # the promotion reads what expand() checked: no parse, no check, the same rows in order
    monkeypatch.setattr(records, "record_from_dict", lambda *a: pytest.fail("checked twice"))
    monkeypatch.setattr("pcsauvegarde.core.record_check.quick_checks",
                        lambda *a, **k: pytest.fail("checked twice"))
    assert [list(r) for batch in opened.iter_rows() for r in batch] == expected
    assert expected[-1] == ["lab_result", "L-old", "lab", None, None]
    opened.close()
    assert not kept.exists()


def test_depth_limit_holds_for_records_the_quick_check_accepts(tmp_path, signing_key,
                                                                identity):
    """A tray's lines nest 3 deep: under a 2-level limit the quick path does not let it by."""
    from pcsauvegarde.core import record_check
    from pcsauvegarde.core.package.limits import Limits

    tray = next(r for r in valid_records() if r.TYPE == "tray")
    assert record_check.nesting(type(tray)) == 3
    assert record_check.quick_check(type(tray))(tray.to_dict())
    m = manifest(domain="sterilisation", counts={"tray": 1})
    opened = _write(tmp_path, m, [tray.to_dict()], identity, signing_key)
    assert [r[0] for rows in opened.iter_rows() for r in rows] == ["tray"]
    opened.limits = Limits(max_depth=2)
    error = _error(opened.iter_rows())
    assert error is not None and error.reason == "depth" and "2 niveaux" in str(error)
