"""Import every source file and say, file by file, what became of it (the publisher's verdicts).

An operator reading ``publish`` output or a cron mail MUST learn why a file gave nothing: an
unknown extension, a missing column, a mis-encoded header, refused lines. Each file gets one
verdict: records read, refused, columns ignored, or the reason it was refused whole.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pcsauvegarde.core.records import Record
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options

FORMATS = {"fhir": (".ndjson", ".jsonl", ".json", ".ndjson.gz", ".jsonl.gz", ".json.gz"),
           "hl7": (".hl7",), "csv": (".csv",)}
FORMAT_NAMES = {"fhir": "FHIR R4", "hl7": "HL7 v2", "csv": "CSV"}
IGNORED = "ignoré : extension inconnue"
UNKNOWN = (f"{IGNORED} (.ndjson, .json, .hl7 ou .csv attendus, ou un fichier HL7 v2 "
           "commençant par MSH)")


@dataclass
class FileVerdict:
    """What one input file gave."""

    path: Path
    format: str = ""                 # fhir | hl7 | csv; empty: not a source file
    read: int = 0                    # resources, messages or data lines read
    refusals: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # HL7 messages applied in part
    ignored_columns: list[str] = field(default_factory=list)
    refused_whole: str = ""          # why the whole file was refused
    seconds: float = 0.0             # time of its format's import, shared by its files

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        """One French line: the verdict as printed by ``publish``."""
        name = self.path.name
        if not self.format:
            return f"{name} : {UNKNOWN}"
        if self.refused_whole:
            return f"{name} : REFUSÉ — {self.refused_whole}"
        text = (f"{name} ({FORMAT_NAMES[self.format]}) : {self.read} lu(s), "
                f"{len(self.refusals)} refusé(s)")
        if self.warnings:
            text += f", {len(self.warnings)} appliqué(s) en partie"
        if self.seconds > 0:
            text += f", {_number(self.rate)}/s"
        if self.ignored_columns:
            text += (" ; colonne(s) inconnue(s) ignorée(s) : "
                     + ", ".join(f"« {c} »" for c in self.ignored_columns))
        return text

    @property
    def ok(self) -> bool:
        return (bool(self.format) and not self.refused_whole and not self.refusals
                and not self.warnings)


@dataclass
class Intake:
    """Records merged from every file, and a verdict per file."""

    records: list[Record]
    files: list[FileVerdict]
    ignored: Counter[str] = field(default_factory=Counter)   # deliberately not imported
    cleaned: Counter[str] = field(default_factory=Counter)   # fields stripped (core.text)

    @property
    def refusals(self) -> list[str]:
        """Every refusal, warning and unknown file, file by file, in input order."""
        return [m for f in self.files
                for m in (f.refusals + f.warnings if f.format
                          else [f"{f.path.name} : {UNKNOWN}"])]

    @property
    def clean(self) -> bool:
        """Every file understood and every line taken."""
        return all(f.ok for f in self.files)


def format_of(path: Path) -> str:
    """The format by extension; a file of another extension holding HL7 v2 (``.txt``,
    ``.msg``…) is HL7 v2; "" for anything else."""
    from pcsauvegarde.publisher.importers.hl7v2.importer import looks_like_hl7

    name = path.name.lower()
    by_name = next((fmt for fmt, exts in FORMATS.items() if name.endswith(exts)), "")
    if by_name:
        return by_name
    try:
        with path.open("rb") as handle:
            return "hl7" if looks_like_hl7(handle.read(64)) else ""
    except OSError:
        return ""


def import_files(paths: Iterable[Path],
                 progress: Callable[[FileVerdict], None] | None = None,
                 hl7_options: Hl7Options | None = None) -> Intake:
    """Import FHIR, HL7 v2 and CSV files (each format's files together: they reference each
    other) and return the merged records with one verdict per file, in input order.

    A record key (type, id) seen in two formats keeps the last one read, in the order FHIR,
    HL7 v2, CSV (catalogues are the reference for their types). ``progress`` is called with
    each file's verdict as soon as its format is imported.
    """
    from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
    from pcsauvegarde.publisher.importers.hl7v2.importer import PARTIAL, import_hl7

    verdicts = [FileVerdict(Path(p), format_of(Path(p))) for p in paths]
    merged: dict[tuple[str, str], Record] = {}
    ignored: Counter[str] = Counter()
    cleaned: Counter[str] = Counter()
    importers: tuple[tuple[str, Callable[[list[Path]], Any]], ...] = (
        ("fhir", import_fhir), ("hl7", lambda files: import_hl7(files, hl7_options)),
        ("csv", import_catalogues))
    for fmt, importer in importers:
        mine = [v for v in verdicts if v.format == fmt]
        if not mine:
            continue
        started = time.perf_counter()
        result = importer([v.path for v in mine])
        seconds = time.perf_counter() - started
        by_name = {v.path.name: v for v in mine}
        for rejection in result.rejections:
            verdict = by_name.get(rejection.file)
            if verdict is None:
                continue
            if getattr(rejection, "line", None) == 0 and fmt == "csv":
                verdict.refused_whole = rejection.reason_fr
            message = rejection.message()
            (verdict.warnings if PARTIAL in message else verdict.refusals).append(message)
        for name, columns in getattr(result, "ignored_columns", {}).items():
            if name in by_name:
                by_name[name].ignored_columns = list(columns)
        ignored.update(getattr(result, "ignored", {}))
        cleaned.update(getattr(result, "cleaned", {}))
        for verdict in mine:
            verdict.read = count_items(verdict.path, fmt)
            verdict.seconds = seconds
            if progress is not None:
                progress(verdict)
        for record in result.records:
            merged[(record.TYPE, record.id)] = record
    for verdict in verdicts:
        if not verdict.format and progress is not None:
            progress(verdict)
    return Intake(list(merged.values()), verdicts, ignored, cleaned)


def count_items(path: Path, fmt: str) -> int:
    """Resources (FHIR), messages (HL7 v2) or non-empty data lines (CSV) in a file."""
    try:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return 0
    if fmt == "hl7":
        return sum(1 for seg in data.replace(b"\r\n", b"\r").replace(b"\n", b"\r").split(b"\r")
                   if seg.lstrip(b"\x0b").startswith(b"MSH"))
    lines = [line for line in data.splitlines() if line.strip()]
    if fmt == "csv":
        return max(len(lines) - 1, 0)
    if path.name.lower().removesuffix(".gz").endswith(".json"):
        try:
            bundle = json.loads(data)
        except ValueError:
            return len(lines)
        if isinstance(bundle, dict) and isinstance(bundle.get("entry"), list):
            return len(bundle["entry"])
        return 1
    return len(lines)


def _number(value: float) -> str:
    """12 345 with a narrow no-break space, as French text writes thousands."""
    return f"{value:,.0f}".replace(",", "\u202f")
