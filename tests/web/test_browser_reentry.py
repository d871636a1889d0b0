"""Scan-driven reconciliation in Debian's Chromium: declare the outage, paper is issued, the
outage ends, a scanner types each number + Enter, statuses and progress move."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from pcsauvegarde.station.documents.fmt import to_local
from pcsauvegarde.station.reentry import status
from pcsauvegarde.station.state.accounts import ROLES
from tests.support.browser import CHROMIUM, new_page, serving
from tests.support.constants import PASSWORD

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                 reason=f"{CHROMIUM} absent (apt-get install chromium)")]


@pytest.fixture
def page(station):
    sync_api = pytest.importorskip("playwright.sync_api")
    station.accounts.add("chef", "Cadre de garde", PASSWORD, ("admin", *ROLES[:-1]), ("*",))
    with sync_api.sync_playwright() as p, serving(station, {}) as (base, _):
        browser = p.chromium.launch(executable_path=CHROMIUM)
        context, pg = new_page(browser)
        yield pg, base, station
        context.close()
        browser.close()


def _progress(pg, domain: str) -> tuple[str, str]:
    row = pg.locator(f"#progress-domain tr[data-key='{domain}']")
    return row.locator(".outstanding").inner_text(), row.locator(".done").inner_text()


def _focused(pg, element_id: str) -> None:
    """Autofocus lands at the browser's next rendering, possibly after « load » on a busy
    machine: wait for it rather than read it once."""
    pg.wait_for_function(f"document.activeElement && document.activeElement.id === "
                         f"'{element_id}'")


def _scan(pg, base, code: str) -> str:
    _focused(pg, "scan-code")
    pg.keyboard.type(code)
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    return pg.locator(".flash").first.inner_text()


def test_scan_driven_reconciliation(page):
    pg, base, station = page
    from pcsauvegarde.station import patients
    from pcsauvegarde.station.issuing.bundling import issue_unit_bundle

    pg.goto(base + "/")
    pg.get_by_label("Identifiant").fill("chef")
    pg.get_by_label("Mot de passe").fill(PASSWORD)
    pg.get_by_role("button", name="Se connecter").click()
    pg.wait_for_url(base + "/")
    pg.goto(base + "/ressaisie/pannes")
    start = to_local(dt.datetime.now(dt.UTC) - dt.timedelta(hours=2))
    pg.fill("#outage-label", "Panne réseau")
    pg.fill("#outage-when", start.strftime("%Y-%m-%dT%H:%M"))
    with pg.expect_navigation():
        pg.click("#outage-start")
    assert "Début de panne déclaré" in pg.locator(".flash").first.inner_text()

    unit = next(u for u in patients.units(station) if u.inpatients).code
    bundle = issue_unit_bundle(station, unit, ["summary"], "infirmiere")
    with station.state.connect() as conn:
        numbers = [r[0] for r in conn.execute(
            "SELECT number FROM document_pages WHERE container=? ORDER BY first_page",
            (bundle.document.number,))]
    assert len(numbers) >= 2

    pg.goto(base + "/ressaisie/pannes")
    with pg.expect_navigation():
        pg.click("#outage-end")
    assert "Fin de panne déclarée" in pg.locator(".flash").first.inner_text()
    pg.goto(base + "/ressaisie")
    total = str(len(numbers))
    assert _progress(pg, "soins") == (total, "0 %")

    pg.select_option("#scan-action", "ressaisi")
    pg.focus("#scan-code")
    message = _scan(pg, base, f"{numbers[0]}/1")          # the page code of the footer
    assert f"{numbers[0]} : ressaisi" in message
    assert _progress(pg, "soins")[0] == total               # re-entered is still outstanding
    message = _scan(pg, base, "n'importe quoi")
    assert "code illisible" in message
    assert pg.locator("#scan-action").input_value() == "ressaisi"   # the mode is kept

    # « ouvrir »: the item's page, its next step focused: one Enter marks it
    pg.select_option("#scan-action", "ouvrir")
    pg.focus("#scan-code")
    pg.keyboard.type(numbers[1])
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert "à ressaisir" in pg.locator("#item-status").inner_text()
    _focused(pg, "mark-ressaisi")
    with pg.expect_navigation():
        pg.keyboard.press("Enter")
    assert f"{numbers[1]} : ressaisi" in pg.locator(".flash").first.inner_text()

    pg.select_option("#scan-action", "ressaisi")
    pg.focus("#scan-code")
    for number in numbers[2:]:
        _scan(pg, base, number)

    pg.select_option("#scan-action", "verifie")
    pg.focus("#scan-code")
    for number in numbers:
        assert f"{number} : vérifié" in _scan(pg, base, number)
    assert _progress(pg, "soins") == ("0", "100 %")
    assert all(status.current(station, "document", n).status == "verifie" for n in numbers)
    assert status.history(station, "document", numbers[0])[0].by == "chef"
