"""Admin pages (accounts, journal), break-glass and the home page per role."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from tests.support.constants import PASSWORD
from tests.support.web import client_as


@pytest.fixture
def admin(app, station):
    station.accounts.add("chef", "Administratrice", PASSWORD, ("admin",), ("*",))
    return client_as(app, "chef")


def _text(r) -> str:
    return htmllib.unescape(r.get_data(as_text=True))


def test_create_edit_reset_disable_an_account(admin, app, station):
    r = admin.post("/admin/comptes", data={"login": "pharma1", "name": "Paul Pharmacie",
                                           "password": "provisoire-1", "role": ["pharmacie"],
                                           "unit": ["REA", "CHD"]})
    assert r.status_code == 302
    user = station.accounts.get("pharma1")
    assert user.roles == ("pharmacie",) and set(user.units) == {"REA", "CHD"}
    assert "pharma1" in _text(admin.get("/admin/comptes"))

    r = admin.post("/admin/comptes/pharma1", data={"name": "Paul P.", "role": ["pharmacie",
                                                   "soins"], "unit": ["*"]})
    assert r.status_code == 302 and station.accounts.get("pharma1").units == ("*",)
    r = admin.post("/admin/comptes/pharma1/mot-de-passe",
                   data={"password": "nouveau-mdp-2", "confirm": "nouveau-mdp-2"})
    assert r.status_code == 302 and station.accounts.authenticate("pharma1", "nouveau-mdp-2")
    admin.post("/admin/comptes/pharma1/activation", data={"active": "0"})
    assert not station.accounts.get("pharma1").active
    admin.post("/admin/comptes/pharma1/activation", data={"active": "1"})
    assert station.accounts.get("pharma1").active
    actions = [e.action for e in station.audit.search(actor="chef", limit=10)[0]]
    assert actions[:5] == ["account.enabled", "account.disabled", "account.password_reset",
                           "account.updated", "account.created"]


def test_bad_account_forms_are_refused_in_french(admin, station):
    r = admin.post("/admin/comptes", data={"login": "X Y", "password": "provisoire-1",
                                           "role": ["soins"], "unit": ["*"]})
    assert r.status_code == 400 and "identifiant « x y » invalide" in _text(r)
    r = admin.post("/admin/comptes", data={"login": "ok1", "password": "court",
                                           "role": ["soins"], "unit": ["*"]})
    assert r.status_code == 400 and "8 et 256" in _text(r)
    r = admin.post("/admin/comptes", data={"login": "ok1", "password": "provisoire-1",
                                           "role": ["chef"], "unit": ["*"]})
    assert r.status_code == 400 and "rôle « chef » inconnu" in _text(r)
    r = admin.post("/admin/comptes/infirmiere/mot-de-passe",
                   data={"password": "nouveau-mdp-2", "confirm": "autre-mdp-22"},
                   follow_redirects=True)
    assert "diffèrent" in _text(r)
    assert admin.get("/admin/comptes/personne").status_code == 404


def test_admin_cannot_lock_everyone_out(admin, station):
    r = admin.post("/admin/comptes/chef/activation", data={"active": "0"}, follow_redirects=True)
    assert "propre compte" in _text(r) and station.accounts.get("chef").active
    r = admin.post("/admin/comptes/chef", data={"name": "x", "role": ["soins"], "unit": ["*"]},
                   follow_redirects=True)
    assert r.status_code == 400 and "au moins un compte administrateur" in _text(r)


def test_break_glass_flow(app, station, admin):
    from pcsauvegarde.station import patients
    station.accounts.add("ide-chd", "IDE CHD", PASSWORD, ("soins",), ("CHD",))
    nurse = app.test_client()
    nurse.post("/connexion", data={"login": "ide-chd", "password": PASSWORD})
    ipp = patients.inpatients(station, "REA")[0].patient.id
    assert nurse.get(f"/patients/{ipp}").status_code == 403
    r = nurse.post(f"/patients/{ipp}/acces-exceptionnel", data={"reason": "trop court"})
    assert r.status_code == 400 and "au moins 15 caractères" in _text(r)
    reason = "Transfert en urgence depuis la réanimation\x00\u202e"
    r = nurse.post(f"/patients/{ipp}/acces-exceptionnel", data={"reason": reason})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/patients/{ipp}")
    assert nurse.get(f"/patients/{ipp}").status_code == 200
    assert nurse.post(f"/patients/{ipp}/documents/summary").status_code == 302
    entry = station.audit.search(action="patient.breakglass")[0][0]
    assert entry.actor == "ide-chd" and entry.target == ipp
    assert entry.details_dict["reason"] == "Transfert en urgence depuis la réanimation"
    assert "Transfert en urgence" in _text(admin.get("/admin"))
    # the grant lasts for this session only
    nurse.post("/deconnexion")
    nurse.post("/connexion", data={"login": "ide-chd", "password": PASSWORD})
    assert nurse.get(f"/patients/{ipp}").status_code == 403


def test_journal_browse_filter_paginate_and_export(admin, station):
    for i in range(60):
        station.audit.record("infirmiere", "patient.view", f"{i:08d}")
    station.audit.record("x", "patient.search", "=HYPERLINK(\"http://evil\")")
    r = admin.get("/admin/journal", query_string={"utilisateur": "infirmiere",
                                                  "action": "patient.view"})
    text = _text(r)
    assert r.status_code == 200 and "60 entrées" in text and "Page 1 / 2" in text
    assert "00000059" in text and "00000005" not in text
    text = _text(admin.get("/admin/journal", query_string={"utilisateur": "infirmiere",
                                                           "action": "patient.view",
                                                           "page": "2"}))
    assert "00000005" in text and "Page 2 / 2" in text
    assert "0 entrée" in _text(admin.get("/admin/journal", query_string={"du": "2001-01-01",
                                                                        "au": "2001-01-02"}))
    r = admin.get("/admin/journal.csv")
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    body = r.get_data(as_text=True)
    assert "'=HYPERLINK" in body and ";=HYPERLINK" not in body
    assert station.audit.search(action="audit.exported")[1] == 1
    r = admin.post("/admin/journal/verification", follow_redirects=True)
    assert "intègre" in _text(r)


def test_home_shows_next_actions_per_role(app, station):
    station.accounts.add("labo", "Labo", PASSWORD, ("laboratoire",), ("*",))
    station.accounts.add("chef", "Admin", PASSWORD, ("admin",), ("*",))
    html = client_as(app, "labo").get("/").get_data(as_text=True)
    assert "Étiquettes de laboratoire" in html and 'href="/labo"' in html  # the lab screens
    text = _text(client_as(app, "chef").get("/"))
    assert "Journal d'audit" in text and 'href="/admin/comptes"' in text
    assert "Mes services" not in text and 'role="search"' not in text
    text = _text(client_as(app, "infirmiere").get("/"))
    assert "Mes services" in text and "Administration" not in text


def test_unit_page_offers_print_actions_and_allergy_flags(logged_in, station):
    from pcsauvegarde.station import patients
    rows = patients.inpatients(station, "REA")
    text = _text(logged_in.get("/services/REA"))
    assert text.count("Imprimer la synthèse de") == len(rows)
    assert any(r.allergies for r in rows)
    for r in rows:  # each badge names the substance
        for substance in r.allergies:
            assert f'<span class="flag-allergy">{substance}</span>' in text


def test_admin_home_links_every_admin_page_that_exists(app, people):
    """No « bientôt » tile for an admin page the station has (accounts, journal, sync)."""
    from pcsauvegarde.station.web.navigation import sections_for
    admin = next(s for s in sections_for(("admin",), app.url_map) if s.title == "Administration")
    assert all(t.href for t in admin.tiles), [t.title for t in admin.tiles if not t.href]


def test_screens_show_no_internal_labels(app, people, station):
    """No « folder », raw JSON, Mo counts or printer codes on the admin's screens."""
    admin = client_as(app, "chef")
    client_as(app, "infirmiere").get("/recherche", query_string={"q": "martin"})
    sync = _text(admin.get("/admin/synchro/"))
    assert "(dossier, toutes les" in sync and "(folder" not in sync
    assert re.search(r'id="disk-free">\d+(,\d)? [GM]o libres<', sync), sync
    journal = _text(admin.get("/admin/journal"))
    assert "{" not in journal.split("<tbody>")[1].split("</tbody>")[0]  # no JSON in Détails
    assert "trouvés : " in journal
    printing = _text(client_as(app, "infirmiere").get("/impressions"))
    assert "Imprimante <strong>dossier d'impression (démonstration)</strong>" in printing


def test_journal_date_filters_are_french_whatever_the_browser(app, people):
    admin = client_as(app, "chef")
    text = _text(admin.get("/admin/journal", query_string={"du": "27/11/2026"}))
    assert 'value="27/11/2026"' in text and 'type="date"' not in text
    assert 'placeholder="JJ/MM/AAAA"' in text


def test_megabytes_in_words():
    from pcsauvegarde.station.web.labels import megabytes
    assert megabytes(78878) == "77 Go" and megabytes(7680) == "7,5 Go"
    assert megabytes(850) == "850 Mo"
