"""What an export sends: a domain's current transcriptions, and the downtime admissions."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station import patients
from pcsauvegarde.station.reentry import transcription
from pcsauvegarde.station.reentry.transcription import Transcription
from pcsauvegarde.station.state.admissions import Admission
from pcsauvegarde.station.station import Station

# Formats each domain is exported in (the admin's download page lists them).
FORMATS = {"administration": ("csv", "fhir"), "lab": ("csv", "fhir"),
           "sterilisation": ("csv", "fhir"), "admission": ("csv", "fhir", "hl7"),
           "pharmacy": ("csv",)}


class ExportError(ValueError):
    """An export that cannot be made (French message)."""


@dataclass(frozen=True)
class Lines:
    """A domain's current lines: ``verified`` go to FHIR/HL7, ``pending`` are counted."""

    verified: list[Transcription]
    pending: list[Transcription]

    @property
    def all(self) -> list[Transcription]:
        return sorted(self.verified + self.pending, key=lambda t: t.id)


def lines(station: Station, domain: str) -> Lines:
    if domain not in transcription.DOMAINS:
        raise ExportError(f"domaine d'export inconnu : « {domain[:40]} »")
    found = transcription.current_of_domain(station, domain)
    return Lines([t for t in found if t.verified_by], [t for t in found if not t.verified_by])


def admissions(station: Station) -> list[Admission]:
    """Every downtime admission of this station, oldest first."""
    return sorted(patients.admissions_of(station).all(), key=lambda a: (a.admitted_at, a.ipp))


def merges(station: Station) -> dict[str, Transcription]:
    """Provisional IPP → its current merge line (verified or not)."""
    return {t.number: t for t in transcription.current_of_domain(station, "admission")}


def real_ipp(merged: dict[str, Transcription], ipp: str) -> str:
    """The IPP the restored systems know a patient by: the verified merge's, else ``ipp``."""
    t = merged.get(ipp)
    return t.data["real_ipp"] if t is not None and t.verified_by else ipp
