"""A corrected publisher key brings refused packages back; entries can be dismissed."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from pcsauvegarde.cli.main import ALL_QUARANTINED_EXIT, main
from pcsauvegarde.core.package.minisign import generate_keypair
from pcsauvegarde.station.keys import load_station_keys
from pcsauvegarde.station.readiness import check_quarantine
from pcsauvegarde.station.sync.actions import read_actions
from pcsauvegarde.station.sync.quarantine import list_entries
from tests.support.drops import dpi, state


def _pin_wrong_key(settings, tmp_path):
    """Pin a key that is not the publisher's; return the saved genuine key file."""
    pinned = settings.publisher_key_paths[0]
    genuine = tmp_path / "genuine.pub"
    shutil.copyfile(pinned, genuine)
    wrong = generate_keypair()
    pinned.write_text(wrong.public_key.to_file_text(), encoding="ascii")
    return genuine


def test_corrected_key_reexamines_packages_refused_for_their_signature(
        station, settings, drop, make_package, demo_records, tmp_path):
    before = state(station)
    genuine = _pin_wrong_key(settings, tmp_path)
    make_package(drop, dpi(demo_records), sequence=before[0] + 1)
    data = ["--data", str(settings.data_dir)]
    r = CliRunner().invoke(main, ["pull", *data])
    assert r.exit_code == ALL_QUARANTINED_EXIT, r.output
    assert "tous les nouveaux paquets sont en quarantaine" in r.output
    (entry,) = list_entries(settings)
    assert entry.code == "signature" and entry.open
    # Same wrong key: nothing new, nothing fetched again.
    r = CliRunner().invoke(main, ["pull", *data])
    assert r.exit_code == 0 and "0 nouveau(x) paquet(s)" in r.output, r.output
    shutil.copyfile(genuine, settings.publisher_key_paths[0])
    r = CliRunner().invoke(main, ["pull", *data])
    assert r.exit_code == 0, r.output
    assert "1 accepté(s)" in r.output
    assert state(station)[0] == before[0] + 1
    (entry,) = list_entries(settings)
    assert entry.requeued and not entry.open
    assert check_quarantine(station)[0].level == "ok"
    assert any(a["action"] == "quarantine-retry" for a in read_actions(settings))


def test_retry_command_hands_signature_refusals_back(station, settings, drop, make_package,
                                                     demo_records, tmp_path):
    genuine = _pin_wrong_key(settings, tmp_path)
    make_package(drop, dpi(demo_records), sequence=state(station)[0] + 1)
    data = ["--data", str(settings.data_dir)]
    CliRunner().invoke(main, ["pull", *data])
    r = CliRunner().invoke(main, ["quarantine", "reessayer", *data])
    assert r.exit_code == 0 and "réexaminé au prochain tirage" in r.output, r.output
    shutil.copyfile(genuine, settings.publisher_key_paths[0])
    # the fingerprint is unchanged since the retry: the command alone brought it back
    assert load_station_keys(settings)
    r = CliRunner().invoke(main, ["pull", *data])
    assert "1 accepté(s)" in r.output, r.output


def test_dismissed_entry_no_longer_flagged_by_doctor(station, settings, drop, make_package,
                                                     demo_records, tmp_path):
    _pin_wrong_key(settings, tmp_path)
    make_package(drop, dpi(demo_records), sequence=state(station)[0] + 1)
    data = ["--data", str(settings.data_dir)]
    CliRunner().invoke(main, ["pull", *data])
    (entry,) = list_entries(settings)
    assert check_quarantine(station)[0].level != "ok"
    r = CliRunner().invoke(main, ["quarantine", "ecarter", *data, entry.id])
    assert r.exit_code == 2 and "--motif" in r.output
    r = CliRunner().invoke(main, ["quarantine", "ecarter", *data, entry.id, "--motif", ""])
    assert r.exit_code == 1 and "motif obligatoire" in r.output
    r = CliRunner().invoke(main, ["quarantine", "ecarter", *data, entry.id,
                                  "--motif", "ancienne clé de test"])
    assert r.exit_code == 0 and "écarté" in r.output, r.output
    assert check_quarantine(station)[0].level == "ok"
    assert entry.package.with_name(entry.package.name + ".reason.json").exists()
    action = read_actions(settings)[0]
    assert action["action"] == "quarantine-dismiss" and action["motif"] == "ancienne clé de test"
    r = CliRunner().invoke(main, ["quarantine", "list", *data])
    assert "écarté : ancienne clé de test" in r.output
