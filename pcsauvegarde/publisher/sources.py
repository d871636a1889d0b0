"""Route source files to their importer by extension and merge what they produce."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pcsauvegarde.core.records import Record


def import_sources(paths: Iterable[Path], ignored: Counter[str] | None = None
                   ) -> tuple[list[Record], list[str]]:
    """FHIR (.ndjson, .json), HL7 v2 (.hl7), CSV catalogues (.csv) → (records, refusals).

    ``ignored``, when given, receives the counts of FHIR resources left out on purpose, per
    « type : reason » (see importers.fhir.ignored).

    Other files are ignored (``intake.import_files`` gives each file's verdict). A record key
    (type, id) seen in two sources keeps the last one read, in the order FHIR, HL7 v2, CSV.
    """
    from pcsauvegarde.publisher.intake import import_files

    intake = import_files(paths)
    if ignored is not None:
        ignored.update(intake.ignored)
    return intake.records, intake.refusals
