"""Identifier and code systems the FHIR importer recognises (and the demo hospital uses)."""

from __future__ import annotations

from dataclasses import dataclass

# Identifier systems of the demo hospital (1.2.250.1.999 is a fictitious French OID arc).
IPP_SYSTEM = "urn:oid:1.2.250.1.999.1.1.1"        # IPP, 8 digits (Patient.identifier)
NDA_SYSTEM = "urn:oid:1.2.250.1.999.1.1.2"        # NDA, 9 digits (Encounter.identifier)
UNIT_SYSTEM = "urn:oid:1.2.250.1.999.1.1.3"       # unit code, e.g. REA (Location, Organization)
ORDER_SYSTEM = "urn:oid:1.2.250.1.999.1.1.4"      # prescription line number (MedicationRequest)
RPPS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.1"        # national practitioner id (RPPS)
FINESS_SYSTEM = "urn:oid:1.2.250.1.71.4.2.2"      # establishment id (FINESS)

# INS (identité nationale de santé): real OIDs of the INS-NIR and INS-NIA, and of their test arcs.
INS_NIR_SYSTEM = "urn:oid:1.2.250.1.213.1.4.8"
INS_SYSTEMS = (INS_NIR_SYSTEM, "urn:oid:1.2.250.1.213.1.4.9",
               "urn:oid:1.2.250.1.213.1.4.10", "urn:oid:1.2.250.1.213.1.4.11")

# Identity status: a Patient.meta.tag with this system and one of IDENTITY_STATUS_CODES.
IDENTITY_STATUS_SYSTEM = "urn:oid:1.2.250.1.999.1.3.1"
IDENTITY_STATUS_CODES = {"PROV": "provisoire", "RECUP": "récupérée",
                         "VALI": "validée", "QUAL": "qualifiée"}

# Birth place: the standard patient-birthPlace extension, whose valueAddress carries an
# extension with this url and the INSEE code (commune, or 99xxx for a country) as valueCode.
BIRTH_PLACE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
INSEE_CODE_EXTENSION = "urn:oid:1.2.250.1.999.1.3.2"

# Medication codes kept as MedicationOrder.code (other codings, e.g. RxNorm, only give a label).
UCD_SYSTEM = "http://data.esante.gouv.fr/ansm/medicament/UCD"
CIP_SYSTEM = "http://data.esante.gouv.fr/ansm/medicament/CIP"
DRUG_CODE_SYSTEMS = (UCD_SYSTEM, "urn:oid:1.2.250.1.213.2.3.2", CIP_SYSTEM,
                     "urn:oid:1.2.250.1.213.2.3.1")

LOINC_SYSTEM = "http://loinc.org"
CIM10_SYSTEM = "http://hl7.org/fhir/sid/icd-10"
SNOMED_SYSTEM = "http://snomed.info/sct"   # allergy codes, incl. « no known allergy » (716186003)
EDQM_SYSTEM = "http://standardterms.edqm.eu"
UCUM_SYSTEM = "http://unitsofmeasure.org"
DICOM_MODALITY_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM"

# ServiceRequest.category / performerType codes that make a request nursing care (SNOMED CT):
# nursing procedure, evaluation, education, counselling, wound care, nursing care.
NURSING_CATEGORY_CODES = frozenset({"9632001", "386053000", "409073007", "409063005",
                                    "225358003", "1255560000"})
# performerType codes of nurses (SNOMED CT occupations): registered / professional nurse…
NURSE_ROLE_CODES = frozenset({"106292003", "224535009", "224571005", "224534008"})
# CarePlan.category codes that name no plan in particular (US Core assess-plan, « Care plan »).
GENERIC_CARE_PLAN_CODES = frozenset({"assess-plan", "734163000"})

# Social-history findings exported as Conditions (SNOMED CT, as Synthea and US Core SDOH
# exports do): employment, education, housing, social situation. They would flood the problem
# list of a downtime summary; FhirSystems leaves them out by default (counted as ignored).
SOCIAL_HISTORY_CODES = frozenset({
    "160903007", "160904001", "73438004", "741062008",            # employment
    "224299000", "224295006", "473461003", "5251000175109",       # education
    "105531004", "32911000", "1148447008",                        # housing
    "422650009", "423315002", "73595000", "266948004", "446654005",  # social situation
    "706893006", "424393004", "713458007", "160968000",
})
SOCIAL_HISTORY_CATEGORIES = ("social-history", "sdoh")


@dataclass(frozen=True)
class FhirSystems:
    """Which identifier systems carry the IPP, NDA and unit code in a hospital's export.

    When none of ``ipp`` matches, the importer SHOULD fall back to an identifier typed ``PI`` or
    ``MR``, then to the first identifier, then to the resource id (same for ``nda`` with ``VN``).
    """

    ipp: tuple[str, ...] = (IPP_SYSTEM,)
    nda: tuple[str, ...] = (NDA_SYSTEM,)
    unit: tuple[str, ...] = (UNIT_SYSTEM,)
    ins: tuple[str, ...] = INS_SYSTEMS
    social_history_codes: frozenset[str] = SOCIAL_HISTORY_CODES
    """Condition codes left out as social history (empty: keep every Condition)."""
    social_history_categories: tuple[str, ...] = SOCIAL_HISTORY_CATEGORIES
    """Condition.category codes left out as social history (empty: keep them)."""
