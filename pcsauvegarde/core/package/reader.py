"""Station side: verify the signature, decrypt, then stream and validate a package's records."""

from __future__ import annotations

import errno
import gzip
import io
import json
import marshal
import os
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, Self, overload

import orjson
import pyrage

from pcsauvegarde.core import record_check, records
from pcsauvegarde.core.fsutil import NotRegularFile, open_regular
from pcsauvegarde.core.package import minisign
from pcsauvegarde.core.package.age import Identity
from pcsauvegarde.core.package.errors import PackageError
from pcsauvegarde.core.package.limits import Guard, Limits, check_depth
from pcsauvegarde.core.package.manifest import (
    DELETED,
    Deletion,
    Item,
    Manifest,
    item_from_dict,
    parse_file_name,
    parse_trusted_comment,
)

DEFAULT_MAX_SIZE = 2 * 1024 ** 3  # bytes of the encrypted file
MAX_LINE = 8 * 1024 * 1024        # bytes of one NDJSON line, manifest included
_AGE_MAGIC = b"age-encryption.org/v1\n"
# orjson parses our lines 3.5x faster than scan_once (bench/parse.py: a third of the full
# ingest's CPU); whatever it refuses goes the reference way (json + French message)
Row = tuple[str, str, str, str | None, str | None]

PathLike = str | os.PathLike


@dataclass
class OpenedPackage:
    """An authenticated, decrypted package: manifest now, records streamed on demand.

    The package is only valid once :meth:`iter_records` has run to the end without error
    (the manifest counts are checked last); the store MUST NOT promote it before that.
    Opened with a ``workdir``, the decrypted stream lives in a file there, never whole in
    memory; :meth:`expand` checks everything and keeps the checked rows, so that the store's
    write lock is then held for writing only (nothing parsed or checked twice).
    :meth:`close` removes those files.
    """

    name: str
    manifest: Manifest
    signer: minisign.PublicKey
    trusted_comment: str
    size: int
    _compressed: bytes | Path = field(repr=False)
    limits: Limits = field(default_factory=Limits)
    _rows: Path | None = field(default=None, repr=False)  # what expand() checked and kept
    _started: float = field(default_factory=time.monotonic, repr=False)

    def _lines(self, copy_to: BinaryIO | None = None, max_lines: int | None = -1) -> _Lines:
        """The plaintext's lines, decompressed under the limits (size, ratio, time, line
        count)."""
        lim = self.limits
        if max_lines == -1:
            max_lines = 1 + sum(self.manifest.counts.values()) + lim.blank_lines
        if isinstance(self._compressed, Path):
            source: BinaryIO = open(self._compressed, "rb")
            size, disk = self._compressed.stat().st_size, self._compressed.parent
        else:
            source, size, disk = io.BytesIO(self._compressed), len(self._compressed), None
        guard = Guard(self.name, lim, size, disk, self._started)
        return _Lines(self.name, gzip.GzipFile(fileobj=source, mode="rb"), guard, max_lines,
                      copy_to, source)

    def expand(self, target: Path) -> None:
        """Check every record, the limits and the counts, keeping the checked rows in
        ``target``; afterwards :meth:`iter_rows` reads them from there (no decompression, no
        second parse or check, nothing to refuse)."""
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                for rows in self.iter_rows():
                    # one frame per batch: its length, then the rows in marshal's format
                    # (our own file, read back by _checked_rows only: twice as fast as JSON,
                    # whose escaping of every line's quotes is the cost)
                    frame = marshal.dumps(rows)
                    try:
                        out.write(len(frame).to_bytes(8, "little") + frame)
                    except OSError as exc:
                        code, why = (("disk", "disque plein") if exc.errno == errno.ENOSPC
                                     else ("format", str(exc)))
                        raise PackageError(self.name, code, f"décompression impossible ({why})"
                                           ) from None
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        self._rows = target

    def _checked_rows(self, path: Path) -> Iterator[list[Row]]:
        """The batches :meth:`expand` kept, as it wrote them."""
        with open(path, "rb") as f:
            while header := f.read(8):
                # written by expand() just before, 0600 in the station's workdir: trusted
                yield marshal.loads(f.read(int.from_bytes(header, "little")))  # noqa: S302

    def close(self) -> None:
        """Remove the files this package wrote in its workdir."""
        for path in (self._rows, self._compressed):
            if isinstance(path, Path):
                path.unlink(missing_ok=True)
        self._rows = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @overload
    def iter_records(self, raw: Literal[False] = False) -> Iterator[Item]: ...
    @overload
    def iter_records(self, raw: Literal[True]) -> Iterator[tuple[Item, str]]: ...

    def iter_records(self, raw: bool = False) -> Iterator[Item] | Iterator[tuple[Item, str]]:
        """Yield each validated Record or Deletion; raise PackageError with the line number.

        With ``raw=True`` yield ``(item, line)`` pairs, the line being the record's JSON text
        as received, so a store can keep it without encoding the record again.
        """
        counts: Counter = Counter()
        domain, from_dict = self.manifest.domain, records.record_from_dict
        with self._lines() as lines:
            lines.next()  # the manifest, parsed at open time
            while (line := lines.next()) is not None:
                text, data = _json(self.name, line, lines.number, "record",
                                   self.limits.max_depth)
                try:
                    # the common case inline (a record of the domain); item_from_dict otherwise
                    item: Item
                    if type(data) is dict and data.get("type") != DELETED:
                        record = from_dict(data)
                        # a record of another domain: item_from_dict raises, same message
                        item = (record if record.DOMAIN == domain
                                else item_from_dict(data, self.manifest))
                    else:
                        item = item_from_dict(data, self.manifest)
                except records.RecordError as exc:
                    raise PackageError(self.name, "record", str(exc), lines.number) from None
                counts[data["type"]] += 1
                yield (item, text.strip()) if raw else item
        self._check_counts(counts)

    def iter_rows(self, copy_to: BinaryIO | None = None) -> Iterator[list[Row]]:
        """Yield the records as batches of store rows, validated like :meth:`iter_records`.

        A row is ``(type, id, domain, ipp, line)``, ``line`` being the record's JSON text as
        received; a deletion is ``(record_type, id, domain, None, None)``. Every record is
        validated: a quick generated check accepts the common case without building the
        record, anything else goes through ``item_from_dict`` (same errors, same line).
        """
        if self._rows is not None and copy_to is None:  # checked whole by expand()
            yield from self._checked_rows(self._rows)
            return
        counts: Counter = Counter()
        name, domain = self.name, self.manifest.domain
        quick = record_check.quick_checks(domain)
        quick_short, short = record_check.quick_checks(domain, short=True), record_check.SHORT_LINE
        ipp_of = {t: record_check.ipp_field(t) for t in records.types_of_domain(domain)}
        loads, first_item = orjson.loads, itemgetter(0)
        max_depth = self.limits.max_depth
        # a type whose accepted objects could nest deeper than the limit: reference path
        deep = {t for t in quick if record_check.nesting(records.RECORD_TYPES[t]) > max_depth}
        quick = {t: c for t, c in quick.items() if t not in deep}
        quick_short = {t: c for t, c in quick_short.items() if t not in deep}
        declared = self.manifest.counts
        with self._lines(copy_to) as lines:
            lines.next()  # the manifest, parsed at open time
            while (block := lines.block()) is not None:
                first, raws = block
                try:  # one decode per block; a bad byte is found line by line below
                    texts: Sequence[str | None] = b"\n".join(raws).decode("utf-8").split("\n")
                except UnicodeDecodeError:
                    texts = [None] * len(raws)  # then line by line, each with its message
                rows: list[Row] = []
                for number, text in enumerate(texts, start=first):
                    # no depth check before orjson: it parses in C (no recursion to exhaust,
                    # its own limit at 1024 levels); an accepted record's nesting is bounded by
                    # its type (record_check.nesting), the others are checked below
                    try:
                        data = loads(text) if text is not None else None
                        plain = text is not None and text[:1] == "{" and text[-1:] == "}"
                    except ValueError:  # json.loads below gives the error
                        data, plain = None, False
                    if not plain or text is None:  # blank, spaces, invalid, not UTF-8…
                        raw = raws[number - first]
                        if not raw.strip():
                            continue
                        text, data = _json(name, raw, number, "record", max_depth)
                        text = text.strip()
                    if type(data) is dict:
                        kind = data.get("type", "")
                        check = (quick_short if len(text) <= short else quick).get(kind)
                        if check is not None and check(data):
                            field = ipp_of[kind]
                            rows.append((kind, data["id"], domain,
                                         data.get(field) if field else None, text))
                            continue
                    check_depth(name, text, max_depth, number)  # the message, if too deep
                    rows.append(self._checked_row(data, text, number, counts))
                counts.update(map(first_item, rows))  # counted in C, not line by line
                over = [k for k, v in counts.items() if v > declared.get(k, 0)]
                if over:  # a lying manifest is caught now, not after writing it all
                    said = ", ".join(f"{k} : {declared.get(k, 0)} annoncé(s)"
                                     for k in sorted(over))
                    raise PackageError(name, "counts", "plus d'enregistrements que le manifeste "
                                       f"n'en annonce ({said})", lines.number)
                if rows:
                    yield rows
        self._check_counts(counts)

    def _checked_row(self, data: object, text: str, number: int, counts: Counter) -> Row:
        """The row of a line the quick check left aside: item_from_dict accepts or explains."""
        try:
            item = item_from_dict(data, self.manifest)
        except records.RecordError as exc:
            raise PackageError(self.name, "record", str(exc), number) from None
        if isinstance(item, Deletion):  # counted as "deleted", not as its record type
            counts[DELETED] += 1
            counts[item.record_type] -= 1
            return (item.record_type, item.id, self.manifest.domain, None, None)
        ipp = item.id if item.TYPE == "patient" else getattr(item, "ipp", None)
        return (item.TYPE, item.id, self.manifest.domain, ipp, text)

    def _check_counts(self, counts: dict[str, int]) -> None:
        declared = {k: v for k, v in self.manifest.counts.items() if v}
        actual = {k: v for k, v in counts.items() if v}
        if declared != actual:
            diff = ", ".join(f"{k} : {declared.get(k, 0)} annoncé(s), {actual.get(k, 0)} reçu(s)"
                             for k in sorted(set(declared) | set(actual))
                             if declared.get(k, 0) != actual.get(k, 0))
            raise PackageError(self.name, "manifest",
                               f"nombre d'enregistrements incorrect ({diff})")

    def read_records(self) -> list[Item]:
        """All records as a list (convenience for small packages and tests)."""
        return list(self.iter_records())


class _Lines:
    """Line reader over the plaintext mapping gzip failures to PackageError; with a guard,
    every block is counted against the limits before it is split into lines."""

    def __init__(self, name: str, stream: IO[bytes] | gzip.GzipFile, guard: Guard | None = None,
                 max_lines: int | None = None, copy_to: BinaryIO | None = None,
                 source: BinaryIO | None = None):
        self.name = name
        self.number = 0
        self._gz = stream
        self._source = source  # the compressed file under the gzip stream, closed with it
        self._guard = guard
        self._max_lines = max_lines
        self._copy_to = copy_to
        self._produced = 0  # lines cut so far, blank ones included
        # Lines are cut from 1 MiB blocks: one readline() call per line costs more than
        # parsing the line's JSON for small records.
        self._lines: list[bytes] = []
        self._at = 0
        self._rest = b""
        self._eof = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._gz.close()
        if self._source is not None:
            self._source.close()

    def block(self) -> tuple[int, list[bytes]] | None:
        """(number of its first line, the lines) of the rest of the current block, or None
        at the end of the stream; blank lines included, the caller skips them."""
        if self._at == len(self._lines) and not self._fill():
            return None
        first = self.number + 1
        block = self._lines[self._at:] if self._at else self._lines
        self._at = len(self._lines)
        self.number += len(block)
        return first, block

    def next(self) -> bytes | None:
        """The next non-empty line (without its newline), or None at the end of the stream."""
        while True:
            if self._at == len(self._lines) and not self._fill():
                return None
            raw = self._lines[self._at]
            self._at += 1
            self.number += 1
            if raw.strip():
                return raw

    def _fill(self) -> bool:
        """Read the next block into complete lines; False at the end of the stream."""
        while not self._eof:
            try:
                block = self._gz.read(1 << 20)
            except EOFError:
                raise PackageError(self.name, "truncated", "données compressées tronquées "
                                   "(fin du flux gzip manquante)", self.number + 1) from None
            except (gzip.BadGzipFile, zlib.error, OSError) as exc:
                raise PackageError(self.name, "format", f"flux gzip invalide ({exc})",
                                   self.number + 1) from None
            if self._guard is not None:
                self._guard.produced(len(block), self.number + 1)
            if self._copy_to is not None and block:
                try:
                    self._copy_to.write(block)
                except OSError as exc:
                    code, why = (("disk", "disque plein") if exc.errno == errno.ENOSPC
                                 else ("format", str(exc)))
                    raise PackageError(self.name, code, f"décompression impossible ({why})",
                                       self.number + 1) from None
            if not block:
                self._eof = True
                lines = [self._rest] if self._rest else []
            else:
                lines = (self._rest + block).split(b"\n")
                self._rest = lines.pop()
            if len(self._rest) > MAX_LINE or any(len(x) > MAX_LINE for x in lines):
                raise PackageError(self.name, "format", f"ligne trop longue (plus de {MAX_LINE} "
                                   "octets)", self.number + 1)
            self._produced += len(lines)
            if self._max_lines is not None and self._produced > self._max_lines:
                raise PackageError(self.name, "line_count", "plus de lignes que le manifeste "
                                   f"n'annonce d'enregistrements ({self._max_lines} au plus)",
                                   self._max_lines + 1)
            if lines:
                self._lines, self._at = lines, 0
                return True
        return False


def _json(name: str, raw: bytes, number: int, reason: str,
          max_depth: int = Limits.max_depth) -> tuple[str, Any]:
    """(the line as text, its JSON value); nesting beyond ``max_depth`` refused unparsed."""
    try:
        text = raw.decode("utf-8")
        check_depth(name, text, max_depth, number)
        return text, json.loads(text)
    except UnicodeDecodeError:
        raise PackageError(name, "format", "texte non UTF-8", number) from None
    except RecursionError:  # belt and braces: check_depth refuses it first
        raise PackageError(name, "depth", "JSON imbriqué trop profondément", number) from None
    except ValueError as exc:
        raise PackageError(name, reason, f"JSON invalide ({exc.args[0]})", number) from None


def _read_bounded(path: Path, name: str, max_size: int) -> bytes:
    try:
        with open_regular(path) as f:
            size = _checked_size(f, name, max_size)
            data = f.read(max_size + 1)
    except FileNotFoundError:
        raise PackageError(name, "missing", "fichier introuvable") from None
    except NotRegularFile as exc:
        raise PackageError(name, "file_type", str(exc)) from None
    if len(data) > max_size or len(data) != size:  # grew while we read it
        raise PackageError(name, "size", f"fichier modifié pendant la lecture (limite "
                           f"{max_size} octets)")
    return data


def _checked_size(f: BinaryIO, name: str, max_size: int) -> int:
    size = os.fstat(f.fileno()).st_size
    if size == 0:
        raise PackageError(name, "size", "fichier vide (0 octet)")
    if size > max_size:
        raise PackageError(name, "size", f"fichier trop gros ({size} octets, limite {max_size})")
    return size


def _read_signature(sig_path: Path, name: str) -> str:
    try:
        with open_regular(sig_path) as f:  # a FIFO or a link here must not hang nor leak
            raw = f.read(minisign.MAX_SIG_FILE + 1)
    except FileNotFoundError:
        raise PackageError(name, "missing", f"signature absente (fichier « {sig_path.name} » "
                           "introuvable) : paquet refusé") from None
    except NotRegularFile as exc:
        raise PackageError(name, "signature", f"signature refusée : {exc}") from None
    except OSError as exc:
        raise PackageError(name, "signature", f"signature illisible ({exc.strerror})") from None
    if len(raw) > minisign.MAX_SIG_FILE:
        raise PackageError(name, "signature", "fichier de signature trop gros")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageError(name, "signature",
                           "fichier de signature illisible (non UTF-8)") from None


def _check_trusted_comment(name: str, comment: str, parts: dict) -> None:
    fields = parse_trusted_comment(comment)
    if fields.get("file") != name:
        raise PackageError(name, "signature", "signature faite pour un autre fichier "
                           f"(« {fields.get('file', '?')} ») : rejeu refusé")
    for key, value in parts.items():
        if fields.get(key) != str(value):
            raise PackageError(name, "signature", f"commentaire de confiance incohérent ({key})")


def _decrypt(name: str, data: bytes, identities: list[Identity]) -> bytes:
    if not data.startswith(_AGE_MAGIC):
        raise PackageError(name, "format", "ce n'est pas un fichier chiffré au format age")
    try:
        return pyrage.decrypt(data, identities)
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise PackageError(name, "decrypt", "paquet chiffré pour une autre station ou clé "
                               "de station incorrecte") from None
        raise PackageError(name, "decrypt", f"fichier age corrompu ou incomplet ({exc})") from None


def _decrypt_file(name: str, path: Path, target: Path, identities: list[Identity]) -> Path:
    """Decrypt ``path`` into ``target`` as a stream (memory stays flat whatever the size)."""
    with open_regular(path) as f:
        if f.read(len(_AGE_MAGIC)) != _AGE_MAGIC:
            raise PackageError(name, "format", "ce n'est pas un fichier chiffré au format age")
    target.unlink(missing_ok=True)
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
    try:
        pyrage.decrypt_file(str(path), str(target), identities)
    except pyrage.DecryptError as exc:
        target.unlink(missing_ok=True)
        if "no matching keys" in str(exc).lower():
            raise PackageError(name, "decrypt", "paquet chiffré pour une autre station ou clé "
                               "de station incorrecte") from None
        raise PackageError(name, "decrypt", f"fichier age corrompu ou incomplet ({exc})") from None
    except OSError as exc:
        target.unlink(missing_ok=True)
        code, why = ("disk", "disque plein") if exc.errno == errno.ENOSPC else ("decrypt", exc)
        raise PackageError(name, code, f"déchiffrement impossible ({why})") from None
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def open_package(path: PathLike, pinned_pubkeys: Sequence[minisign.PublicKey],
                 identity: Identity | Sequence[Identity], *,
                 station: str | Sequence[str] | None = None, name: str | None = None,
                 sig_path: PathLike | None = None,
                 max_size: int = DEFAULT_MAX_SIZE, workdir: PathLike | None = None,
                 limits: Limits | None = None) -> OpenedPackage:
    """Authenticate then decrypt a package; records are checked by ``iter_records()``.

    Order: file name, size, signature over the encrypted bytes (before any decryption),
    trusted comment bound to the file name, age decryption, gzip, manifest vs file name.
    ``name`` is the package's published file name when ``path`` is a temporary copy;
    ``station`` (this station's id, or the ids it accepts: its own and its scope groups)
    refuses packages named for another station.
    """
    path = Path(path)
    name = name or path.name
    parts = parse_file_name(name)
    accepted = (station,) if isinstance(station, str) else tuple(station or ())
    if station is not None and parts["station"] not in accepted:
        raise PackageError(name, "name", f"paquet destiné à la station « {parts['station']} »,"
                           f" pas à « {' / '.join(accepted)} »")
    sig_file = Path(sig_path) if sig_path else path.with_name(path.name + ".minisig")
    limits = limits or Limits()
    started = time.monotonic()
    identities = [identity] if isinstance(identity, Identity) else list(identity)
    sig_text = _read_signature(sig_file, name)
    compressed: bytes | Path
    if workdir is None:  # small packages, tools and tests: all in memory
        data = _read_bounded(path, name, max_size)
        signer = minisign.verify(data, sig_text, pinned_pubkeys, name)
        size = len(data)
    else:  # the station: streamed from disk to disk, hashed and decrypted in chunks
        try:
            with open_regular(path) as f:
                size = _checked_size(f, name, max_size)
        except FileNotFoundError:
            raise PackageError(name, "missing", "fichier introuvable") from None
        except NotRegularFile as exc:
            raise PackageError(name, "file_type", str(exc)) from None
        signer = minisign.verify_file(path, sig_text, pinned_pubkeys, name)
    comment = minisign.Signature.parse(sig_text, name).trusted_comment
    _check_trusted_comment(name, comment, parts)
    if workdir is None:
        compressed = _decrypt(name, data, identities)
        del data  # keep one copy only: the compressed plaintext
    else:
        compressed = _decrypt_file(name, path, Path(workdir) / f".{name}.gz", identities)
    opened = OpenedPackage(name, None, signer, comment, size, compressed,  # type: ignore[arg-type]
                           limits, _started=started)
    try:
        opened.manifest = _read_manifest(opened, parts)
    except BaseException:
        opened.close()
        raise
    return opened


def _read_manifest(opened: OpenedPackage, parts: dict) -> Manifest:
    """The first line, checked against the file name (limits apply from the first byte)."""
    name = opened.name
    with opened._lines(max_lines=None) as lines:
        raw = lines.next()
        if raw is None:
            raise PackageError(name, "manifest", "paquet vide : manifeste absent")
        manifest = Manifest.from_dict(_json(name, raw, lines.number, "manifest",
                                            opened.limits.max_depth)[1], name)
    for key, value in parts.items():
        if getattr(manifest, key) != value:
            raise PackageError(name, "manifest", f"manifeste : {key} « {getattr(manifest, key)} »"
                               f" ne correspond pas au nom du fichier (« {value} »)")
    return manifest


def read_package(path: PathLike, pinned_pubkeys: Sequence[minisign.PublicKey],
                 identity: Identity | Sequence[Identity],
                 **options: object) -> tuple[Manifest, list[Item]]:
    """Open and fully validate a package; return its manifest and all its records."""
    opened = open_package(path, pinned_pubkeys, identity, **options)  # type: ignore[arg-type]
    return opened.manifest, opened.read_records()
