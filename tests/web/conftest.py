"""Web fixtures: users per role and unit, clients already logged in (no password round trip)."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.state.accounts import ROLES
from tests.support.constants import NOW, PASSWORD
from tests.support.odd import odd_hospital
from tests.support.stations import station_of_records
from tests.support.web import IN_UNIT, OUT_UNIT


@pytest.fixture
def people(station):
    """One account per role on every unit (``r-<role>``), a nurse of CHD only, an admin."""
    logins = {}
    for role in ROLES:
        login = "r-" + role.replace("é", "e")
        station.accounts.add(login, f"Rôle {role}", PASSWORD, (role,), ("*",))
        logins[role] = login
    station.accounts.add("ide-chd", "Infirmière CHD", PASSWORD, ("soins",), (IN_UNIT,))
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin", *ROLES[:-1]), ("*",))
    return logins


@pytest.fixture
def samples(station):
    """Values for URL arguments: one inside the CHD nurse's unit, one outside."""
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.issuing.issue import issue_patient_document

    ipp_in = patients.inpatients(station, IN_UNIT)[0].patient.id
    ipp_out = patients.inpatients(station, OUT_UNIT)[0].patient.id
    doc_in = issue_patient_document(station, "summary", ipp_in, "infirmiere").document.number
    doc_out = issue_patient_document(station, "summary", ipp_out, "infirmiere").document.number
    return {"in": {"ipp": ipp_in, "unit": IN_UNIT, "number": doc_in, "kind": "summary",
                   "login": "infirmiere", "job_id": 1, "page": 1, "batch_id": 1,
                   "form_id": "surveillance-24h", "supplier": "F001",
                   "entry_id": "20261127T000000000000-absent.age",
                   "item_kind": "document", "item_number": doc_in,
                   "slug": "admissions", "fmt": "hl7"},
            "out": {"ipp": ipp_out, "unit": OUT_UNIT, "number": doc_out}}


@pytest.fixture
def odd_app(settings, keys, drop, make_package):
    """The UI of a station holding ``odd_hospital`` only."""
    from pcsauvegarde.station.web import create_app
    st = station_of_records(settings, keys, drop, make_package, odd_hospital(NOW))
    return create_app(st, {"TESTING": True, "WTF_CSRF_ENABLED": False})


