"""Publisher side: records → gzip NDJSON → age → minisign, written atomically to a drop dir."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pyrage

from pcsauvegarde.core import records
from pcsauvegarde.core.fsutil import atomic_write
from pcsauvegarde.core.package import minisign
from pcsauvegarde.core.package.age import Recipient, recipient_from_str
from pcsauvegarde.core.package.errors import PackageError
from pcsauvegarde.core.package.manifest import Deletion, Manifest, item_from_dict
from pcsauvegarde.core.record_check import quick_checks


class EncodedRecord(NamedTuple):
    """A record already checked by the reference validator, as its line: counted, sealed as is.

    With ``validate=True`` the line is parsed and checked again like any other item.
    """

    type: str
    line: bytes


@dataclasses.dataclass(frozen=True)
class EncodedLines:
    """Many checked records' lines at once, and their types (the publisher's fast path: no
    object per record), given whole or as chunks among the items of a streamed package.
    Iterating gives :class:`EncodedRecord` items, so ``validate=True`` still checks every
    line."""

    types: list[str]
    lines: list[bytes]

    def __iter__(self) -> Iterator[EncodedRecord]:
        return map(EncodedRecord, self.types, self.lines)


SealInput = records.Record | Deletion | dict | tuple[dict, bytes] | EncodedRecord | EncodedLines
_CHUNK = 1 << 20
# zlib level 3: on the bench's 102 MB of lab lines, 0.41 s of CPU for 9.1 MB against 1.07 s
# for 7.4 MB at level 6 and 4.0 s at level 9; the publisher's full run is on the data-age
# path, a fifth more bytes once an hour are not.
_GZIP_LEVEL = 3


_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)
# The C encoder json.dumps would build for each call, built once (the publisher encodes every
# record of every run); same arguments as JSONEncoder.iterencode gives it, so the same text.
# typeshed does not declare c_make_encoder (None when the C accelerator is missing).
_C_LINE = json.encoder.c_make_encoder and json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None, _LINE.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)


def dumps_line(data: dict[str, Any]) -> bytes:
    """One NDJSON line: compact JSON, UTF-8 (not ASCII-escaped), newline-terminated."""
    text = "".join(_C_LINE(data, 0)) if _C_LINE else _LINE.encode(data)
    return text.encode("utf-8") + b"\n"


def _records_member(manifest: Manifest, items: Iterable[SealInput],
                    validate: bool) -> tuple[bytes, Counter]:
    """Compress the record lines into one gzip member, counting types as we go."""
    counts: Counter = Counter()
    buffer = io.BytesIO()
    pending: list[bytes] = []
    size = 0
    quick = quick_checks(manifest.domain) if validate else {}
    if isinstance(items, EncodedLines) and not validate:
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=_GZIP_LEVEL) as gz:
            for start in range(0, len(items.lines), 4096):  # ~1 MB per gzip call
                gz.write(b"".join(items.lines[start:start + 4096]))
        return buffer.getvalue(), Counter(items.types)
    if validate:  # every line numbered and checked, chunks included
        items = (one for item in items
                 for one in (item if type(item) is EncodedLines else (item,)))
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=_GZIP_LEVEL) as gz:
        for number, item in enumerate(items, start=2):
            if isinstance(item, EncodedLines):  # a chunk of a streamed package
                counts.update(item.types)
                pending += item.lines
                gz.write(b"".join(pending))
                pending, size = [], 0
                continue
            if type(item) is EncodedRecord and not validate:
                counts[item.type] += 1
                pending.append(item.line)
                size += len(item.line)
                if size >= _CHUNK:
                    gz.write(b"".join(pending))
                    pending, size = [], 0
                continue
            if type(item) is EncodedRecord:
                data, line = json.loads(item.line), item.line
            elif isinstance(item, tuple):  # (data, its line): encoded once by the caller
                data, line = item
            else:
                data, line = item if isinstance(item, dict) else item.to_dict(), None
            check = quick.get(data.get("type", ""))
            if validate and (check is None or not check(data)):
                try:  # the reference check: accepts, or names the field
                    item_from_dict(data, manifest)
                except records.RecordError as exc:
                    raise PackageError(manifest.file_name, "record", str(exc), number) from None
            counts[str(data.get("type"))] += 1
            if line is None:
                line = dumps_line(data)
            pending.append(line)
            size += len(line)
            if size >= _CHUNK:  # batching writes keeps gzip calls few and memory bounded
                gz.write(b"".join(pending))
                pending, size = [], 0
        gz.write(b"".join(pending))
    return buffer.getvalue(), counts


def compress(manifest: Manifest, items: Iterable[SealInput],
             validate: bool = True) -> tuple[bytes, Manifest]:
    """Build the gzip plaintext; fill ``counts`` when empty, else check it; return both.

    The manifest is written as its own first gzip member, so the records can be streamed
    before their counts are known (RFC 1952 members concatenate; ``gzip -d`` joins them).
    """
    manifest.check(manifest.file_name)
    body, counts = _records_member(manifest, items, validate)
    actual = {k: v for k, v in counts.items() if v}
    declared = {k: v for k, v in manifest.counts.items() if v}
    if manifest.counts and declared != actual:
        raise PackageError(manifest.file_name, "manifest",
                           f"counts du manifeste {declared} ≠ enregistrements {actual}")
    if not manifest.counts:
        manifest = dataclasses.replace(manifest, counts=dict(sorted(actual.items())))
    head = gzip.compress(dumps_line(manifest.to_dict()), compresslevel=_GZIP_LEVEL, mtime=0)
    return head + body, manifest


def _recipients(recipients: Sequence[str | Recipient]) -> list[Recipient]:
    if not recipients:
        raise ValueError("at least one age recipient is required")
    return [recipient_from_str(r) if isinstance(r, str) else r for r in recipients]


def seal(manifest: Manifest, items: Iterable[SealInput],
         recipients: Sequence[str | Recipient], signing_key: minisign.SecretKey,
         validate: bool = True) -> tuple[bytes, str]:
    """Return (age-encrypted package, ``.minisig`` text) for the manifest and its records."""
    plaintext, manifest = compress(manifest, items, validate)
    encrypted = pyrage.encrypt(plaintext, _recipients(recipients))
    del plaintext
    return encrypted, sign_package(encrypted, manifest, signing_key)


def sign_package(encrypted: bytes, manifest: Manifest, signing_key: minisign.SecretKey) -> str:
    """Sign encrypted bytes with the trusted comment binding them to the manifest's file name."""
    return minisign.sign(encrypted, signing_key, manifest.trusted_comment(),
                         untrusted_comment=f"pcsauvegarde package {manifest.file_name}")


def write_package(drop_dir: str | os.PathLike, manifest: Manifest,
                  items: Iterable[SealInput], recipients: Sequence[str | Recipient],
                  signing_key: minisign.SecretKey, validate: bool = True) -> Path:
    """Seal and write ``<name>.age.minisig`` then ``<name>.age`` atomically; return the .age path.

    The signature goes first so that any reader that sees the ``.age`` finds its signature.
    """
    encrypted, signature = seal(manifest, items, recipients, signing_key, validate)
    target = Path(drop_dir) / manifest.file_name
    atomic_write(target.with_name(target.name + ".minisig"), signature.encode("utf-8"))
    atomic_write(target, encrypted)
    return target
