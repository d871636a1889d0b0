"""Route source files to their importer by extension and merge what they produce."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pcsauvegarde.core.records import Record
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options

EXTENSIONS = (".ndjson", ".json", ".hl7", ".csv")
IGNORED = "ignoré : extension inconnue"


def import_sources(paths: Iterable[Path], hl7_options: Hl7Options | None = None,
                   ignored: Counter[str] | None = None) -> tuple[list[Record], list[str]]:
    """FHIR (.ndjson, .json), HL7 v2 (.hl7), CSV catalogues (.csv) → (records, refusals).

    ``ignored``, when given, receives the counts of FHIR resources left out on purpose, per
    « type : reason » (see importers.fhir.ignored).

    A file of another extension holding HL7 v2 (``.txt``, ``.msg``…) is read as HL7 v2;
    any other file is reported « ignoré : extension inconnue ». A record key (type, id) seen
    in two sources keeps the last one read, in the order FHIR, HL7 v2, CSV (catalogues are
    the reference for their types).
    """
    from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
    from pcsauvegarde.publisher.importers.hl7v2.importer import import_hl7, looks_like_hl7

    files = [Path(p) for p in paths]
    by_ext = {ext: [p for p in files if p.name.lower().endswith(ext)] for ext in EXTENSIONS}
    merged: dict[tuple[str, str], Record] = {}
    refusals: list[str] = []
    for path in files:
        if path.name.lower().endswith(EXTENSIONS):
            continue
        if looks_like_hl7(_head(path)):
            by_ext[".hl7"].append(path)
        else:
            refusals.append(f"{path.name} : {IGNORED} (.ndjson, .json, .hl7 ou .csv attendus, "
                            "ou un fichier HL7 v2 commençant par MSH)")
    fhir_files = by_ext[".ndjson"] + by_ext[".json"]
    results = []
    if fhir_files:
        fhir = import_fhir(fhir_files)
        results.append(fhir.records)
        refusals += [r.message() for r in fhir.rejections]
        if ignored is not None:
            ignored.update(fhir.ignored)
    if by_ext[".hl7"]:
        hl7 = import_hl7(by_ext[".hl7"], hl7_options)
        results.append(hl7.records)
        refusals += [r.message() for r in hl7.rejections]
    if by_ext[".csv"]:
        csv = import_catalogues(by_ext[".csv"])
        results.append(csv.records)
        refusals += [r.message() for r in csv.rejections]
    for records in results:
        for record in records:
            merged[(record.TYPE, record.id)] = record
    return list(merged.values()), refusals


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(64)
    except OSError:
        return b""
