"""Route source files to their importer and merge what they produce (see intake.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from pcsauvegarde.core.records import Record
from pcsauvegarde.publisher.importers.hl7v2.identity import Hl7Options
from pcsauvegarde.publisher.intake import IGNORED, import_files

__all__ = ["IGNORED", "import_sources"]


def import_sources(paths: Iterable[Path], hl7_options: Hl7Options | None = None,
                   ignored: Counter[str] | None = None,
                   cleaned: Counter[str] | None = None) -> tuple[list[Record], list[str]]:
    """FHIR (.ndjson, .json), HL7 v2 (.hl7), CSV catalogues (.csv) → (records, refusals).

    ``ignored``, when given, receives the counts of FHIR resources left out on purpose, per
    « type : reason » (see importers.fhir.ignored); ``cleaned`` the number of fields per
    record type that lost control or bidi-override characters (``core.text``).

    A file of another extension holding HL7 v2 (``.txt``, ``.msg``…) is read as HL7 v2;
    any other file is reported « ignoré : extension inconnue ». A record key (type, id) seen
    in two sources keeps the last one read, in the order FHIR, HL7 v2, CSV (catalogues are
    the reference for their types). ``intake.import_files`` gives each file's verdict.
    """
    intake = import_files(paths, hl7_options=hl7_options)
    if ignored is not None:
        ignored.update(intake.ignored)
    if cleaned is not None:
        cleaned.update(intake.cleaned)
    return intake.records, intake.refusals
