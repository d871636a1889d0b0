"""The package manifest, deletion lines, file naming and the signed trusted comment."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from pcsauvegarde.core import records
from pcsauvegarde.core.package.errors import PackageError

FORMAT = "pcsauvegarde/1"
KINDS = ("full", "delta")
DELETED = "deleted"
STATION_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
NAME_RE = re.compile(r"(?P<station>[a-z0-9][a-z0-9-]{0,62})\.(?P<domain>[a-z]+)\."
                     r"(?P<kind>full|delta)\.(?P<sequence>\d{10})\.age")
_ID_RE = re.compile(r"[^\x00-\x1f\x7f]{1,128}")  # same rule as records' ids
_FIELDS = ("format", "kind", "domain", "station", "source", "extracted_at", "sequence",
           "base_sequence", "counts")
MAX_SEQUENCE = 9_999_999_999  # ten digits in the file name


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Manifest:
    """Line 1 of a package: what it contains, for whom, from when; see docs/package-format.md."""

    kind: str
    domain: str
    station: str
    source: str
    extracted_at: dt.datetime
    sequence: int
    base_sequence: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    format: str = FORMAT

    @property
    def file_name(self) -> str:
        """``<station>.<domain>.<kind>.<sequence:010d>.age``."""
        return f"{self.station}.{self.domain}.{self.kind}.{self.sequence:010d}.age"

    def allowed_types(self) -> tuple[str, ...]:
        extra = (DELETED,) if self.kind == "delta" else ()
        return records.types_of_domain(self.domain) + extra

    def check(self, name: str = "manifeste") -> None:
        """Raise PackageError (reason ``manifest``) naming the first invalid field."""
        def bad(detail: str) -> PackageError:
            return PackageError(name, "manifest", f"manifeste : {detail}")
        if self.format != FORMAT:
            raise bad(f"format « {self.format} » non pris en charge (attendu « {FORMAT} »)")
        if self.kind not in KINDS:
            raise bad(f"kind « {self.kind} » invalide (full ou delta)")
        if self.domain not in records.DOMAINS:
            raise bad(f"domaine « {self.domain} » inconnu")
        if not isinstance(self.station, str) or not STATION_RE.fullmatch(self.station):
            raise bad(f"identifiant de station « {self.station} » invalide")
        if not isinstance(self.source, str) or len(self.source) > 200 \
                or not _ID_RE.fullmatch(self.source):
            raise bad("source vide, trop longue ou avec caractères de contrôle")
        if not isinstance(self.extracted_at, dt.datetime) or self.extracted_at.tzinfo is None:
            raise bad("extracted_at doit être une date-heure UTC")
        if not _is_int(self.sequence) or not 1 <= self.sequence <= MAX_SEQUENCE:
            raise bad(f"sequence « {self.sequence} » invalide (entier de 1 à {MAX_SEQUENCE})")
        if self.kind == "full" and self.base_sequence is not None:
            raise bad("base_sequence doit être vide pour un paquet complet")
        if self.kind == "delta" and not (_is_int(self.base_sequence)
                                         and 1 <= self.base_sequence < self.sequence):
            raise bad("base_sequence obligatoire pour un delta, entre 1 et sequence - 1")
        if not isinstance(self.counts, dict):
            raise bad("counts doit être un objet type → nombre")
        allowed = self.allowed_types()
        for key, value in self.counts.items():
            if key not in allowed:
                raise bad(f"counts : type « {key} » hors du domaine {self.domain}")
            if not _is_int(value) or value < 0:
                raise bad(f"counts : nombre invalide pour « {key} »")

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "kind": self.kind, "domain": self.domain,
                "station": self.station, "source": self.source,
                "extracted_at": records.format_utc(self.extracted_at),
                "sequence": self.sequence, "base_sequence": self.base_sequence,
                "counts": dict(self.counts)}

    @classmethod
    def from_dict(cls, data: Any, name: str = "manifeste") -> Manifest:
        """Build and check a manifest from its JSON form."""
        if not isinstance(data, dict):
            raise PackageError(name, "manifest", "manifeste : objet JSON attendu en ligne 1")
        unknown = set(data) - set(_FIELDS)
        if unknown:
            raise PackageError(name, "manifest",
                               f"manifeste : champ(s) inconnu(s) {', '.join(sorted(unknown))}")
        missing = [f for f in _FIELDS if f not in data and f != "base_sequence"]
        if missing:
            raise PackageError(name, "manifest", f"manifeste : champ « {missing[0]} » absent")
        try:
            extracted = records.parse_utc(data["extracted_at"], "manifeste : extracted_at")
        except records.RecordError as exc:
            raise PackageError(name, "manifest", str(exc)) from None
        manifest = cls(kind=data["kind"], domain=data["domain"], station=data["station"],
                       source=data["source"], extracted_at=extracted, sequence=data["sequence"],
                       base_sequence=data.get("base_sequence"), counts=data["counts"],
                       format=data["format"])
        manifest.check(name)
        return manifest

    def trusted_comment(self) -> str:
        """The signed comment binding the signature to this file name and manifest."""
        return (f"file:{self.file_name} station:{self.station} domain:{self.domain} "
                f"kind:{self.kind} sequence:{self.sequence}")


def parse_file_name(name: str) -> dict[str, str | int]:
    """Split a package file name; raise PackageError (reason ``name``) when it does not fit."""
    match = NAME_RE.fullmatch(name)
    if not match or match["domain"] not in records.DOMAINS or int(match["sequence"]) < 1:
        raise PackageError(name, "name", "nom de fichier invalide (attendu "
                           "<station>.<domaine>.<full|delta>.<séquence sur 10 chiffres>.age)")
    return {"station": match["station"], "domain": match["domain"], "kind": match["kind"],
            "sequence": int(match["sequence"])}


def parse_trusted_comment(comment: str) -> dict[str, str]:
    """``key:value`` tokens separated by spaces or tabs (others, e.g. timestamp, kept too)."""
    pairs = {}
    for token in comment.split():
        key, sep, value = token.partition(":")
        if sep:
            pairs[key] = value
    return pairs


@dataclass(frozen=True)
class Deletion:
    """A delta line removing one record: ``{"type": "deleted", "record_type", "id"}``."""

    record_type: str
    id: str

    def to_dict(self) -> dict[str, str]:
        return {"type": DELETED, "record_type": self.record_type, "id": self.id}


Item = records.Record | Deletion


def item_from_dict(data: Any, manifest: Manifest) -> Item:
    """Validate one record line against the manifest's domain and kind (RecordError if bad)."""
    if isinstance(data, dict) and data.get("type") == DELETED:
        if manifest.kind != "delta":
            raise records.RecordError("suppression interdite dans un paquet complet")
        if set(data) != {"type", "record_type", "id"}:
            raise records.RecordError("suppression : champs attendus type, record_type, id")
        rtype, rid = data["record_type"], data["id"]
        if not isinstance(rtype, str) or rtype not in records.types_of_domain(manifest.domain):
            raise records.RecordError(f"suppression : record_type « {rtype} » hors du domaine "
                                      f"{manifest.domain}")
        if not isinstance(rid, str) or not _ID_RE.fullmatch(rid):
            raise records.RecordError(f"suppression {rtype} : identifiant invalide")
        return Deletion(rtype, rid)
    record = records.record_from_dict(data)
    if record.DOMAIN != manifest.domain:
        raise records.RecordError(f"{record.TYPE} {record.id} : type du domaine "
                                  f"{record.DOMAIN}, pas {manifest.domain}")
    return record
