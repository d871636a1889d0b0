"""What re-entry shows of a document and of an outage: French titles, French periods."""

from __future__ import annotations

import datetime as dt
import re

from pcsauvegarde.station import patients
from pcsauvegarde.station.documents import KINDS
from pcsauvegarde.station.issuing.preview import title_of
from pcsauvegarde.station.issuing.transfer import issue_transfer_pack
from pcsauvegarde.station.reentry import outage, report, worklist
from tests.support.constants import PASSWORD
from tests.support.pdfcheck import page_texts
from tests.support.web import client_as

PACK_TITLE = "Documents de sortie et de transfert"
# every kind the station journals outside documents.KINDS (containers, reports)
UNREGISTERED = ("transfer_pack", "bundle", "kit", "exercise_report", "reentry_report")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_journalled_kind_has_a_french_title():
    for kind in (*KINDS, *UNREGISTERED):
        title = title_of(kind)
        assert title != kind and "_" not in title and title[0].isupper(), kind


def _pack_in_outage(station):
    now = dt.datetime.now(dt.UTC)
    window = outage.declare_start(station, "chef", now - dt.timedelta(hours=1), "Panne DPI")
    unit = next(u for u in patients.units(station) if u.inpatients).code
    ipp = patients.inpatients(station, unit)[0].patient.id
    pack = issue_transfer_pack(station, ipp, "infirmiere", "discharge", "Domicile", now=now)
    return window, pack.document.number


def test_a_transfer_pack_is_named_in_french_on_screens_and_report(station, logged_in):
    window, number = _pack_in_outage(station)
    items = {i.number: i for i in worklist.items(station, window)}
    assert items[number].title == PACK_TITLE
    html = logged_in.get("/ressaisie").get_data(as_text=True)
    assert PACK_TITLE in html and "transfer_pack" not in html.replace(
        "/transfer_pack", "")   # the kind may appear in a URL, never as text
    page = logged_in.get(f"/ressaisie/element/document/{number}").get_data(as_text=True)
    assert f"<h1>{PACK_TITLE} {number}</h1>" in page
    text = _flat(" ".join(page_texts(report.issue_report(station, window, "chef").pdf)))
    assert "Documents de sortie" in text and "transfer_pack" not in text


def test_a_running_outage_reads_depuis(station, app):
    window, _ = _pack_in_outage(station)
    station.accounts.add("chef", "Chef", PASSWORD, ("soins", "admin"), ("*",))
    chef = client_as(app, "chef")
    assert window.end is None
    assert " depuis le " in window.title and window.title.endswith("(en cours)")
    assert " au en cours" not in window.title
    for url in ("/ressaisie", "/ressaisie/pannes"):
        html = chef.get(url).get_data(as_text=True)
        assert window.title in html and "au en cours" not in html, url
    text = _flat(" ".join(page_texts(report.issue_report(station, window, "chef").pdf)))
    assert "(en cours)" in text and "au en cours" not in text
