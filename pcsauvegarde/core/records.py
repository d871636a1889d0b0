"""Canonical records: one model for every domain, document and importer.

Every record is a frozen dataclass with a string ``id`` unique within its type.
Records travel as JSON objects ``{"type": <name>, ...fields}`` (one per NDJSON line)
and are rebuilt with :func:`record_from_dict`, which validates every field and
raises :class:`RecordError` with a French message naming the field.
Datetimes are aware and UTC on the wire (``2026-11-27T13:05:00Z``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar

from pcsauvegarde.core.ins import ins_problem

UTC = dt.UTC

SEXES = ("M", "F", "I")  # INS traits: masculin, féminin, indéterminé
INS_STATUSES = ("provisoire", "récupérée", "validée", "qualifiée")
TIMING_KINDS = ("fixed_times", "every_hours", "times_per_day", "as_needed", "once", "text")
ADMIN_STATUSES = ("given", "not_given", "refused", "held", "partial")
ABNORMAL_FLAGS = ("", "N", "L", "H", "LL", "HH", "A")
RESULT_STATUSES = ("final", "preliminary", "corrected")
EQUIPMENT_KINDS = ("washer", "autoclave")
ENCOUNTER_CLASSES = ("", "inpatient", "outpatient", "emergency", "recurring")
APPOINTMENT_STATUSES = ("booked", "arrived", "fulfilled", "cancelled", "noshow")
BLOOD_TESTS = ("group", "antibody_screen")
ABO_GROUPS = ("", "A", "B", "AB", "O")
RHD_VALUES = ("", "positive", "negative")
SCREEN_VALUES = ("", "negative", "positive")
TRANSFUSION_KINDS = ("given", "requirement")
SURGERY_SIDES = ("", "left", "right", "bilateral")
ASA_CLASSES = ("", "1", "2", "3", "4", "5", "6")
TRANSFUSION_NEEDS = ("irradiated", "phenotyped", "cmv_negative", "other")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_ID_LENGTH = 128  # ids of every shape: UUIDs, letters, HL7 CX values
_ID = re.compile(rf"^[^\x00-\x1f\x7f]{{1,{MAX_ID_LENGTH}}}$")


class RecordError(ValueError):
    """A record that does not fit the canonical model (message in French, names the field)."""


@dataclass(frozen=True)
class Timing:
    """When a medication is due.

    kind:
      fixed_times: ``times`` of day (HH:MM, local Europe/Paris)
      every_hours: every ``every_hours`` from the order's start
      times_per_day: ``per_day`` doses at the hospital's standard hours
      as_needed: PRN; ``max_per_day`` and ``min_interval_hours`` when known
      once: a single dose at the order's start
      text: no structured timing; ``text`` says it in words
    """

    kind: str
    times: tuple[str, ...] = ()
    every_hours: float | None = None
    per_day: int | None = None
    max_per_day: int | None = None
    min_interval_hours: float | None = None
    text: str = ""

    def check(self, where: str) -> None:
        if self.kind not in TIMING_KINDS:
            raise RecordError(f"{where}.kind : type de rythme inconnu « {self.kind} »")
        for t in self.times:
            if not _HHMM.match(t):
                raise RecordError(f"{where}.times : heure invalide « {t} » (attendu HH:MM)")
        if self.kind == "fixed_times" and not self.times:
            raise RecordError(f"{where}.times : aucune heure pour un rythme à heures fixes")
        if self.kind == "every_hours" and not (self.every_hours and 0 < self.every_hours <= 168):
            raise RecordError(f"{where}.every_hours : intervalle absent ou hors limites (0–168 h)")
        if self.kind == "times_per_day" and not (self.per_day and 0 < self.per_day <= 24):
            raise RecordError(f"{where}.per_day : nombre de prises par jour absent ou hors limites")


@dataclass(frozen=True)
class Record:
    """Base of every canonical record."""

    TYPE: ClassVar[str] = ""
    DOMAIN: ClassVar[str] = ""
    id: str

    def check(self) -> None:
        """Cross-field checks beyond types; subclasses extend it."""

    def to_dict(self) -> dict[str, Any]:
        cls: type = type(self)  # as ``type``: mypy checks Record.__hash__ on the class otherwise
        return _dict_encoder(cls, self.TYPE)(self)


@dataclass(frozen=True)
class Patient(Record):
    """A person, with the INS identity traits (id is the IPP).

    ``first_names`` is the full list of given names (« prénoms »), ``first_name`` the first
    given name (« premier prénom », INS trait) when the source tells it apart;
    ``merged_ipps`` are IPPs merged into this one (they must still find this patient).
    """

    TYPE = "patient"
    DOMAIN = "dpi"
    birth_name: str
    first_names: str
    birth_date: dt.date
    sex: str
    used_name: str = ""
    used_first_name: str = ""
    birth_place_code: str = ""
    ins: str = ""
    ins_status: str = ""
    deceased: bool = False
    first_name: str = ""
    merged_ipps: tuple[str, ...] = ()

    @property
    def ipp(self) -> str:
        return self.id

    def check(self) -> None:
        if self.sex not in SEXES:
            raise RecordError(f"patient {self.id} : sexe « {self.sex} » invalide (M, F ou I)")
        problem = ins_problem(self.ins, check_key=False) if self.ins else ""
        if problem:
            raise RecordError(f"patient {self.id} : INS « {self.ins} » invalide ({problem})")
        if self.ins_status and self.ins_status not in INS_STATUSES:
            raise RecordError(f"patient {self.id} : statut INS « {self.ins_status} » inconnu")
        if not self.birth_name.strip() or not self.first_names.strip():
            raise RecordError(f"patient {self.id} : nom de naissance et prénoms obligatoires")


@dataclass(frozen=True)
class Stay(Record):
    """A hospital stay (id is the NDA); current when ``discharge`` is empty and not ``planned``
    (a pre-admission). ``encounter_class``: inpatient, outpatient, emergency, recurring."""

    TYPE = "stay"
    DOMAIN = "dpi"
    ipp: str
    unit: str
    admission: dt.datetime
    room: str = ""
    bed: str = ""
    attending: str = ""
    discharge: dt.datetime | None = None
    reason: str = ""
    encounter_class: str = ""
    planned: bool = False

    def check(self) -> None:
        if self.encounter_class not in ENCOUNTER_CLASSES:
            raise RecordError(f"stay {self.id} : classe de venue « {self.encounter_class} » "
                              "inconnue")


@dataclass(frozen=True)
class Allergy(Record):
    """An allergy or intolerance, or the statement that none is known (``code`` says which);
    whether it is to be acted on: :func:`allergy_standing`.

    ``severity`` is the reaction's (FHIR mild/moderate/severe, HL7 AL1-4), ``criticality``
    the risk of a future reaction (FHIR low/high/unable-to-assess); both as the source says.
    """

    TYPE = "allergy"
    DOMAIN = "dpi"
    ipp: str
    substance: str
    reaction: str = ""
    severity: str = ""
    status: str = "active"
    """Clinical status (FHIR clinicalStatus): active, inactive, resolved; empty: unknown."""
    verification: str = ""
    """Verification status (FHIR verificationStatus): unconfirmed, presumed, confirmed,
    refuted, entered-in-error; empty: not said."""
    criticality: str = ""
    code: str = ""          # substance code as the source gives it (SNOMED CT, AL1-3.1…)

    @property
    def active(self) -> bool:
        """To be acted on: shown on every screen and patient document."""
        return allergy_standing(self.status, self.verification) != ALLERGY_NOT_ACTIVE

    @property
    def absence(self) -> str | None:
        """What this record says is absent (« no known drug allergy » → "drug"), or None for a
        real allergy: see :func:`allergy_absence`."""
        return allergy_absence(self.code, self.substance)

    @property
    def unconfirmed(self) -> bool:
        """Active but not confirmed: shown, saying « non confirmée »."""
        return allergy_standing(self.status, self.verification) == ALLERGY_UNCONFIRMED


ALLERGY_ACTIVE, ALLERGY_UNCONFIRMED, ALLERGY_NOT_ACTIVE = "active", "unconfirmed", "not_active"
_ALLERGY_UNTRUE = frozenset({"refuted", "entered-in-error"})
_ALLERGY_OVER = frozenset({"inactive", "resolved"})
_ALLERGY_UNSURE = frozenset({"unconfirmed", "presumed", "suspected"})


# Allergy records that state an ABSENCE (« no known … allergy »), by code (SNOMED CT and the
# usual HL7 v2 AL1-3 codes) or by their words: what they say is absent.
NO_KNOWN_ALLERGY_CODES = {"716186003": "all", "409137002": "drug", "429625007": "food",
                          "428607008": "environment", "NKA": "all", "NKDA": "drug"}
NO_KNOWN_ALLERGY_TEXTS = {"no known allergy": "all", "no known allergies": "all", "nka": "all",
                          "aucune allergie connue": "all", "pas d'allergie connue": "all",
                          "nkda": "drug", "no known drug allergy": "drug",
                          "no known drug allergies": "drug",
                          "aucune allergie medicamenteuse connue": "drug"}


def allergy_absence(code: str, substance: str) -> str | None:
    """THE rule for an allergy record that states an absence: "all", "drug", "food" or
    "environment" (what is known to be absent), None for a real allergy. Screens and paper
    MUST NOT show such a record as an allergy: it is « aucune allergie connue »."""
    by_code = NO_KNOWN_ALLERGY_CODES.get(code.strip().upper())
    if by_code:
        return by_code
    folded = unicodedata.normalize("NFKD", substance.strip().casefold())
    return NO_KNOWN_ALLERGY_TEXTS.get("".join(c for c in folded if not unicodedata.combining(c)))


def allergy_standing(clinical: str, verification: str) -> str:
    """THE rule for whether an allergy is active, from its clinical × verification status.

    MUST be the only one (importers, store queries, screens and documents call it):
    - ``not_active`` when it was never true (verification — or, from sources with a single
      status, the clinical status — ``refuted`` or ``entered-in-error``) or is over (clinical
      ``inactive`` or ``resolved``, whatever the verification);
    - ``unconfirmed`` (active, printed « non confirmée ») when the verification is
      ``unconfirmed``/``presumed`` (or a single status says ``suspected``): a suspected
      allergy still stops the drug until someone checks;
    - ``active`` otherwise — including an empty or unknown code: a wrong warning costs a
      phone call, a missing one can kill.
    Codes are compared case-insensitively.
    """
    c, v = clinical.strip().lower(), verification.strip().lower()
    if c in _ALLERGY_UNTRUE or v in _ALLERGY_UNTRUE or c in _ALLERGY_OVER:
        return ALLERGY_NOT_ACTIVE
    if c in _ALLERGY_UNSURE or v in _ALLERGY_UNSURE:
        return ALLERGY_UNCONFIRMED
    return ALLERGY_ACTIVE


@dataclass(frozen=True)
class Condition(Record):
    """An antecedent or active problem."""

    TYPE = "condition"
    DOMAIN = "dpi"
    ipp: str
    label: str
    code: str = ""
    onset: dt.date | None = None
    status: str = "active"


@dataclass(frozen=True)
class MedicationOrder(Record):
    TYPE = "medication_order"
    DOMAIN = "dpi"
    ipp: str
    drug: str
    dose: str
    timing: Timing
    start: dt.datetime
    unit: str = ""          # dose unit (mg, mL, UI…)
    route: str = ""
    end: dt.datetime | None = None
    code: str = ""          # UCD or CIP when known
    prescriber: str = ""
    comments: str = ""
    status: str = "active"
    nda: str = ""

    def check(self) -> None:
        self.timing.check(f"medication_order {self.id} : timing")
        if self.end is not None and self.end < self.start:
            raise RecordError(f"medication_order {self.id} : fin antérieure au début")


@dataclass(frozen=True)
class MedicationAdministration(Record):
    TYPE = "medication_administration"
    DOMAIN = "dpi"
    ipp: str
    order_id: str
    at: dt.datetime
    dose_given: str = ""
    by: str = ""
    status: str = "given"

    def check(self) -> None:
        if self.status not in ADMIN_STATUSES:
            raise RecordError(
                f"medication_administration {self.id} : statut « {self.status} » inconnu")


@dataclass(frozen=True)
class CareTask(Record):
    TYPE = "care_task"
    DOMAIN = "dpi"
    ipp: str
    label: str
    timing: Timing
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    comments: str = ""

    def check(self) -> None:
        self.timing.check(f"care_task {self.id} : timing")


@dataclass(frozen=True)
class LabResult(Record):
    TYPE = "lab_result"
    DOMAIN = "lab"
    ipp: str
    code: str
    label: str
    value: str
    collected_at: dt.datetime
    unit: str = ""
    reference_range: str = ""
    abnormal: str = ""
    validated_at: dt.datetime | None = None
    status: str = "final"  # final, preliminary (« provisoire ») or corrected (« corrigé »)

    @property
    def analysis(self) -> str:
        """What makes two results the same test: the code, else the label (any case)."""
        return self.code or self.label.casefold()

    def check(self) -> None:
        if self.abnormal not in ABNORMAL_FLAGS:
            raise RecordError(f"lab_result {self.id} : indicateur d'anomalie « {self.abnormal} »")
        if self.status not in RESULT_STATUSES:
            raise RecordError(f"lab_result {self.id} : statut « {self.status} » inconnu")


@dataclass(frozen=True)
class BloodTyping(Record):
    """An immuno-haematology result read from its codes at import (id: the lab result's).

    ``test`` group: ABO (A, B, AB, O) and/or RhD (positive, negative), with the Rh-Kell
    ``phenotype`` when the lab gives one; ``test`` antibody_screen: the RAI, ``screen``
    negative or positive, ``antibodies`` identified (« anti-E »). MUST only be built from a
    coded or unambiguous value of a blood-bank test code, never from a label (see
    publisher/importers/bloodbank.py); the station computes validity (station/lab/bloodbank.py).
    """

    TYPE = "blood_typing"
    DOMAIN = "lab"
    ipp: str
    test: str
    collected_at: dt.datetime
    code: str = ""          # the test's LOINC code
    abo: str = ""
    rhd: str = ""
    phenotype: str = ""
    screen: str = ""
    antibodies: str = ""
    validated_at: dt.datetime | None = None
    source_value: str = ""  # the value as the lab wrote it

    def check(self) -> None:
        where = f"blood_typing {self.id}"
        if self.test not in BLOOD_TESTS:
            raise RecordError(f"{where} : test « {self.test} » inconnu (group, antibody_screen)")
        for name, allowed in (("abo", ABO_GROUPS), ("rhd", RHD_VALUES),
                              ("screen", SCREEN_VALUES)):
            if getattr(self, name) not in allowed:
                raise RecordError(f"{where} : {name} « {getattr(self, name)} » invalide "
                                  f"({', '.join(a for a in allowed if a)})")
        if self.test == "group" and not (self.abo or self.rhd or self.phenotype):
            raise RecordError(f"{where} : groupe sans ABO, RhD ni phénotype")
        if self.test == "antibody_screen" and not self.screen:
            raise RecordError(f"{where} : RAI sans résultat (negative, positive)")


@dataclass(frozen=True)
class TransfusionFact(Record):
    """A blood product given (``kind`` given: ``product``, ``at``) or a standing requirement
    for the patient's blood products (``kind`` requirement: ``need`` irradiated, phenotyped,
    cmv_negative or other, with ``note``)."""

    TYPE = "transfusion"
    DOMAIN = "lab"
    ipp: str
    kind: str
    product: str = ""
    at: dt.datetime | None = None
    quantity: str = ""
    need: str = ""
    note: str = ""

    def check(self) -> None:
        where = f"transfusion {self.id}"
        if self.kind not in TRANSFUSION_KINDS:
            raise RecordError(f"{where} : type « {self.kind} » inconnu (given, requirement)")
        if self.kind == "requirement" and self.need not in TRANSFUSION_NEEDS:
            raise RecordError(f"{where} : exigence « {self.need} » inconnue "
                              f"({', '.join(TRANSFUSION_NEEDS)})")
        if self.kind == "given" and not (self.product and self.at):
            raise RecordError(f"{where} : produit et date obligatoires pour une transfusion")


@dataclass(frozen=True)
class ImagingExam(Record):
    """A planned (or done) imaging exam; ``requesting_unit`` is the unit code or name that
    asked for it, ``indication`` the clinical question (both optional: older extracts)."""

    TYPE = "imaging_exam"
    DOMAIN = "imaging"
    ipp: str
    modality: str
    label: str
    scheduled_at: dt.datetime
    room: str = ""
    status: str = "planned"
    requesting_unit: str = ""
    indication: str = ""
    requester: str = ""


@dataclass(frozen=True)
class Appointment(Record):
    """A consultation appointment; ``unit`` is the code of the clinic's unit (it decides which
    stations receive it), ``clinic`` the consultation's name, ``phone`` the patient's contact
    number for this appointment (to call them back)."""

    TYPE = "appointment"
    DOMAIN = "dpi"
    ipp: str
    unit: str
    start: dt.datetime
    end: dt.datetime | None = None
    clinic: str = ""
    practitioner: str = ""
    reason: str = ""
    status: str = "booked"
    phone: str = ""

    def check(self) -> None:
        if self.status not in APPOINTMENT_STATUSES:
            raise RecordError(f"appointment {self.id} : statut « {self.status} » inconnu "
                              f"(attendu : {', '.join(APPOINTMENT_STATUSES)})")
        if self.end is not None and self.end < self.start:
            raise RecordError(f"appointment {self.id} : fin avant le début du rendez-vous")
        if not self.unit.strip():
            raise RecordError(f"appointment {self.id} : unité de consultation absente")


@dataclass(frozen=True)
class SurgeryCase(Record):
    TYPE = "surgery_case"
    DOMAIN = "imaging"
    ipp: str
    room: str
    scheduled_at: dt.datetime
    procedure: str
    surgeon: str = ""
    anaesthetist: str = ""
    status: str = "planned"   # planned, in_progress, done, cancelled, postponed
    tray_ids: tuple[str, ...] = ()  # trays planned for it (the OR's preference cards)
    side: str = ""            # laterality: left, right, bilateral; empty: not said

    def check(self) -> None:
        if self.side not in SURGERY_SIDES:
            raise RecordError(f"surgery_case {self.id} : côté « {self.side} » invalide "
                              "(left, right, bilateral)")


@dataclass(frozen=True)
class AnaesthesiaAssessment(Record):
    """The anaesthesia consultation's summary (« consultation d'anesthésie »): ASA class,
    airway, fasting instructions. Its own record, not SurgeryCase fields: one consultation
    covers the interventions that follow it and comes from another source (the DPI)."""

    TYPE = "anaesthesia_assessment"
    DOMAIN = "dpi"
    ipp: str
    at: dt.datetime
    asa: str = ""             # 1 to 6 (« ASA 3 »); empty: not said
    airway: str = ""          # Mallampati, intubation, ventilation notes
    fasting: str = ""         # fasting instructions (« à jeun depuis minuit »)
    anaesthetist: str = ""
    notes: str = ""

    def check(self) -> None:
        if self.asa not in ASA_CLASSES:
            raise RecordError(f"anaesthesia_assessment {self.id} : classe ASA « {self.asa} » "
                              "invalide (1 à 6)")


@dataclass(frozen=True)
class Product(Record):
    """A pharmacy product (id is the UCD or CIP code)."""

    TYPE = "product"
    DOMAIN = "pharmacy"
    label: str
    form: str = ""
    packaging: str = ""
    supplier_id: str = ""
    supplier_ref: str = ""
    storage_zone: str = ""


@dataclass(frozen=True)
class Supplier(Record):
    TYPE = "supplier"
    DOMAIN = "pharmacy"
    name: str
    phone: str = ""
    email: str = ""
    order_contact: str = ""


@dataclass(frozen=True)
class WardStock(Record):
    """The dotation of one product in one unit."""

    TYPE = "ward_stock"
    DOMAIN = "pharmacy"
    unit: str
    product_id: str
    quantity: int

    def check(self) -> None:
        if self.quantity < 0:
            raise RecordError(f"ward_stock {self.id} : quantité négative")


@dataclass(frozen=True)
class SupplierOrderLine(Record):
    """One product of a past supplier order (the « antériorité des commandes »)."""

    TYPE = "supplier_order_line"
    DOMAIN = "pharmacy"
    order_number: str
    product_id: str
    quantity: int
    ordered_at: dt.datetime
    supplier_id: str = ""   # empty: the product's supplier

    def check(self) -> None:
        if self.quantity < 0:
            raise RecordError(f"supplier_order_line {self.id} : quantité négative")


@dataclass(frozen=True)
class WardRequestLine(Record):
    """One product a unit asked the PUI for in the past (its usual products beyond the dotation)."""

    TYPE = "ward_request_line"
    DOMAIN = "pharmacy"
    unit: str
    product_id: str
    quantity: int
    requested_at: dt.datetime
    request_number: str = ""

    def check(self) -> None:
        if self.quantity < 0:
            raise RecordError(f"ward_request_line {self.id} : quantité négative")


@dataclass(frozen=True)
class TrayLine:
    instrument: str
    quantity: int
    ref: str = ""


@dataclass(frozen=True)
class Tray(Record):
    TYPE = "tray"
    DOMAIN = "sterilisation"
    name: str
    owner_unit: str = ""
    packaging: str = ""
    shelf_life_days: int = 0
    composition: tuple[TrayLine, ...] = ()


@dataclass(frozen=True)
class SterilisationCycle(Record):
    TYPE = "sterilisation_cycle"
    DOMAIN = "sterilisation"
    sterilizer: str
    cycle_number: str
    at: dt.datetime
    lot: str = ""
    tray_ids: tuple[str, ...] = ()
    program: str = ""


@dataclass(frozen=True)
class PackagingType(Record):
    """A sterile packaging type (id is its code) and its shelf life: months, then days."""

    TYPE = "packaging_type"
    DOMAIN = "sterilisation"
    label: str
    shelf_life_months: int = 0
    shelf_life_days: int = 0

    def check(self) -> None:
        if self.shelf_life_months < 0 or self.shelf_life_days < 0:
            raise RecordError(f"packaging_type {self.id} : durée de validité négative")
        if not (self.shelf_life_months or self.shelf_life_days):
            raise RecordError(f"packaging_type {self.id} : durée de validité absente "
                              "(mois ou jours)")


@dataclass(frozen=True)
class SterilisationEquipment(Record):
    """A washer-disinfector or a sterilizer (id is its code); kind is washer or autoclave."""

    TYPE = "sterilisation_equipment"
    DOMAIN = "sterilisation"
    name: str
    kind: str = "autoclave"

    def check(self) -> None:
        if self.kind not in EQUIPMENT_KINDS:
            raise RecordError(f"sterilisation_equipment {self.id} : type « {self.kind} » inconnu "
                              f"(attendu : {', '.join(EQUIPMENT_KINDS)})")


@dataclass(frozen=True)
class Unit(Record):
    """A care unit (id is its code)."""

    TYPE = "unit"
    DOMAIN = "directory"
    name: str
    phone: str = ""


@dataclass(frozen=True)
class StaffEntry(Record):
    TYPE = "staff"
    DOMAIN = "directory"
    name: str
    role: str = ""
    unit: str = ""
    phone: str = ""


RECORD_TYPES: dict[str, type[Record]] = {
    cls.TYPE: cls
    for cls in (Patient, Stay, Allergy, Condition, MedicationOrder, MedicationAdministration,
                CareTask, LabResult, BloodTyping, TransfusionFact, ImagingExam, Appointment,
                SurgeryCase, AnaesthesiaAssessment, Product, Supplier, WardStock,
                SupplierOrderLine, WardRequestLine,
                Tray, SterilisationCycle, PackagingType, SterilisationEquipment, Unit,
                StaffEntry)
}
# what a French report calls each record type (plural: counts are printed)
TYPE_LABELS_FR = {"patient": "patients", "stay": "séjours", "allergy": "allergies",
                  "condition": "antécédents", "medication_order": "prescriptions",
                  "medication_administration": "administrations", "care_task": "soins",
                  "lab_result": "résultats de biologie",
                  "blood_typing": "groupages et RAI",
                  "transfusion": "données transfusionnelles", "imaging_exam": "examens d'imagerie",
                  "appointment": "rendez-vous de consultation",
                  "surgery_case": "interventions",
                  "anaesthesia_assessment": "consultations d'anesthésie", "product": "produits",
                  "supplier": "fournisseurs", "ward_stock": "dotations",
                  "supplier_order_line": "lignes de commandes fournisseurs",
                  "ward_request_line": "lignes de demandes des unités", "tray": "plateaux",
                  "sterilisation_cycle": "cycles de stérilisation",
                  "packaging_type": "types d'emballage",
                  "sterilisation_equipment": "laveurs et stérilisateurs", "unit": "unités",
                  "staff": "annuaire"}
DOMAINS = ("dpi", "lab", "pharmacy", "imaging", "sterilisation", "directory")
DOMAIN_LABELS_FR = {"dpi": "Dossier patient", "lab": "Laboratoire", "pharmacy": "Pharmacie",
                    "imaging": "Imagerie / bloc", "sterilisation": "Stérilisation",
                    "directory": "Annuaire"}


def types_of_domain(domain: str) -> tuple[str, ...]:
    return tuple(name for name, cls in RECORD_TYPES.items() if cls.DOMAIN == domain)


def record_from_dict(data: Any) -> Record:
    """Build and validate a record from its JSON form; raise RecordError naming the field."""
    if not isinstance(data, dict):
        raise RecordError("enregistrement : objet JSON attendu")
    name = data.get("type")
    cls = RECORD_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise RecordError(f"enregistrement : type « {name} » inconnu")
    rid = data.get("id")
    label = f"{name} {rid}" if isinstance(rid, str) else str(name)
    record = _build(cls, data, label)
    if not _ID.fullmatch(record.id):
        raise RecordError(f"{label} : identifiant vide, trop long ou avec caractères de contrôle")
    record.check()
    return record


# ---- decoding and encoding -------------------------------------------------------------

@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _schema(cls: type) -> tuple[frozenset, tuple[tuple[str, Any, bool], ...]]:
    """(field names, (name, decoder, required) per field): computed once per class.

    Decoders are compiled once per type hint, so decoding a record costs one call per field
    (this is the station's hot path: every line of every package goes through it).
    """
    hints = typing.get_type_hints(cls)
    fields = tuple((f.name, _decoder(hints[f.name]), f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING)
                   for f in dataclasses.fields(cls))
    return frozenset(name for name, _, _ in fields) | {"type"}, fields


def _build(cls: type, data: dict, label: str) -> Any:
    return _builder(cls)(data, label)


def _unknown(names: frozenset, data: dict, label: str) -> typing.NoReturn:
    raise RecordError(f"{label} : champ(s) inconnu(s) {', '.join(sorted(set(data) - names))}")


def _missing(label: str, name: str) -> typing.NoReturn:
    raise RecordError(f"{label} : champ obligatoire « {name} » absent")


@functools.cache
def _builder(cls: type) -> typing.Callable[[dict, str], Any]:
    """A function decoding one JSON object into ``cls``, generated once per class.

    Same checks and messages as decoding field by field, at a fraction of the cost: strings
    (most fields) are checked inline, other types call their decoder, and the frozen instance
    is filled directly (its fields only hold immutable values; no __post_init__ to run).
    """
    names, fields = _schema(cls)
    defaults = {f.name: f.default for f in dataclasses.fields(cls)}
    env: dict[str, Any] = {"names": names, "unknown": _unknown, "missing": _missing,
                           "M": dataclasses.MISSING, "cls": cls, "new": object.__new__}
    body = ["def build(data, label):",
            "    if not names.issuperset(data):", "        unknown(names, data, label)",
            "    get = data.get", "    d = {}"]
    for i, (name, decode, required) in enumerate(fields):
        env[f"dec{i}"], env[f"default{i}"] = decode, defaults[name]
        body.append(f"    v = get({name!r}, M)")
        body.append(f"    if v is M: missing(label, {name!r})" if required else
                    f"    if v is M: v = default{i}")
        check = {_decode_str: "type(v) is not str or len(v) > 4000",
                 _decode_int: "type(v) is not int"}.get(decode)
        guard = "    elif " + check + ":" if check else "    else:"
        body += [guard, f"        v = dec{i}(v, label, {name!r})", f"    d[{name!r}] = v"]
    body += ["    obj = new(cls)", "    obj.__dict__.update(d)", "    return obj"]
    exec("\n".join(body), env)  # noqa: S102 - generated from our own dataclass fields only
    return env["build"]


def _decode(hint: Any, value: Any, where: str) -> Any:
    """Decode one value of a type hint (``where`` names it in errors)."""
    label, _, name = where.rpartition(" : ")
    return _decoder(hint)(value, label, name)


Decoder = typing.Callable[[Any, str, str], Any]


def _fail(label: str, name: str, message: str) -> typing.NoReturn:
    raise RecordError(f"{label} : {name} : {message}")


def _decode_str(value: Any, label: str, name: str) -> str:
    if not isinstance(value, str):
        _fail(label, name, "texte attendu")
    if len(value) > 4000:
        _fail(label, name, f"texte trop long ({len(value)} caractères)")
    return value


def _decode_bool(value: Any, label: str, name: str) -> bool:
    if not isinstance(value, bool):
        _fail(label, name, "booléen attendu")
    return value


def _decode_int(value: Any, label: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(label, name, "entier attendu")
    return value


def _decode_float(value: Any, label: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _fail(label, name, "nombre attendu")
    return float(value)


def _decode_datetime(value: Any, label: str, name: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        return parse_utc(value, f"{label} : {name}")  # raises, naming the field
    return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)


def _decode_date(value: Any, label: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        _fail(label, name, f"date invalide « {value} » (attendu AAAA-MM-JJ)")


_SIMPLE: dict[Any, Decoder] = {str: _decode_str, bool: _decode_bool, int: _decode_int,
                               float: _decode_float, dt.datetime: _decode_datetime,
                               dt.date: _decode_date}


@functools.cache
def _decoder(hint: Any) -> Decoder:
    """The decoding function of a type hint (optional, tuple, scalar or nested dataclass)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(a for a in typing.get_args(hint) if a is not type(None)))

        def optional(value: Any, label: str, name: str) -> Any:
            return None if value is None else inner(value, label, name)
        return optional
    if origin is tuple:
        item = _decoder(typing.get_args(hint)[0])

        def sequence(value: Any, label: str, name: str) -> tuple:
            if not isinstance(value, list):
                _fail(label, name, "liste attendue")
            return tuple(item(v, label, name) for v in value)
        return sequence
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        def nested(value: Any, label: str, name: str) -> Any:
            if not isinstance(value, dict):
                _fail(label, name, "objet attendu")
            return _build(hint, value, f"{label} : {name}")
        return nested
    raise TypeError(f"unsupported field type {hint!r}")  # a programming error, not bad input


def parse_utc(value: Any, where: str = "date") -> dt.datetime:
    """Parse an ISO 8601 datetime with an offset into an aware UTC datetime."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise RecordError(f"{where} : date-heure invalide « {value} »") from None
    if parsed.tzinfo is None:
        raise RecordError(f"{where} : date-heure sans fuseau « {value} »")
    return parsed.astimezone(UTC)


def format_utc(value: dt.datetime) -> str:
    """``2026-11-27T13:05:00Z`` (seconds, UTC)."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    if value.year >= 1000:  # %-formatting: a third of isoformat()'s cost; same text
        return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (  # noqa: UP031 - faster than an f-string
            value.year, value.month, value.day, value.hour, value.minute, value.second)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")  # glibc does not pad years below 1000


_PLAIN = frozenset({str, int, float, bool, type(None)})  # values _encode returns as they are


@functools.cache
def _dict_encoder(cls: type, type_name: str) -> typing.Callable[[Any], dict[str, Any]]:
    """``to_dict`` of one record class, generated once: same output as _encode field by field,
    with plain values and datetimes handled inline (the publisher encodes every record)."""
    env: dict[str, Any] = {"plain": _PLAIN, "datetime": dt.datetime, "fmt": format_utc,
                           "enc": _encode, "TYPE": type_name}
    body = ["def to_dict(self):", "    d = self.__dict__", "    out = {'type': TYPE}"]
    value = "v if type(v) in plain else fmt(v) if type(v) is datetime else enc(v)"
    for name in _field_names(cls):
        body += [f"    v = d[{name!r}]", f"    out[{name!r}] = {value}"]
    body.append("    return out")
    exec("\n".join(body), env)  # noqa: S102 - generated from our own dataclass fields only
    return env["to_dict"]


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _encode(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, dt.datetime):
        return format_utc(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

