"""Route source files to their importer by extension and merge what they produce."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pcsauvegarde.core.records import Record


def import_sources(paths: Iterable[Path], ignored: Counter[str] | None = None,
                   cleaned: Counter[str] | None = None) -> tuple[list[Record], list[str]]:
    """FHIR (.ndjson, .json), HL7 v2 (.hl7), CSV catalogues (.csv) → (records, refusals).

    ``ignored``, when given, receives the counts of FHIR resources left out on purpose, per
    « type : reason » (see importers.fhir.ignored); ``cleaned`` the number of fields per
    record type that lost control or bidi-override characters (``core.text``).

    Other files are ignored. A record key (type, id) seen in two sources keeps the last one
    read, in the order FHIR, HL7 v2, CSV (catalogues are the reference for their types).
    """
    from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir
    from pcsauvegarde.publisher.importers.hl7v2.importer import import_hl7

    files = [Path(p) for p in paths]
    by_ext = {ext: [p for p in files if p.name.lower().endswith(ext)]
              for ext in (".ndjson", ".json", ".hl7", ".csv")}
    merged: dict[tuple[str, str], Record] = {}
    refusals: list[str] = []
    fhir_files = by_ext[".ndjson"] + by_ext[".json"]
    results = []
    if fhir_files:
        fhir = import_fhir(fhir_files)
        results.append(fhir.records)
        refusals += [r.message() for r in fhir.rejections]
        if ignored is not None:
            ignored.update(fhir.ignored)
        if cleaned is not None:
            cleaned.update(fhir.cleaned)
    for importer, ext in ((import_hl7, ".hl7"), (import_catalogues, ".csv")):
        if by_ext[ext]:
            result = importer(by_ext[ext])
            results.append(result.records)
            refusals += [r.message() for r in result.rejections]
            if cleaned is not None:
                cleaned.update(result.cleaned)
    for records in results:
        for record in records:
            merged[(record.TYPE, record.id)] = record
    return list(merged.values()), refusals
