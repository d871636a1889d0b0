"""Roles and unit scoping on EVERY route, generated from ``app.url_map``.

A new route fails ``test_every_route_has_an_access_rule`` until ACCESS says which roles may
reach it; its URL arguments need a sample value in ``samples`` (tests/web/conftest.py).
"""

from __future__ import annotations

import pytest

from pcsauvegarde.station.state.accounts import ROLES
from tests.support.web import client_as, route_rules, sample_url

PUBLIC = "public"
ANY = tuple(ROLES)
CLINICAL = ("soins", "laboratoire", "pharmacie", "imagerie")
ADMIN = ("admin",)
REENTRY = ("soins", "laboratoire", "pharmacie", "stérilisation", "admin")
ACCESS: dict[str, str | tuple[str, ...]] = {
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "patients.home": ANY,
    "patients.search": CLINICAL,
    "patients.unit": CLINICAL,
    "patients.patient": CLINICAL,
    "patients.issue": ("soins",),
    "patients.document": CLINICAL,
    "patients.document_pdf": CLINICAL,
    "patients.document_page": CLINICAL,
    "patients.print_document": CLINICAL,
    "scope.breakglass": CLINICAL,
    "admin.home": ADMIN,
    "admin.accounts": ADMIN,
    "admin.account": ADMIN,
    "admin.activation": ADMIN,
    "admin.exercise_switch": ADMIN,
    "admin.print_procedure": ADMIN,
    "admin.password": ADMIN,
    "admin_journal.journal": ADMIN,
    "admin_journal.journal_csv": ADMIN,
    "admin_journal.verify": ADMIN,
    "care.print_unit": ("soins",),
    "care.bundle_progress": ("soins",),
    "kits.choose": ("soins", "admin"),
    "kits.print_kit": ("soins", "admin"),
    "kits.progress": ("soins", "admin"),
    "kits.print_form": ("soins",),
    "admissions.admit": ("soins",),
    "printing.jobs": ANY,
    "printing.retry": ANY,
    "printing.retry_all": ANY,
    "printing.set_aside": ANY,
    "admin_sync.index": ADMIN,
    "admin_sync.freeze": ADMIN,
    "admin_sync.quarantine_entry": ADMIN,
    "admin_sync.quarantine_accept": ADMIN,
    "admin_sync.quarantine_dismiss": ADMIN,
    "lab.home": ("laboratoire",),
    "lab.batch": ("laboratoire",),
    "lab.reprint_batch": ("laboratoire",),
    "lab.patient": ("laboratoire",),
    "lab.request_form": ("laboratoire",),
    "lab.cumulative": ("laboratoire",),
    "lab.entry_sheet": ("laboratoire",),
    "lab.registry": ("laboratoire",),
    "lab.registry_print": ("laboratoire",),
    "lab.registry_csv": ("laboratoire",),
    "lab.registry_fhir": ("laboratoire",),
    "sterilisation.index": ("stérilisation",),
    "sterilisation.issue": ("stérilisation",),
    "sterilisation_cycles.cycles": ("stérilisation",),
    "sterilisation_docs.document": ("stérilisation",),
    "sterilisation_docs.document_page": ("stérilisation",),
    "sterilisation_docs.document_pdf": ("stérilisation",),
    "sterilisation_docs.print_document": ("stérilisation",),
    "pharmacy.dotation_units": ("pharmacie",),
    "pharmacy.dotation": ("pharmacie",),
    "pharmacy.print_dotation": ("pharmacie",),
    "pharmacy.suppliers": ("pharmacie",),
    "pharmacy.supplier_order": ("pharmacie",),
    "pharmacy.print_supplier_order": ("pharmacie",),
    "reentry.worklist": REENTRY,
    "reentry.scan_code": REENTRY,
    "reentry.item": REENTRY,
    "reentry.mark_shown": REENTRY,
    "reentry.outages": ADMIN,
    "reentry.print_report": ADMIN,
    "transcribe.open_item": ("admin", "soins", "laboratoire", "pharmacie", "stérilisation"),
    "transcribe.verify": ("admin", "soins", "laboratoire", "pharmacie", "stérilisation"),
    "transcribe.plan": ("soins", "admin"),
    "transcribe.lab": ("laboratoire", "admin"),
    "transcribe.tray": ("stérilisation", "admin"),
    "transcribe.admission": ("soins", "admin"),
    "transcribe.pharmacy": ("pharmacie", "admin"),
    "transcribe.cycle": ("stérilisation", "admin"),
    "transcribe_exports.index": ADMIN,
    "transcribe_exports.download": ADMIN,
    "imaging.index": ("imagerie",),
    "imaging.day_schedule": ("imagerie",),
    "imaging.print_schedule": ("imagerie",),
    "imaging.print_day": ("imagerie",),
    "imaging.print_report": ("imagerie",),
    "consultations.index": ("soins",),
    "consultations.clinic_day": ("soins",),
    "consultations.print_calls": ("soins",),
    "pharmacy.request_form": ("pharmacie",),
    "pharmacy.print_request": ("pharmacie",),
    "pharmacy.print_unit_inventory": ("pharmacie",),
    "pharmacy.print_unit_prescriptions": ("pharmacie",),
    "pharmacy.inventories": ("pharmacie",),
    "pharmacy.print_inventory": ("pharmacie",),
    "pharmacy.directory_screen": ("pharmacie",),
    "pharmacy.print_directory": ("pharmacie",),
    "theatre.index": ("imagerie", "soins"),
    "theatre.print_schedule": ("imagerie", "soins"),
    "theatre.print_preop": ("imagerie", "soins"),
    "theatre.print_transfer_pack": ("soins",),
}
SCOPED_ARGS = {"ipp", "unit", "number"}


def _call(client, method: str, url: str):
    return client.open(url, method=method, data={} if method == "POST" else None)


def _to_login(r) -> bool:
    return r.status_code == 302 and "/connexion" in r.headers.get("Location", "")


def test_every_route_has_an_access_rule(app):
    endpoints = {r.endpoint for r, _ in route_rules(app)}
    assert endpoints - set(ACCESS) == set(), "routes without an expected access rule"
    assert set(ACCESS) - endpoints == set(), "rules for routes that no longer exist"


@pytest.mark.slow
def test_roles_on_every_route(app, people, samples):
    """Each role gets the page (2xx/3xx/400/422 on an empty form) or a clean 403, as declared."""
    failures = []
    anonymous = app.test_client()
    for rule, method in route_rules(app):
        url = sample_url(rule, samples["in"])
        allowed = ACCESS[rule.endpoint]
        r = _call(anonymous, method, url)
        if allowed == PUBLIC:
            if r.status_code >= 500 or (_to_login(r) and rule.endpoint != "auth.logout"):
                failures.append(f"anonymous {method} {url}: {r.status_code}")
            continue
        if not _to_login(r):
            failures.append(f"anonymous {method} {url}: {r.status_code}, not sent to login")
        for role in ROLES:
            client = client_as(app, people[role])
            r = _call(client, method, url)
            if role in allowed:
                # 422: an empty form refused field by field; 404: no failed print job #1
                # no such job / quarantine entry / lab batch
                missing = {"job_id", "entry_id", "batch_id"} & rule.arguments
                accepted = (200, 302, 400, 422) + ((404,) if missing else ())
                ok = r.status_code in accepted and not _to_login(r)
            else:
                ok = r.status_code == 403 and "Accès refusé" in r.get_data(as_text=True)
            if not ok:
                failures.append(f"{role} {method} {url}: {r.status_code}")
    assert not failures, "\n".join(failures)


def test_unit_scoping_on_every_route(app, people, samples):
    """A nurse of CHD reaches CHD's patients, units and documents, and none of REA's."""
    failures = []
    for rule, method in route_rules(app):
        if not rule.arguments & SCOPED_ARGS or "soins" not in ACCESS[rule.endpoint]:
            continue
        for where in ("in", "out"):
            values = {**samples["in"], **{k: v for k, v in samples[where].items()
                                          if k in rule.arguments & SCOPED_ARGS}}
            client = client_as(app, "ide-chd")
            r = _call(client, method, sample_url(rule, values))
            if rule.endpoint == "scope.breakglass":
                expected = {"in": (302,), "out": (200, 400)}[where]
            else:
                expected = {"in": (200, 302), "out": (403,)}[where]
            if r.status_code not in expected:
                failures.append(f"{where} {method} {rule.rule}: {r.status_code}")
    assert not failures, "\n".join(failures)


def test_out_of_unit_patient_page_offers_break_glass(app, people, samples):
    client = client_as(app, "ide-chd")
    r = client.get(f"/patients/{samples['out']['ipp']}")
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "hors de vos services" in html and 'name="reason"' in html


def test_search_lists_other_units_without_opening_them(app, people, samples, station):
    from pcsauvegarde.station import patients
    row = patients.inpatients(station, "REA")[0]
    client = client_as(app, "ide-chd")
    html = client.get("/recherche", query_string={"q": row.patient.birth_name}).get_data(
        as_text=True)
    assert "Hors de vos services" in html and "acces-exceptionnel" in html
    assert f'href="/patients/{row.patient.id}"' not in html
