"""`pcsauvegarde users …`: password from stdin (never argv), list, disable, enable, reset."""

from __future__ import annotations

from click.testing import CliRunner

from pcsauvegarde.cli.main import main


def _run(args, data_dir, stdin=None):
    return CliRunner().invoke(main, ["users", *args, "--data", str(data_dir)], input=stdin)


def test_users_lifecycle(station_dir):
    r = _run(["add", "labo1", "--name", "Léa Labo", "--role", "laboratoire", "--unit", "REA"],
             station_dir, "mot-de-passe-1\n")
    assert r.exit_code == 0 and "créé" in r.output
    r = _run(["list"], station_dir)
    assert "labo1\tactif\tlaboratoire\tREA\tLéa Labo" in r.output
    assert _run(["disable", "labo1"], station_dir).exit_code == 0
    assert "labo1\tdésactivé" in _run(["list"], station_dir).output
    assert _run(["enable", "labo1"], station_dir).exit_code == 0
    r = _run(["reset", "labo1"], station_dir, "nouveau-secret\n")
    assert r.exit_code == 0 and "réinitialisé" in r.output

    from pcsauvegarde.station.settings import load_settings
    from pcsauvegarde.station.station import open_station
    station = open_station(load_settings(station_dir))
    assert station.accounts.authenticate("labo1", "nouveau-secret")
    actions = [e.action for e in station.audit.iter_entries()]
    assert actions == ["account.created", "account.disabled", "account.enabled",
                       "account.password_reset"]
    assert all(e.actor.startswith("console") for e in station.audit.iter_entries())


def test_users_errors_are_one_line(station_dir):
    r = _run(["add", "Bad Login!", "--unit", "REA"], station_dir, "mot-de-passe-1\n")
    assert r.exit_code == 1 and "invalide" in r.output and "Traceback" not in r.output
    r = _run(["add", "court", "--unit", "REA"], station_dir, "court\n")
    assert r.exit_code == 1 and "8 et 256" in r.output
    r = _run(["disable", "personne"], station_dir)
    assert r.exit_code == 1 and "inconnu" in r.output
    r = _run(["add", "x1", "--role", "chef"], station_dir, "mot-de-passe-1\n")
    assert r.exit_code == 2  # click refuses an unknown role before anything is written


def test_password_is_never_an_argument():
    out = CliRunner().invoke(main, ["users", "add", "--help"]).output
    assert "--password" not in out


def test_unknown_unit_is_warned(unpulled, station_dir):
    r = _run(["add", "avant1", "--unit", "ZZZ"], station_dir, "mot-de-passe-1\n")
    assert "aucune unité connue (aucune donnée tirée) ; unités non vérifiées" in r.output
    assert CliRunner().invoke(main, ["pull", "--data", str(station_dir)]).exit_code == 0
    r = _run(["add", "zzz1", "--unit", "ZZZ"], station_dir, "mot-de-passe-1\n")
    assert r.exit_code == 0 and "créé" in r.output
    assert "unité(s) inconnue(s) de cette station : « ZZZ »" in r.output
    r = _run(["add", "tous1", "--unit", "*"], station_dir, "mot-de-passe-1\n")  # never unknown
    assert "inconnue" not in r.output


def test_unit_must_be_given(station_dir):
    """Without --unit an account would see every unit: refused, nothing created."""
    r = _run(["add", "sans1"], station_dir, "mot-de-passe-1\n")
    assert r.exit_code == 2 and "--unit obligatoire" in r.output and "--unit '*'" in r.output
    r = _run(["list"], station_dir, "")
    assert "sans1" not in r.output
    r = _run(["add", "tous2", "--unit", "*"], station_dir, "mot-de-passe-1\n")
    assert r.exit_code == 0 and "créé" in r.output
