"""Downtime admissions: patients who arrive during the outage get a provisional IPP and NDA.

The numbers come from the station's reserved ranges (numbering.py) in the same transaction that
stores the admission, so an admission and its numbers commit together or not at all. After
recovery the list is exported (CSV) for merge into the patient index.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TextIO

from pcsauvegarde.core.dates import parse_typed_date
from pcsauvegarde.core.numberrange import exercise_range
from pcsauvegarde.core.records import SEXES
from pcsauvegarde.core.text import csv_safe
from pcsauvegarde.station.state.highwater import HighWater
from pcsauvegarde.station.state.numbering import Numbering, NumberRange, parse_range
from pcsauvegarde.station.state.statedb import StateDB
from pcsauvegarde.station.store.db import fold

SCHEMA = """
CREATE TABLE IF NOT EXISTS downtime_admission (
    ipp TEXT PRIMARY KEY, nda TEXT NOT NULL UNIQUE, birth_name TEXT NOT NULL,
    used_name TEXT NOT NULL, first_names TEXT NOT NULL, birth_date TEXT NOT NULL,
    sex TEXT NOT NULL, birth_place TEXT NOT NULL, unit TEXT NOT NULL, room TEXT NOT NULL,
    bed TEXT NOT NULL, reason TEXT NOT NULL, admitted_at TEXT NOT NULL,
    admitted_by TEXT NOT NULL, station TEXT NOT NULL, names TEXT NOT NULL,
    document_number TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS downtime_admission_unit ON downtime_admission (unit);
"""
NAME_CHARS = re.compile(r"^[^\W\d_]+(?:[ '’\-][^\W\d_]+)*$")   # letters, inner space ' -
ROOM_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-]*$")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e]")
LIMITS = {"birth_name": 80, "used_name": 80, "first_names": 100, "birth_date": 10, "sex": 1,
          "birth_place": 80, "unit": 32, "room": 10, "bed": 10, "reason": 200}
LABELS = {"birth_name": "Nom de naissance", "used_name": "Nom utilisé",
          "first_names": "Prénoms", "birth_date": "Date de naissance", "sex": "Sexe",
          "birth_place": "Lieu de naissance", "unit": "Unité", "room": "Chambre",
          "bed": "Lit", "reason": "Motif d'admission"}
OLDEST_BIRTH = dt.date(1890, 1, 1)


class AdmissionInvalid(ValueError):
    """A form with errors: French message per field (``errors``)."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(f"{LABELS[k]} : {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class AdmissionError(RuntimeError):
    """An admission that cannot be made on this station (French message)."""


@dataclass(frozen=True)
class AdmissionRequest:
    birth_name: str
    first_names: str
    birth_date: dt.date
    sex: str
    unit: str
    used_name: str = ""
    birth_place: str = ""
    room: str = ""
    bed: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Admission:
    """A downtime admission as stored: provisional IPP and NDA, who and when."""

    ipp: str
    nda: str
    request: AdmissionRequest
    admitted_at: dt.datetime
    admitted_by: str
    station: str
    document_number: str = ""


def validate(form: Mapping[str, str], units: Mapping[str, str],
             today: dt.date) -> AdmissionRequest:
    """Check every field; MUST raise AdmissionInvalid listing every bad field at once."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for key, limit in LIMITS.items():
        raw = unicodedata.normalize("NFC", str(form.get(key, "") or ""))
        if CONTROL.search(raw):
            errors[key] = "caractères de contrôle interdits (retour à la ligne, tabulation…)"
            continue
        value = " ".join(raw.split())
        if len(value) > limit:
            errors[key] = f"{limit} caractères au plus ({len(value)} saisis)"
            continue
        values[key] = value
    for key in ("birth_name", "first_names", "birth_date", "sex", "unit"):
        if key in values and not values[key]:
            errors[key] = "obligatoire"
    for key in ("birth_name", "used_name", "first_names"):
        if values.get(key) and not NAME_CHARS.match(values[key]):
            errors[key] = ("lettres seulement, avec espace, tiret ou apostrophe entre deux "
                           "lettres")
    for key in ("room", "bed"):
        if values.get(key) and not ROOM_CHARS.match(values[key]):
            errors[key] = "lettres, chiffres, point ou tiret seulement"
    birth = None
    if values.get("birth_date"):
        birth = parse_typed_date(values["birth_date"])
        if birth is None:
            errors["birth_date"] = "date invalide (JJ/MM/AAAA)"
        elif birth > today:
            errors["birth_date"] = "date dans le futur"
        elif birth < OLDEST_BIRTH:
            errors["birth_date"] = f"date improbable (avant le {OLDEST_BIRTH:%d/%m/%Y})"
    if values.get("sex") and values["sex"].upper() not in SEXES:
        errors["sex"] = "M, F ou I (indéterminé)"
    if values.get("unit") and values["unit"] not in units:
        errors["unit"] = f"unité « {values['unit']} » inconnue de la station"
    if birth is None and "birth_date" not in errors:
        errors["birth_date"] = "obligatoire"
    if errors or birth is None:
        raise AdmissionInvalid(errors)
    return AdmissionRequest(
        birth_name=values["birth_name"].upper(), first_names=values["first_names"],
        birth_date=birth, sex=values["sex"].upper(), unit=values["unit"],
        used_name=values["used_name"].upper(), birth_place=values["birth_place"],
        room=values["room"], bed=values["bed"], reason=values["reason"])


IPP_RANGE, NDA_RANGE = "ipp-provisoire", "nda-provisoire"  # the ranges' names in numbering


class Admissions:
    """Downtime admissions of this station, on its state database."""

    def __init__(self, db: StateDB, station_id: str, ipp_range: str, nda_range: str,
                 high_water: HighWater | None = None, exercise_prefix: str = ""):
        self.db = db
        self.station_id = station_id
        self.numbering = Numbering(db, high_water)
        self.ipp_range: NumberRange = parse_range(IPP_RANGE, ipp_range)
        self.nda_range: NumberRange = parse_range(NDA_RANGE, nda_range)
        if exercise_prefix:  # an exercise admission never takes a real provisional number
            self.ipp_range = exercise_range(self.ipp_range, exercise_prefix, "ipp")
            self.nda_range = exercise_range(self.nda_range, exercise_prefix, "nda")
        with db.connect() as conn:
            conn.executescript(SCHEMA)

    def admit(self, req: AdmissionRequest, user: str,
              is_known: Callable[[str], bool] = lambda number: False,
              now: dt.datetime | None = None) -> Admission:
        """Allocate a provisional IPP and NDA and store the admission, in one transaction."""
        now = now or dt.datetime.now(dt.UTC)
        with self.db.transaction() as conn:
            [ipp] = self.numbering.allocate(self.ipp_range, purpose="admission", conn=conn,
                                            now=now)
            [nda] = self.numbering.allocate(self.nda_range, purpose=f"admission {ipp}",
                                            conn=conn, now=now)
            for number in (ipp, nda):
                if is_known(number):
                    raise AdmissionError(
                        f"le numéro provisoire {number} existe déjà dans les données de "
                        "l'hôpital : la plage réservée du poste chevauche des numéros réels. "
                        "Prévenir l'administrateur (réglages provisional_ipp_range / "
                        "provisional_nda_range).")
            names = fold(f"{req.birth_name} {req.used_name} {req.first_names}")
            conn.execute(
                "INSERT INTO downtime_admission (ipp, nda, birth_name, used_name, first_names,"
                " birth_date, sex, birth_place, unit, room, bed, reason, admitted_at,"
                " admitted_by, station, names) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (ipp, nda, req.birth_name, req.used_name, req.first_names,
                 req.birth_date.isoformat(), req.sex, req.birth_place, req.unit, req.room,
                 req.bed, req.reason, now.isoformat(), user, self.station_id, names))
        return Admission(ipp, nda, req, now, user, self.station_id)

    def set_document(self, ipp: str, number: str) -> None:
        """Remember the labels-and-wristband document printed at admission."""
        with self.db.transaction() as conn:
            conn.execute("UPDATE downtime_admission SET document_number=? WHERE ipp=?",
                         (number, ipp))

    def get(self, ipp: str) -> Admission | None:
        rows = self._select("ipp = ?", (ipp,))
        return rows[0] if rows else None

    def search(self, query: str, limit: int = 50) -> list[Admission]:
        """By name (accent/case-insensitive), birth date JJ/MM/AAAA, provisional IPP or NDA."""
        q = query.strip()[:100]
        if not q:
            return []
        if q.isdigit():
            return self._select("ipp = ? OR nda = ?", (q, q), limit)
        date = parse_typed_date(q)
        if date is not None:
            return self._select("birth_date = ?", (date.isoformat(),), limit)
        terms = fold(q).split()
        args = tuple("%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                     for t in terms)
        return self._select(" AND ".join(["names LIKE ? ESCAPE '\\'"] * len(terms)), args, limit)

    def in_unit(self, unit: str) -> list[Admission]:
        return self._select("unit = ?", (unit,))

    def count_by_unit(self) -> dict[str, int]:
        """How many downtime admissions each unit has."""
        with self.db.connect() as conn:
            return dict(conn.execute(
                "SELECT unit, COUNT(*) FROM downtime_admission GROUP BY unit").fetchall())

    def all(self) -> list[Admission]:
        return self._select("1 = 1", (), 1_000_000)

    def of_units(self, units: tuple[str, ...], limit: int = 50) -> list[Admission]:
        """The latest admissions into ``units`` (``("*",)``: every unit), newest first."""
        if "*" in units:
            return self._select("1 = 1", (), limit)
        marks = ",".join("?" * len(units)) or "NULL"
        return self._select(f"unit IN ({marks})", tuple(units), limit)

    def remaining(self) -> dict[str, int]:
        return {"ipp": self.numbering.remaining(self.ipp_range),
                "nda": self.numbering.remaining(self.nda_range)}

    def _select(self, where: str, args: tuple, limit: int = 1000) -> list[Admission]:
        with self.db.connect() as conn:
            sql = (f"SELECT * FROM downtime_admission WHERE {where} "  # noqa: S608 - callers pass fixed WHERE text, values bound as ?
                   "ORDER BY admitted_at DESC LIMIT ?")
            rows = conn.execute(sql, (*args, limit)).fetchall()
        return [_admission(r) for r in rows]


def _admission(r) -> Admission:
    req = AdmissionRequest(r["birth_name"], r["first_names"],
                           dt.date.fromisoformat(r["birth_date"]), r["sex"], r["unit"],
                           r["used_name"], r["birth_place"], r["room"], r["bed"], r["reason"])
    return Admission(r["ipp"], r["nda"], req, dt.datetime.fromisoformat(r["admitted_at"]),
                     r["admitted_by"], r["station"], r["document_number"])


EXPORT_COLUMNS = ("ipp_provisoire", "nda_provisoire", "nom_naissance", "nom_utilise", "prenoms",
                  "date_naissance", "sexe", "lieu_naissance", "unite", "chambre", "lit", "motif",
                  "admis_le_utc", "admis_par", "poste", "document")


def without_exercise(admissions: list[Admission], ipp_range: str, prefix: str
                     ) -> tuple[list[Admission], int]:
    """The admissions to re-enter, and how many were made during exercises (IPP from the
    exercise range: never exported to the patient index, counted instead)."""
    drill = exercise_range(parse_range(IPP_RANGE, ipp_range), prefix, "ipp")
    real = [a for a in admissions if not drill.holds(a.ipp)]
    return real, len(admissions) - len(real)


def export_csv(admissions: list[Admission], out: TextIO) -> int:
    """Write the admissions for re-entry (``;``-separated, safe against formula injection)."""
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for a in sorted(admissions, key=lambda a: (a.admitted_at, a.ipp)):
        r = a.request
        writer.writerow([csv_safe(v) for v in (
            a.ipp, a.nda, r.birth_name, r.used_name, r.first_names, r.birth_date.isoformat(),
            r.sex, r.birth_place, r.unit, r.room, r.bed, r.reason,
            a.admitted_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), a.admitted_by,
            a.station, a.document_number)])
    return len(admissions)
