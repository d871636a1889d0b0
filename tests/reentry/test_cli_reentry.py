"""`pcsauvegarde ressaisie`: declare, follow, report and purge from the console, in French."""

from __future__ import annotations

import datetime as dt

from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.issuing.issue import issue_patient_document
from pcsauvegarde.station.station import open_station
from tests.support.web import IN_UNIT


def test_outage_commands(settings):
    data = ["--data", str(settings.data_dir)]
    run = CliRunner().invoke
    r = run(main, ["ressaisie", "avancement", *data])
    assert r.exit_code == 1 and "aucune panne déclarée" in r.output
    start = to_local(dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M")
    r = run(main, ["ressaisie", "debut-panne", "--depuis", start, "--libelle", "Panne", *data])
    assert r.exit_code == 0 and f"Début de panne déclaré : {start}" in r.output, r.output
    r = run(main, ["ressaisie", "debut-panne", *data])
    assert r.exit_code == 1 and "déjà déclarée" in r.output and "Traceback" not in r.output
    earlier = to_local(dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)).strftime(
        "%d/%m/%Y %H:%M")
    r = run(main, ["ressaisie", "corriger-debut", "--depuis", earlier, *data])
    assert r.exit_code == 0 and f"Début de panne corrigé : {earlier}" in r.output, r.output
    # an explicit offset (date -Iminutes) is the same instant whatever the machine's zone
    iso = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=4)).replace(second=0, microsecond=0)
    r = run(main, ["ressaisie", "corriger-debut", "--depuis",
                   iso.astimezone(dt.timezone(dt.timedelta(hours=-5))).isoformat(), *data])
    expected = to_local(iso).strftime("%d/%m/%Y %H:%M")
    assert r.exit_code == 0 and f"Début de panne corrigé : {expected}" in r.output, r.output
    r = run(main, ["ressaisie", "corriger-debut", "--depuis", "2026-11-30T10:05", *data])
    assert r.exit_code == 1 and "illisibles" in r.output  # no offset: which zone? refused
    r = run(main, ["ressaisie", "fin-panne", "--a", "demain", *data])
    assert r.exit_code == 1 and "illisibles" in r.output
    from pcsauvegarde.station import patients
    station = open_station(settings)
    ipp = patients.inpatients(station, IN_UNIT)[0].patient.id
    issue_patient_document(station, "summary", ipp, "infirmiere")
    r = run(main, ["ressaisie", "fin-panne", *data])
    assert r.exit_code == 0 and "liste de ressaisie prête (période panne-1)" in r.output
    r = run(main, ["ressaisie", "avancement", "--periode", "panne-1", *data])
    assert r.exit_code == 0 and "Domaine Soins : 1 émis, 1 restant(s), 0 % terminés" in r.output
    r = run(main, ["ressaisie", "bilan", *data])
    assert r.exit_code == 0 and "Bilan de ressaisie : document" in r.output
    r = run(main, ["ressaisie", "purger", "--simulation", *data])
    assert r.exit_code == 0 and "0 PDF à purger (simulation" in r.output
    r = run(main, ["ressaisie", "purger", *data])
    assert r.exit_code == 0 and "0 PDF purgé(s)" in r.output and "conservé(s)" in r.output
