"""The fleet's static HTML report: every station, the ones to check first, everything escaped."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from click.testing import CliRunner

from pcsauvegarde.cli.main import main
from pcsauvegarde.publisher.fleet import StationStatus
from pcsauvegarde.publisher.fleet_html import render_html
from tests.support.heartbeats import station_settings, write_beat

NOW = dt.datetime(2026, 11, 27, 6, 30, tzinfo=dt.UTC)
HOSTILE = "<script>alert('poste')</script>"
CHROMIUM = "/usr/bin/chromium"


def _rows() -> list[StationStatus]:
    heard = NOW - dt.timedelta(minutes=3)
    return [
        StationStatus("rea-1", heard, dt.timedelta(minutes=4), "", "ok", location="Bât. B",
                      units=("REA",), version="0.9.0", readiness="ok", last_pull=heard,
                      audit_head=1834),
        StationStatus(HOSTILE, heard, dt.timedelta(minutes=5), "", "non prête",
                      "détail <img src=x onerror=alert(1)>", flags=("non prête",),
                      location="Cave & sous-sol", version="0.9.0", readiness="critical",
                      failing=("Imprimante", "Source « dépôt »"), last_pull=heard),
        StationStatus("urg-2", None, None, "", "silencieuse", "aucun signal",
                      flags=("silencieuse",), units=("URG", "UHCD")),
        StationStatus("med-3", heard, dt.timedelta(hours=26, minutes=5), "", "périmée",
                      flags=("périmée", "version"), version="0.8.2", readiness="warning",
                      failing=("Disque",), last_pull=heard - dt.timedelta(hours=26)),
    ]


def test_report_lists_every_station_flags_and_escapes():
    page = render_html(_rows(), NOW, "/srv/depot", ["une même clé <b>deux fois</b>"])
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "<script" not in page and "<img" not in page and "<b>deux" not in page
    assert "&lt;script&gt;alert(&#x27;poste&#x27;)&lt;/script&gt;" in page
    assert "Cave &amp; sous-sol" in page
    # no external asset of any kind: the file is read on a workstation without network
    assert not re.search(r"<[^>]*\s(src|href)\s*=|https?://|@import|url\(", page)
    assert "27/11/2026 07:30" in page  # Paris time, not UTC
    for text in ("NON PRÊTE", "SILENCIEUSE", "DONNÉES ANCIENNES", "VERSION DIFFÉRENTE",
                 "Imprimante, Source « dépôt »", "URG, UHCD", "26 h 05", "0.8.2", "Bât. B",
                 "journal d'audit n° 1834"):
        assert text in page, text
    # stations to check come first (then by id); the fine one last
    order = [page.index(x) for x in ("med-3", "urg-2", "rea-1")]
    assert order == sorted(order)
    assert '<div class="card bad"><b>3</b>À vérifier</div>' in page


def test_fleet_html_option_writes_the_report(settings, tmp_path):
    drop = tmp_path / "depot"
    drop.mkdir()
    a, b = station_settings(settings, "poste-a"), station_settings(settings, "poste-b",
                                                                  sources=[])
    write_beat(drop, a[0])
    write_beat(drop, b[0])
    keys = tmp_path / "cles"
    keys.mkdir()
    for s, pub in (a, b):
        (keys / f"{s.station_id}.pub").write_text(pub.to_file_text())
    out = tmp_path / "rapport" / "parc.html"
    out.parent.mkdir()
    r = CliRunner().invoke(main, ["fleet", "--drop", str(drop), "--keys", str(keys),
                                  "--html", str(out)])
    assert r.exit_code == 1, r.output
    assert f"Rapport HTML écrit : {out}" in r.output
    page = out.read_text(encoding="utf-8")
    assert "poste-a" in page and "poste-b" in page and "NON PRÊTE" in page
    assert "Sources" in page  # the failing doctor check of poste-b, by name


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} absent")
def test_report_in_chromium_shows_the_hostile_id_as_text(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    path = tmp_path / "parc.html"
    path.write_text(render_html(_rows(), NOW, "/srv/depot"), encoding="utf-8")
    dialogs: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            requests: list[str] = []
            page.on("request", lambda req: requests.append(req.url))
            page.goto(path.as_uri())
            cells = page.locator("td.station").all_inner_texts()
            assert HOSTILE in cells
            assert page.locator("script").count() == 0
            assert page.locator("tr.check").count() == 3
            # the red of the rows to check really is applied (inline CSS works offline)
            red = page.locator("tr.check td").first.evaluate(
                "e => getComputedStyle(e).backgroundColor")
            assert red == "rgb(253, 236, 236)"
            page.screenshot(path=str(tmp_path / "parc.png"), full_page=True)
            if os.environ.get("FLEET_SCREENSHOT"):
                page.screenshot(path=os.environ["FLEET_SCREENSHOT"], full_page=True)
        finally:
            browser.close()
    assert dialogs == [] and requests == [path.as_uri()]
