"""Quarantine list/show/force-accept (CLI and admin UI), freeze switch, retention."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.station.sync.actions import read_actions
from pcsauvegarde.station.sync.pull import pull_all
from pcsauvegarde.station.sync.quarantine import QuarantineError, force_accept, list_entries
from tests.support.constants import PASSWORD
from tests.support.drops import dpi, state


@pytest.fixture
def collapsed(station, settings, keys, drop, make_package, demo_records):
    """A genuine package quarantined by the sanity gate (patient count collapses)."""
    few = [r for r in dpi(demo_records) if r.TYPE == "patient"][:3]
    seq = state(station)[0] + 1
    make_package(drop, few, sequence=seq)
    assert pull_all(settings, station.store, keys)[0].quarantined == 1
    (entry,) = list_entries(settings)
    return entry


def test_cli_list_show_accept(station, settings, collapsed):
    runner = CliRunner()
    data = ["--data", str(settings.data_dir)]
    r = runner.invoke(main, ["quarantine", "list", *data])
    assert r.exit_code == 0 and collapsed.id in r.output and "forçable" in r.output
    r = runner.invoke(main, ["quarantine", "show", *data, collapsed.id])
    assert r.exit_code == 0, r.output
    assert "chute" in r.output and "domain : dpi" in r.output and "patient 3" in r.output
    r = runner.invoke(main, ["quarantine", "accept", *data, collapsed.id, "--yes"])
    assert r.exit_code == 0, r.output
    assert "accepté" in r.output and "journalisée" in r.output
    assert state(station)[2] == 3 and list_entries(settings) == []
    assert read_actions(settings)[0]["action"] == "force-accept"
    kept = [p.name for p in (settings.packages_dir / "dpi").glob("*.age")]
    assert collapsed.file in kept
    r = runner.invoke(main, ["quarantine", "show", *data, "inconnu"])
    assert r.exit_code == 1 and "aucun paquet" in r.output and "Traceback" not in r.output


def test_force_accept_still_requires_a_valid_signature(station, settings, keys, collapsed):
    before = state(station)
    data = bytearray(collapsed.package.read_bytes())
    data[len(data) // 2] ^= 1
    collapsed.package.write_bytes(bytes(data))
    with pytest.raises(QuarantineError, match="signature"):
        force_accept(settings, station.store, collapsed.id, keys, "admin")
    assert state(station) == before and len(list_entries(settings)) == 1


def test_authenticity_refusals_cannot_be_forced(station, settings, keys, drop, make_package,
                                                demo_records):
    path = make_package(drop, dpi(demo_records), sequence=state(station)[0] + 1)
    path.write_bytes(path.read_bytes()[:-100])
    pull_all(settings, station.store, keys)
    (entry,) = list_entries(settings)
    assert not entry.overridable
    with pytest.raises(QuarantineError, match="non contournable"):
        force_accept(settings, station.store, entry.id, keys, "admin")


def test_cli_freeze(settings):
    runner = CliRunner()
    data = ["--data", str(settings.data_dir)]
    r = runner.invoke(main, ["freeze", "on", *data, "--reason", "cyberattaque"])
    assert r.exit_code == 0 and "SUSPENDUS" in r.output and "cyberattaque" in r.output
    r = runner.invoke(main, ["pull", *data])
    assert r.exit_code == 1 and "suspendus" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["freeze", "status", *data])
    assert "SUSPENDUS" in r.output and r.exit_code == 3
    assert "actifs" in runner.invoke(main, ["freeze", "off", *data]).output
    r = runner.invoke(main, ["freeze", "status", *data])
    assert "actifs" in r.output and r.exit_code == 0


def test_retention_never_drops_the_current_snapshot(station, settings, keys, drop,
                                                    make_package, demo_records, tmp_path):
    from pcsauvegarde.station.settings import load_settings
    s = load_settings(settings.data_dir, {"keep_packages": 2})
    base = state(station)[0]
    records = dpi(demo_records)
    for i in range(11, 14):
        make_package(drop, records, sequence=base + i)
        assert pull_all(s, station.store, keys)[0].accepted == 1
    kept = sorted(p.name for p in (s.packages_dir / "dpi").glob("*.age"))
    assert len(kept) == 2 and kept[-1] == station.store.snapshot("dpi").package
    # an older package forced in by the admin becomes current: it is kept even if oldest
    from pcsauvegarde.station.sync.ingest import ingest
    old = make_package(tmp_path, records, sequence=base + 5)
    assert ingest(s, station.store, old, keys).outcome == "quarantined"
    (entry,) = list_entries(s)
    force_accept(s, station.store, entry.id, keys, "admin", confirm_domain="dpi")
    kept = sorted(p.name for p in (s.packages_dir / "dpi").glob("*.age"))
    assert old.name in kept and station.store.snapshot("dpi").package == old.name


@pytest.fixture
def admin(station, app):
    station.accounts.add("chef", "Admin Système", PASSWORD, ("admin",), ("*",))
    client = app.test_client()
    assert client.post("/connexion", data={"login": "chef", "password": PASSWORD}
                       ).status_code == 302
    return client


def test_admin_page_shows_runs_keys_disk_and_data_age(admin, station):
    page = admin.get("/admin/synchro/").get_data(as_text=True)
    assert "Synchronisation" in page and "test-drop" in page
    assert "Mo" in page and "Émetteur épinglé" in page and "age1" in page
    assert "Dossier patient" in page


def test_admin_page_is_for_admins_only(logged_in):
    assert logged_in.get("/admin/synchro/").status_code == 403
    assert logged_in.post("/admin/synchro/gel", data={"action": "on"}).status_code == 403


def test_admin_freeze_button_shows_banner_everywhere(admin, logged_in):
    r = admin.post("/admin/synchro/gel", data={"action": "on", "reason": "test"})
    assert r.status_code == 302
    assert "Tirages suspendus" in logged_in.get("/").get_data(as_text=True)
    admin.post("/admin/synchro/gel", data={"action": "off"})
    assert "Tirages suspendus" not in logged_in.get("/").get_data(as_text=True)


def test_admin_inspect_and_force_accept(admin, station, settings, collapsed):
    page = admin.get("/admin/synchro/").get_data(as_text=True)
    assert collapsed.file in page
    detail = admin.get(f"/admin/synchro/quarantaine/{collapsed.id}").get_data(as_text=True)
    assert "Manifeste" in detail and "Accepter ce paquet" in detail and "chute" in detail
    r = admin.post(f"/admin/synchro/quarantaine/{collapsed.id}/accepter")
    assert r.status_code == 302 and list_entries(settings) == []
    assert state(station)[2] == 3
    assert read_actions(settings)[0]["actor"] == "chef"
    assert admin.get("/admin/synchro/quarantaine/absent").status_code == 404


def test_admin_forms_carry_csrf_tokens(station, collapsed):
    from pcsauvegarde.station.web import create_app
    station.accounts.add("chef", "Admin", PASSWORD, ("admin",), ("*",))
    client = create_app(station, {"TESTING": True}).test_client()
    login = client.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    client.post("/connexion", data={"login": "chef", "password": PASSWORD, "csrf_token": token})
    page = client.get("/admin/synchro/").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert client.post("/admin/synchro/gel", data={"action": "on"}).status_code == 400
    detail = client.get(f"/admin/synchro/quarantaine/{collapsed.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', detail).group(1)
    r = client.post(f"/admin/synchro/quarantaine/{collapsed.id}/accepter",
                    data={"csrf_token": token})
    assert r.status_code == 302


def test_help_lists_sync_commands_and_module_entry_point_works():
    import subprocess
    import sys
    out = CliRunner().invoke(main, ["--help"]).output
    for command in ("freeze", "quarantine", "fleet"):
        assert command in out
    r = subprocess.run([sys.executable, "-m", "pcsauvegarde.cli", "--help"],
                       check=False, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "quarantine" in r.stdout


def test_sync_actions_are_in_the_chained_audit(settings):
    """Freezes are audit entries: tampering with one breaks `audit verify`."""
    from pcsauvegarde.station.state.audit import Audit
    from pcsauvegarde.station.state.statedb import StateDB
    from pcsauvegarde.station.sync.freeze import set_frozen
    set_frozen(settings, True, by="chef", reason="intrusion en cours d'analyse")
    set_frozen(settings, False, by="chef", reason="")
    audit = Audit(StateDB(settings.data_dir / "station.sqlite"))
    assert audit.verify().ok
    with audit.db.connect() as db:
        actions = [r[0] for r in db.execute("SELECT action FROM audit ORDER BY seq")]
    assert actions[-2:] == ["sync.freeze", "sync.unfreeze"]


@pytest.fixture
def older(station, settings, keys, drop, make_package, demo_records):
    """A genuine package older than the data in service (a rollback), quarantined."""
    import datetime as dt

    from tests.support.constants import NOW

    base = state(station)[0]
    make_package(drop, dpi(demo_records), sequence=base + 10)
    assert pull_all(settings, station.store, keys)[0].accepted == 1
    make_package(drop, dpi(demo_records), sequence=base + 5,
                 extracted_at=NOW - dt.timedelta(hours=3, minutes=10))
    assert pull_all(settings, station.store, keys)[0].quarantined == 1
    (entry,) = list_entries(settings)
    assert entry.overridable and entry.code == "sequence"
    return entry, base


def test_cli_rollback_warns_in_red_and_requires_the_domain_name(station, settings, older):
    entry, base = older
    data = ["--data", str(settings.data_dir)]
    r = CliRunner().invoke(main, ["quarantine", "accept", *data, entry.id, "--yes"],
                           input="oui\n", color=True)
    assert r.exit_code == 1, r.output
    assert "\x1b[31m" in r.output  # red
    assert ("ATTENTION : les données « Dossier patient » en service (séquence "
            f"{base + 10}") in r.output
    assert "PLUS ANCIENNES de 3 h 10" in r.output
    assert state(station)[0] == base + 10 and len(list_entries(settings)) == 1
    r = CliRunner().invoke(main, ["quarantine", "accept", *data, entry.id],
                           input="dossier PATIENT\n")
    assert r.exit_code == 0, r.output
    assert state(station)[0] == base + 5
    action = read_actions(settings)[0]
    assert action["action"] == "force-accept" and action["rollback_domain"] == "dpi"
    assert action["from_sequence"] == base + 10 and action["to_sequence"] == base + 5
    assert action["older_by_seconds"] == 3 * 3600 + 600


def test_admin_rollback_shows_the_warning_and_requires_the_domain(admin, station, settings,
                                                                  older):
    entry, base = older
    page = admin.get(f"/admin/synchro/quarantaine/{entry.id}").get_data(as_text=True)
    assert 'id="rollback"' in page and "PLUS ANCIENNES de 3 h 10" in page
    assert 'name="domain"' in page
    admin.post(f"/admin/synchro/quarantaine/{entry.id}/accepter", data={"domain": "lab"})
    assert state(station)[0] == base + 10 and len(list_entries(settings)) == 1
    admin.post(f"/admin/synchro/quarantaine/{entry.id}/accepter",
               data={"domain": "Dossier patient"})
    assert state(station)[0] == base + 5 and list_entries(settings) == []
    assert read_actions(settings)[0]["actor"] == "chef"


def test_a_replay_is_not_forceable(station, settings, keys, drop, make_package, demo_records,
                                   tmp_path):
    from pcsauvegarde.station.sync.ingest import ingest

    current = state(station)[0]
    again = make_package(tmp_path, dpi(demo_records), sequence=current)
    assert ingest(settings, station.store, again, keys).outcome == "quarantined"
    (entry,) = list_entries(settings)
    assert entry.code == "replay" and not entry.overridable
    r = CliRunner().invoke(main, ["quarantine", "list", "--data", str(settings.data_dir)])
    assert "non forçable" in r.output and "rejeu" in r.output
    with pytest.raises(QuarantineError, match="non contournable"):
        force_accept(settings, station.store, entry.id, keys, "admin")


def test_admin_page_says_a_restart_is_needed_when_station_toml_changed(admin, station):
    assert 'id="restart"' not in admin.get("/admin/synchro/").get_data(as_text=True)
    path = station.settings.config_path
    path.write_text(path.read_text(encoding="utf-8") + "stale_after_minutes = 30\n",
                    encoding="utf-8")
    page = admin.get("/admin/synchro/").get_data(as_text=True)
    assert 'id="restart"' in page and "redémarrage nécessaire" in page


def test_admin_dismisses_an_entry_with_a_reason(admin, station, settings, collapsed):
    import html as htmllib

    from pcsauvegarde.station.readiness import check_quarantine

    detail = admin.get(f"/admin/synchro/quarantaine/{collapsed.id}").get_data(as_text=True)
    assert "Écarter ce paquet" in htmllib.unescape(detail)
    r = admin.post(f"/admin/synchro/quarantaine/{collapsed.id}/ecarter", data={"motif": ""})
    assert r.status_code == 302 and list_entries(settings)[0].open
    r = admin.post(f"/admin/synchro/quarantaine/{collapsed.id}/ecarter",
                   data={"motif": "chute réelle vérifiée avec le DPI : fermeture d'unité"})
    assert r.status_code == 302
    (entry,) = list_entries(settings)
    assert entry.dismissed.startswith("chute réelle") and entry.package.exists()
    assert check_quarantine(station)[0].level == "ok"
    assert read_actions(settings)[0]["action"] == "quarantine-dismiss"
    assert read_actions(settings)[0]["actor"] == "chef"
    page = htmllib.unescape(admin.get("/admin/synchro/").get_data(as_text=True))
    assert "Écarté : chute réelle" in page
