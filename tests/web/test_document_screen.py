"""The document screen says what the document is, previews it as images, and knows it was sent."""

from __future__ import annotations

import html
import io

from pcsauvegarde.station.store import queries


def _text(r) -> str:
    return html.unescape(r.get_data(as_text=True))


def test_patient_document_says_what_it_is(logged_in, station):
    row = queries.inpatients(station.store, "REA")[0]
    r = logged_in.post(f"/patients/{row.patient.id}/documents/summary")
    url = r.headers["Location"]
    number = url.rsplit("/", 1)[-1]
    text = _text(logged_in.get(url))
    p = row.patient
    assert f"<h1>Synthèse patient — {p.birth_name.upper()} {p.first_names}</h1>" in text
    assert f'href="/patients/{p.id}">← Retour au patient' in text
    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(logged_in.get(f"/documents/{number}.pdf").data)).pages)
    assert f"<strong>{pages} page{'s' if pages > 1 else ''}</strong>" in text
    assert 'id="send-to-printer"' in text and "réimprimer" not in text


def test_page_images_are_the_pages(logged_in, station):
    from PIL import Image
    row = queries.inpatients(station.store, "REA")[0]
    url = logged_in.post(f"/patients/{row.patient.id}/documents/summary").headers["Location"]
    number = url.rsplit("/", 1)[-1]
    assert f'src="/documents/{number}/pages/1.png"' in _text(logged_in.get(url))
    r = logged_in.get(f"/documents/{number}/pages/1.png")
    assert r.status_code == 200 and r.mimetype == "image/png"
    image = Image.open(io.BytesIO(r.data))
    assert image.width > 700 and image.height > image.width  # an A4 portrait page at 96 dpi
    assert logged_in.get(f"/documents/{number}/pages/99.png").status_code == 404
    for page in ("0", "²", "-1", "1e3"):
        assert logged_in.get(f"/documents/{number}/pages/{page}.png").status_code == 404


def test_after_sending_it_offers_to_reprint(logged_in, station):
    row = queries.inpatients(station.store, "REA")[0]
    url = logged_in.post(f"/patients/{row.patient.id}/documents/summary").headers["Location"]
    number = url.rsplit("/", 1)[-1]
    logged_in.post(f"/documents/{number}/imprimer")
    text = _text(logged_in.get(url))
    entry = station.audit.last("document.printed", number)
    import datetime as dt

    from pcsauvegarde.station.documents.fmt import format_time
    at = format_time(dt.datetime.fromisoformat(entry.at))
    assert f"Envoyé à l'imprimante à {at} par infirmiere — réimprimer ?" in text
    assert 'id="reprint"' in text and 'id="send-to-printer"' not in text


def test_unit_bundle_links_back_to_its_unit(logged_in, station):
    from tests.support.web import print_unit
    r = print_unit(logged_in, "REA", ["census"])
    text = _text(logged_in.get(r.headers["Location"]))
    assert "<h1>Impression du service — Réanimation</h1>" in text
    assert 'href="/services/REA">← Retour au service Réanimation' in text
