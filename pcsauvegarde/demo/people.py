"""Synthetic French identities (INS traits, NIR consistent with sex, birth date and place)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid

from pcsauvegarde.demo.tables import BIRTH_PLACES, FAMILY, FEMALE_FIRST, MALE_FIRST
from pcsauvegarde.publisher.importers.fhir.systems import (
    BIRTH_PLACE_EXTENSION,
    IDENTITY_STATUS_CODES,
    IDENTITY_STATUS_SYSTEM,
    INS_NIR_SYSTEM,
    INSEE_CODE_EXTENSION,
    IPP_SYSTEM,
    RPPS_SYSTEM,
)


def new_id(rng: random.Random) -> str:
    """A deterministic UUID-shaped logical id (as a real FHIR server would assign)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def nir(sex: str, birth: dt.date, insee: str, order: int) -> str:
    """A 15-digit NIR: sex, YY, MM, place (5), order (3) and the key 97 - n mod 97."""
    body = f"{1 if sex == 'M' else 2}{birth.year % 100:02d}{birth.month:02d}{insee}{order:03d}"
    return body + f"{97 - int(body) % 97:02d}"


def stable_ipp(family: str, given: list[str], birth: dt.date, sex: str, taken: set[str]) -> str:
    """An 8-digit IPP derived from the person's traits, so that it stays theirs whatever the
    order in which the demo draws people (a running number moved to someone else each minute)."""
    salt = 0
    while True:
        digest = hashlib.sha256(f"{family}|{'/'.join(given)}|{birth}|{sex}|{salt}".encode())
        ipp = str(41_000_000 + int.from_bytes(digest.digest()[:8]) % 9_000_000)
        if ipp not in taken:   # two people on one IPP never: the next salt decides
            taken.add(ipp)
            return ipp
        salt += 1


def make_patient(rng: random.Random, taken: set[str], today: dt.date, min_age: int = 18) -> dict:
    """A FHIR Patient: official (birth) name, usual name for some married women, INS for ~half;
    its IPP from :func:`stable_ipp` (``taken``: the IPPs already given out)."""
    sex = rng.choice("MF")
    pool = MALE_FIRST if sex == "M" else FEMALE_FIRST
    firsts = rng.sample(pool, rng.choice((1, 1, 2, 2, 3)))
    family = rng.choice(FAMILY)
    age_days = rng.randint(min_age * 365, 95 * 365)
    birth = today - dt.timedelta(days=age_days)
    names = [{"use": "official", "family": family, "given": firsts}]
    if sex == "F" and age_days > 25 * 365 and rng.random() < 0.5:
        husband = rng.choice([f for f in FAMILY if f != family])
        names.append({"use": "usual", "family": husband, "given": [firsts[0]]})
    ipp = stable_ipp(family, firsts, birth, sex, taken)
    identifiers = [{"use": "usual", "type": {"coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "PI"}]},
        "system": IPP_SYSTEM, "value": ipp}]
    resource: dict = {"resourceType": "Patient", "id": new_id(rng), "meta": {}}
    with_ins = rng.random() < 0.5
    if with_ins:
        insee, city = rng.choice(BIRTH_PLACES)
        identifiers.append({"use": "official", "type": {"coding": [{
            "system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203",
            "code": "INS-NIR"}]}, "system": INS_NIR_SYSTEM,
            "value": nir(sex, birth, insee, rng.randint(1, 999))})
        resource["extension"] = [{"url": BIRTH_PLACE_EXTENSION, "valueAddress": {
            "city": city, "extension": [{"url": INSEE_CODE_EXTENSION, "valueCode": insee}]}}]
        status = rng.choice(("QUAL", "QUAL", "QUAL", "RECUP"))
    else:
        status = rng.choice(("PROV", "VALI", "VALI"))
    resource["meta"]["tag"] = [{"system": IDENTITY_STATUS_SYSTEM, "code": status,
                                "display": IDENTITY_STATUS_CODES[status]}]
    resource.update(identifier=identifiers, name=names,
                    gender="male" if sex == "M" else "female", birthDate=birth.isoformat())
    return resource


def make_practitioner(rng: random.Random, number: int) -> dict:
    """A FHIR Practitioner with an RPPS identifier (11 digits)."""
    sex = rng.choice("MF")
    first = rng.choice(MALE_FIRST if sex == "M" else FEMALE_FIRST)
    return {"resourceType": "Practitioner", "id": new_id(rng),
            "identifier": [{"system": RPPS_SYSTEM, "value": f"{10_100_000_000 + number * 7919}"}],
            "name": [{"use": "official", "family": rng.choice(FAMILY), "given": [first],
                      "prefix": ["Dr"]}],
            "gender": "male" if sex == "M" else "female"}
