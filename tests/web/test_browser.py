"""The station in Debian's Chromium (Playwright, no browser download), at 1366×768.

Log in, scan an IPP into the search box, open the patient, print the summary, see the stale
banner, get logged out when idle, and use it all with the keyboard.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.browser import chromium, log_in, needs_chromium, new_page
from tests.support.browser import serving as _serving
from tests.support.constants import PASSWORD

pytestmark = [pytest.mark.slow, needs_chromium]
IDLE_SECONDS = 3


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def served(station):
    """The app (CSRF on, default idle timeout) on a loopback port, in this process."""
    with _serving(station, {}) as out:
        yield out


@pytest.fixture
def served_short_idle(station):
    """The same with a few seconds of idle timeout (a first PDF may take longer than that on
    a loaded machine, so only the idle test uses it)."""
    with _serving(station, {"IDLE_TIMEOUT_SECONDS": IDLE_SECONDS}) as out:
        yield out


def _new_page(browser):
    return new_page(browser)


@pytest.fixture
def page(browser, served):
    context, pg = _new_page(browser)
    yield pg
    context.close()


@pytest.fixture
def idle_page(browser, served_short_idle):
    context, pg = _new_page(browser)
    yield pg
    context.close()


def _log_in(page, base):
    log_in(page, base, "infirmiere", PASSWORD)


def test_scan_open_print(page, served):
    from pcsauvegarde.station import patients
    base, station = served
    row = patients.inpatients(station, "REA")[0]
    _log_in(page, base)
    assert page.locator("html").get_attribute("lang") == "fr"
    # a barcode scanner types the IPP then Enter into the focused search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(row.patient.id)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/patients/{row.patient.id}")
    assert row.patient.birth_name.upper() in page.locator("h1").inner_text()
    assert "Dossier patient : données du" in page.locator(".snapshot").inner_text()
    page.get_by_role("button", name="Imprimer la synthèse").click()
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    number = page.url.rsplit("/", 1)[-1]
    pdf = page.request.get(f"{base}/documents/{number}.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert station.journal.get(number)["ipp"] == row.patient.id


def test_stale_banner_when_data_is_old(page, served):
    base, station = served
    station.settings = dataclasses.replace(station.settings, stale_after_minutes=1)
    _log_in(page, base)
    banner = page.locator("#stale-banner")
    assert banner.is_visible() and "DONNÉES PÉRIMÉES" in banner.inner_text()
    color = banner.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(176, 0, 32)"


def test_logged_out_after_idle_timeout(idle_page, served_short_idle):
    page, (base, _) = idle_page, served_short_idle
    _log_in(page, base)
    # no action: the page reloads itself once the server-side session has expired
    page.wait_for_selector("text=Session fermée après inactivité",
                           timeout=(IDLE_SECONDS + 6) * 1000)
    assert page.get_by_label("Identifiant").is_visible()


def test_keyboard_only_with_visible_focus_and_big_targets(page, served):
    base, _ = served
    page.goto(base + "/connexion")
    first = page.evaluate("document.querySelector('a[href], button, input:not([type=hidden])')"
                          ".textContent")
    assert first == "Aller au contenu"  # the skip link is the first stop
    page.locator("a.skip").focus()
    assert page.locator("a.skip").bounding_box()["x"] >= 0  # and shows when focused
    page.get_by_label("Identifiant").focus()
    page.keyboard.type("infirmiere")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    for box in page.locator("button, .tile, input[type=search]").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().height)"):
        assert box >= 44  # touch targets
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
        ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length")
    assert unlabelled == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366  # no horizontal scrolling at 1366×768


def test_a_nurse_prints_her_unit(page, served):
    """Unit page → « Imprimer le service » (administration plans only) → one PDF, beds in order."""
    from pcsauvegarde.station import patients
    from tests.support.pdfcheck import page_texts
    base, station = served
    rows = patients.inpatients(station, "REA")
    _log_in(page, base)
    page.goto(f"{base}/services/REA")
    for box in page.locator("input[name=kinds]").all():
        box.set_checked(box.get_attribute("value") == "administration_plan")
    page.get_by_role("button", name="Imprimer le service").click()
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    number = page.url.rsplit("/", 1)[-1]
    pdf = page.request.get(f"{base}/documents/{number}.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    texts = page_texts(pdf.body())
    cover = " ".join(texts[0].split())
    assert "Réanimation" in cover and number in cover
    at = 0
    for r in rows:  # each patient after the previous one: the cover follows bed order
        at = cover.find(f"{r.patient.birth_name.upper()} ", at)
        assert at >= 0, f"{r.patient.birth_name} missing or out of bed order on the cover"
        at += 1
    body = [" ".join(t.split()) for t in texts[1:]]
    assert all("MODE DÉGRADÉ" in t for t in body)
    assert any(rows[0].patient.birth_name.upper() in t for t in body)


class Actions:
    """Counts what a nurse does after logging in: each click, each scan (typed + Enter)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def scan(self, text: str) -> None:
        self.count += 1  # a barcode scanner types the identifier then Enter: one gesture
        self.page.keyboard.type(text)
        self.page.keyboard.press("Enter")


def _log_in_as(page, base, login):
    page.goto(base + "/")
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")


def _printed_unit(page, base, station, actions, unit_name):
    from tests.support.pdfcheck import page_texts
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    number = page.url.rsplit("/", 1)[-1]
    assert station.journal.get(number)["kind"] == "bundle"
    cover = " ".join(page_texts(page.request.get(f"{base}/documents/{number}.pdf").body())[0]
                     .split())
    assert unit_name in cover
    return number


def test_nurse_of_one_unit_prints_it_in_one_action_after_login(page, served):
    """Account scoped to REA: « Imprimer le service » is on her home page (≤ 4 actions)."""
    base, station = served
    station.accounts.add("ide-rea", "Infirmière REA", PASSWORD, ("soins",), ("REA",))
    _log_in_as(page, base, "ide-rea")
    actions = Actions(page)
    actions.click(page.get_by_role("button", name="Imprimer le service", exact=True))
    _printed_unit(page, base, station, actions, "Réanimation")
    assert actions.count <= 4 and actions.count == 1


def test_home_remembers_the_unit_a_nurse_printed(page, served):
    """All-unit account: the first time unit tile + print; after a new login, print at once."""
    base, station = served
    _log_in_as(page, base, "infirmiere")
    actions = Actions(page)
    actions.click(page.get_by_role("link", name="Réanimation"))
    actions.click(page.get_by_role("button", name="Imprimer le service", exact=True))
    _printed_unit(page, base, station, actions, "Réanimation")
    assert actions.count == 2
    page.get_by_role("button", name="Se déconnecter").click()
    _log_in_as(page, base, "infirmiere")
    assert "Réanimation" in page.locator("#own-unit").inner_text()
    actions = Actions(page)
    actions.click(page.get_by_role("button", name="Imprimer le service", exact=True))
    _printed_unit(page, base, station, actions, "Réanimation")
    assert actions.count <= 4 and actions.count == 1


def test_a_patients_plan_from_a_scan_in_three_actions(page, served):
    """Scan → patient → « Plan d'administration » → sent to the printer: 3 actions."""
    from pcsauvegarde.station.store import queries
    base, station = served
    row = queries.inpatients(station.store, "REA")[0]
    _log_in(page, base)
    actions = Actions(page)
    actions.scan(row.patient.id)
    page.wait_for_url(f"{base}/patients/{row.patient.id}")
    actions.click(page.get_by_role("button", name="Plan d'administration (72 h)"))
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    number = page.url.rsplit("/", 1)[-1]
    assert "Plan d'administration" in page.locator("h1").inner_text()
    actions.click(page.get_by_role("button", name="Envoyer à l'imprimante"))
    page.wait_for_selector("#printed")
    assert "réimprimer ?" in page.locator("#printed").inner_text()
    assert station.audit.last("document.printed", number) is not None
    assert station.journal.get(number)["kind"] == "administration_plan"
    assert actions.count <= 3


def test_sterilisation_screen(page, served):
    """A sterilisation agent scans a tray code, ticks it, prints its label; types a cycle."""
    from tests.support.pdfcheck import barcodes
    base, station = served
    station.accounts.add("agent-ste", "Agent Stérilisation", PASSWORD, ("stérilisation",))
    page.goto(base + "/")
    page.get_by_label("Identifiant").fill("agent-ste")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")
    page.get_by_role("link", name="Stérilisation").first.click()
    page.wait_for_url(base + "/sterilisation")
    assert page.evaluate("document.activeElement.id") == "tray-q"  # a scan lands in the search
    page.keyboard.type("APPEND-01")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/sterilisation?*")
    page.get_by_label("Choisir APPEND-01").check()
    page.get_by_label("Opérateur").fill("Jeanne Hachette")
    page.screenshot(path=str(station.settings.data_dir / "sterilisation.png"), full_page=True)
    page.locator("#print-labels").click()
    page.wait_for_url(f"{base}/sterilisation/documents/*", timeout=60_000)
    number = page.url.rsplit("/", 1)[-1]
    assert page.locator("#doc-number").inner_text() == number
    pdf = page.request.get(f"{base}/sterilisation/documents/{number}.pdf").body()
    circulation = service_latest(station, "APPEND-01")
    assert {circulation, "APPEND-01"} <= set(barcodes(pdf))
    page.goto(base + "/sterilisation/cycles")
    page.get_by_label("Équipement").select_option("AUTOCLAVE-1")
    page.get_by_label("N° de cycle").fill("9001")
    page.get_by_label("Plateaux de la charge").fill("APPEND-01\nCOELIO-01")
    page.locator("#save-cycle").click()
    page.wait_for_url(f"{base}/sterilisation/documents/*", timeout=60_000)
    assert "Cycle 9001 enregistré" in page.locator(".flash").first.inner_text()


def service_latest(station, tray: str) -> str:
    from pcsauvegarde.station.sterilisation import service
    return service.register(station).latest([tray])[tray].number


def test_a_nurse_prints_her_units_downtime_kit(page, served):
    """Unit → « Kit de démarrage » → the page count shown → print → the kit's PDF, as many
    pages as announced, every sheet journalled."""
    import re

    from pcsauvegarde.station import patients
    from tests.support.pdfcheck import page_texts
    base, station = served
    unit = min((u for u in patients.units(station) if u.inpatients and u.code != "REA"),
               key=lambda u: u.inpatients)
    _log_in(page, base)
    page.goto(f"{base}/services/{unit.code}")
    page.locator("#unit-kit").click()
    page.wait_for_url(f"{base}/services/{unit.code}/kit")
    page.get_by_label("Bilan entrées / sorties").check()
    page.get_by_role("button", name="Recalculer le nombre de pages").click()
    announced = int(re.search(r"(\d+) pages", page.locator("#kit-pages").inner_text()).group(1))
    page.locator("#print-kit").click()
    page.wait_for_url(f"{base}/documents/*", timeout=120_000)
    number = page.url.rsplit("/", 1)[-1]
    assert "Kit de démarrage" in page.locator("h1").inner_text()
    pdf = page.request.get(f"{base}/documents/{number}.pdf").body()
    assert len(page_texts(pdf)) == announced
    rows = patients.inpatients(station, unit.code)
    sheets = [s for r in rows for s in station.journal.forms_of(r.patient.id)]
    assert {s["form"] for s in sheets} >= {"bilan-entrees-sorties", "surveillance-24h"}
    assert all(s["container"] == number for s in sheets)


def test_a_clinic_prints_its_call_list(page, served):
    """Consultations → a clinic's day → « Imprimer la liste d'appels » → the PDF, ticks and
    phone numbers on it, journalled under the clinic's unit."""
    from tests.support.pdfcheck import page_texts
    base, station = served
    _log_in(page, base)
    page.goto(f"{base}/consultations")
    link = page.locator("a[href*='/consultations/CS-CARDIO?jour=']").first
    link.click()
    page.wait_for_url(f"{base}/consultations/CS-CARDIO?jour=*")
    assert "Consultations de cardiologie" in page.locator("h1").inner_text()
    phone = page.locator("td.nowrap", has_text="06 ").first.inner_text().strip()
    page.get_by_role("button", name="Imprimer la liste d'appels").click()
    page.wait_for_url(f"{base}/documents/*", timeout=60_000)
    number = page.url.rsplit("/", 1)[-1]
    pdf = page.request.get(f"{base}/documents/{number}.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(" ".join(page_texts(pdf.body())).split())
    assert "Planning des consultations" in text and "Appelé" in text and "Reporté" in text
    assert phone in text and "MODE DÉGRADÉ" in text
    assert station.journal.get(number)["unit"] == "CS-CARDIO"
