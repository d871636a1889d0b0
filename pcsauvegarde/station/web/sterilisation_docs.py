"""A sterilisation paper once issued: preview, PDF, send to the printer (role stérilisation)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for

from pcsauvegarde.station.issuing import preview
from pcsauvegarde.station.issuing.issue import stored_pdf
from pcsauvegarde.station.sterilisation.issuing import KINDS
from pcsauvegarde.station.web.access import current_station, requires
from pcsauvegarde.station.web.sterilisation import ROLE

bp = Blueprint("sterilisation_docs", __name__)
PREVIEW_PAGES = 10


def _journalled(number: str) -> dict | None:
    """The journal line of a sterilisation paper; None (redirect) for any other document."""
    doc = current_station().journal.get(number)
    if doc is None:
        abort(404)
    if doc["kind"] not in KINDS:
        flash(f"Le document {number} n'est pas un document de stérilisation.", "error")
        return None
    return doc


@bp.route("/sterilisation/documents/<number>")
@requires(ROLE)
def document(number: str):
    doc = _journalled(number)
    if doc is None:
        return redirect(url_for("sterilisation.index"))
    pdf = stored_pdf(current_station(), number)
    if pdf is None:
        abort(404)
    pages = doc.get("pages") or preview.page_count(pdf)
    printed = current_station().audit.last("document.printed", number)
    return render_template("sterilisation_document.html", number=number, doc=doc,
                           title=KINDS[doc["kind"]][1], pages=pages,
                           preview_pages=min(pages, PREVIEW_PAGES), printed=printed,
                           printer=current_station().printer.status())


@bp.route("/sterilisation/documents/<number>/pages/<page>.png")
@requires(ROLE)
def document_page(number: str, page: str):
    if _journalled(number) is None:
        return redirect(url_for("sterilisation.index"))
    png = preview.page_png(current_station(), number, int(page)) if (
        page.isascii() and page.isdigit()) else None
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png")


@bp.route("/sterilisation/documents/<number>.pdf")
@requires(ROLE)
def document_pdf(number: str):
    if _journalled(number) is None:
        return redirect(url_for("sterilisation.index"))
    pdf = stored_pdf(current_station(), number)
    if pdf is None:
        abort(404)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{number}.pdf"'})


@bp.route("/sterilisation/documents/<number>/imprimer", methods=["POST"])
@requires(ROLE)
def print_document(number: str):
    if _journalled(number) is None:
        return redirect(url_for("sterilisation.index"))
    pdf = stored_pdf(current_station(), number)
    if pdf is None:
        abort(404)
    from pcsauvegarde.station.web.printing import send_to_printer
    send_to_printer(number, pdf)
    return redirect(url_for("sterilisation_docs.document", number=number))
