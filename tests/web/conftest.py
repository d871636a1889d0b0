"""Web fixtures: users per role and unit, clients already logged in (no password round trip)."""

from __future__ import annotations

import pytest

from pcsauvegarde.station.state.accounts import ROLES
from tests.conftest import PASSWORD

IN_UNIT, OUT_UNIT = "CHD", "REA"  # units of the demo hospital


def client_as(app, login: str):
    """A test client holding an open server-side session for ``login``."""
    from pcsauvegarde.station.web import station_of
    from pcsauvegarde.station.web.auth import SESSION_KEY

    client = app.test_client()
    token = station_of(app).sessions.open(login)
    with client.session_transaction() as sess:
        sess[SESSION_KEY] = token
    return client


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
                   "login": "infirmiere", "job_id": 1, "page": 1,
                   "form_id": "surveillance-24h",
                   "entry_id": "20261127T000000000000-absent.age"},
            "out": {"ipp": ipp_out, "unit": OUT_UNIT, "number": doc_out}}


# Identifiers as real exports have them: a UUID unit code (36 characters), UUID and
# alphanumeric IPP/NDA (issue 9).
ODD_UNIT = "0f8fad5b-d9cb-469f-a165-70867728950e"
ODD_IPP = "b5c1e8a2-3d4f-4a6b-9c7d-1e2f3a4b5c6d"
ODD_NDA = "NDA-2026-AB12cd"


def odd_hospital(now):
    """A small hospital of odd shapes: long ids, a deceased inpatient, a discharged patient."""
    import datetime as dt

    from pcsauvegarde.core.records import Allergy, Condition, Patient, Stay, Unit
    day = dt.timedelta(days=1)
    dpi = [
        Patient(ODD_IPP, "LEFEBVRE-DE-LA-TOUR", "Marie Anne", dt.date(1950, 3, 4), "F",
                used_name="MARTIN"),
        Stay(ODD_NDA, ODD_IPP, ODD_UNIT, now - 2 * day, room="12", bed="A"),
        Allergy("al-1", ODD_IPP, "Pénicilline", reaction="Anaphylaxie", severity="high"),
        Allergy("al-2", ODD_IPP, "Latex", reaction="Urticaire", severity="severe"),
        Allergy("al-3", ODD_IPP, "Iode", status="refuted"),
        Condition("co-1", ODD_IPP, "Appendicite aiguë", status="resolved"),
        Condition("co-2", ODD_IPP, "Diabète de type 2"),
        Patient("IPP-DCD-1", "BERNARD", "Paul", dt.date(1940, 1, 2), "M", deceased=True),
        Stay("NDA-DCD-1", "IPP-DCD-1", ODD_UNIT, now - 5 * day, room="14"),
        Patient("IPP-OUT-1", "PETIT", "Léa", dt.date(1990, 5, 6), "F"),
        Stay("NDA-OUT-1", "IPP-OUT-1", ODD_UNIT, now - 9 * day, room="15",
             discharge=now - 3 * day),
    ]
    return {"dpi": dpi, "directory": [Unit(ODD_UNIT, "Soins continus")]}


def station_of_records(settings, keys, drop, make_package, domains):
    """A station that pulled only ``domains`` (domain → records), as first packages."""
    import shutil

    from pcsauvegarde.station.station import open_station
    from pcsauvegarde.station.sync.pull import pull_all
    from tests.conftest import PASSWORD
    shutil.rmtree(drop)
    drop.mkdir()
    for domain, records in domains.items():
        make_package(drop, records, domain=domain, sequence=1)
    st = open_station(settings)
    runs = pull_all(settings, st.store, keys)
    assert all(r.quarantined == 0 and not r.error for r in runs), runs
    st.accounts.add("infirmiere", "Inès Infirmière", PASSWORD, ("soins",), ("*",))
    return st


@pytest.fixture
def odd_app(settings, keys, drop, make_package):
    """The UI of a station holding ``odd_hospital`` only."""
    from pcsauvegarde.station.web import create_app
    from tests.conftest import NOW
    st = station_of_records(settings, keys, drop, make_package, odd_hospital(NOW))
    return create_app(st, {"TESTING": True, "WTF_CSRF_ENABLED": False})


def print_unit(client, unit: str, kinds, **form):
    """POST « Imprimer le service » and follow its progress page to the document's redirect."""
    import time
    r = client.post(f"/services/{unit}/imprimer", data={"kinds": list(kinds), **form})
    deadline = time.monotonic() + 120
    while r.status_code in (200, 302) and "/impression/" in r.headers.get("Location", ""):
        progress = r.headers["Location"]
        r = client.get(progress)
        while r.status_code == 200 and time.monotonic() < deadline:
            assert 'id="bundle-progress"' in r.get_data(as_text=True)
            time.sleep(0.2)
            r = client.get(progress)
    return r
