"""Export folders → the mirror: only new or changed files are read, each as its kind says.

A file is looked at again only when its size or modification time moved, and parsed only
when its content digest (BLAKE2b) changed. Then:
- FHIR (.ndjson, .json, .ndjson.gz): new or newer resources (``meta.lastUpdated``) are mapped in
  the context of everything read before (Bulk Data ``_since`` exports, bundles);
- HL7 v2 (.hl7, or any file starting with MSH): messages are events, replayed onto the state
  earlier messages left (a cancel or a merge removes what it undoes);
- CSV catalogues (.csv): a snapshot of their types; when one changes the set is read again
  (trays join their compositions across files) and what it no longer lists is deleted.
A file removed from the folder deletes nothing (exports are archived, not retracted). Files
still being written (modified less than ``settle`` seconds ago, or named ``.*``, ``*.tmp``,
``*.part``) wait for the next scan.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues
from pcsauvegarde.publisher.importers.fhir.session import FhirSession
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options
from pcsauvegarde.publisher.importers.hl7v2.importer import looks_like_hl7
from pcsauvegarde.publisher.importers.hl7v2.session import Hl7Session
from pcsauvegarde.publisher.mirror import Mirror
from pcsauvegarde.publisher.state import Key

FHIR_SUFFIXES = (".ndjson", ".json", ".jsonl", ".ndjson.gz", ".jsonl.gz")
KINDS = (("fhir", FHIR_SUFFIXES), ("hl7", (".hl7",)), ("csv", (".csv",)))


@dataclass
class Refresh:
    """What one scan read and changed; refusals are French lines naming file and place."""

    files: int = 0
    unchanged_files: int = 0
    changed: int = 0
    removed: int = 0
    rejections: list[str] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)
    imported: Counter[str] = field(default_factory=Counter)
    """Records read from the files, per type (changed or not)."""


def kind_of(path: Path) -> str | None:
    """fhir, hl7 or csv by extension; another file starting with MSH is HL7 v2 too."""
    name = path.name.lower()
    for kind, suffixes in KINDS:
        if name.endswith(suffixes):
            return kind
    try:
        with open(path, "rb") as f:
            return "hl7" if looks_like_hl7(f.read(64)) else None
    except OSError:
        return None


class SourceInputs:
    """The export files known so far (stat and digest) and the importer sessions fed by them."""

    def __init__(self, mirror: Mirror, settle: float = 1.0,
                 hl7_options: Hl7Options | None = None) -> None:
        self.mirror = mirror
        self.settle = settle
        self.stats: dict[Path, tuple[int, int]] = {}
        self.digests: dict[Path, bytes] = {}
        self.fhir = FhirSession()
        self.hl7 = Hl7Session(hl7_options)
        self.csv_keys: set[Key] = set()

    def scan(self, roots: Iterable[Path]) -> list[Path]:
        """Files whose size or time moved since last seen, oldest first; settled ones only."""
        now = time.time()
        moved = []
        for path in _files(roots):
            try:
                st = path.stat()
            except OSError:
                continue  # gone between listing and stat: the next scan decides
            if now - st.st_mtime < self.settle:
                continue
            stat = (st.st_size, st.st_mtime_ns)
            if self.stats.get(path) != stat:
                moved.append((st.st_mtime_ns, str(path), path, stat))
        moved.sort()
        for _, _, path, stat in moved:
            self.stats[path] = stat
        return [path for _, _, path, _ in moved]

    def refresh(self, roots: Iterable[Path]) -> Refresh:
        """Scan ``roots`` and bring every changed file into the mirror."""
        report = Refresh()
        by_kind: dict[str, list[Path]] = {kind: [] for kind, _ in KINDS}
        for path in self.scan(roots):
            kind = kind_of(path)
            try:
                data_digest = _file_digest(path)
            except OSError as exc:
                report.rejections.append(f"{path.name} : fichier illisible ({exc.strerror})")
                self.stats.pop(path, None)  # read again next time
                continue
            if self.digests.get(path) == data_digest:
                report.unchanged_files += 1
                continue
            self.digests[path] = data_digest
            if kind is None:
                report.rejections.append(f"{path.name} : ignoré : extension inconnue "
                                         "(.ndjson, .json, .hl7 ou .csv attendus, ou un "
                                         "fichier HL7 v2 commençant par MSH)")
                continue
            by_kind[kind].append(path)
            report.files += 1
        if by_kind["fhir"]:
            changes = self.fhir.apply(by_kind["fhir"])
            report.imported.update(r.TYPE for r in changes.result.records)
            report.changed += self.mirror.upsert(changes.result.records)
            report.removed += self.mirror.remove(changes.gone)
            report.rejections += [r.message() for r in changes.result.rejections]
            report.ignored.update(changes.result.ignored)
        if by_kind["hl7"]:
            result, gone = self.hl7.apply(by_kind["hl7"])
            report.imported.update(r.TYPE for r in result.records)
            report.changed += self.mirror.upsert(result.records)
            report.removed += self.mirror.remove(gone)
            report.rejections += [r.message() for r in result.rejections]
        if by_kind["csv"]:
            self._catalogues(report)
        return report

    def _catalogues(self, report: Refresh) -> None:
        paths = sorted(p for p in self.digests if kind_of(p) == "csv" and p.exists())
        result = import_catalogues(paths)
        keys = {(r.TYPE, r.id) for r in result.records}
        report.imported.update(r.TYPE for r in result.records)
        report.changed += self.mirror.upsert(result.records)
        report.removed += self.mirror.remove(self.csv_keys - keys)
        self.csv_keys = keys
        report.rejections += [r.message() for r in result.rejections]


def _files(roots: Iterable[Path]) -> list[Path]:
    found = []
    for root in roots:
        root = Path(root)
        if root.is_file():
            found.append(root)
            continue
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [Path(folder) / n for n in names
                      if not n.startswith(".") and not n.endswith((".tmp", ".part"))]
    return found


def _file_digest(path: Path) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.digest()
