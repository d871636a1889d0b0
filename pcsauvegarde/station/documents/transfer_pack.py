"""« Documents de sortie / de transfert »: one patient's papers in one job, with a cover.

The cover (its own document, numbered) says where the patient goes, what the pack holds
(each document's number and pages), the papers issued for the patient during the outage
(from the journal: forms, plans, labels…), what is still pending, and the imaging exams.
The parts are drawn first, the cover last, then moved to the front (as unit bundles).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pcsauvegarde.core.records import ImagingExam
from pcsauvegarde.station.documents.base import DocumentPDF
from pcsauvegarde.station.documents.bundle import BundlePart
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.patient_summary import MODALITIES
from pcsauvegarde.station.documents.sterile import field_grid, signature_block
from pcsauvegarde.station.documents.table import Column, Row, draw_table

KIND = "transfer_pack"
TITLE = "Documents de sortie et de transfert"
PURPOSES = {"discharge": "Documents de sortie", "transfer": "Documents de transfert"}
EXAM_STATUS = {"planned": "prévu", "done": "réalisé", "cancelled": "annulé"}


@dataclass(frozen=True)
class IssuedPaper:
    """A document issued for the patient on this station (journal line)."""

    number: str
    title: str
    issued_at: dt.datetime
    issued_by: str
    pages: int | None


@dataclass(frozen=True)
class TransferPack:
    """What the cover says besides the documents of the pack."""

    file: PatientFile
    purpose: str                     # discharge or transfer
    destination: str = ""
    issued: tuple[IssuedPaper, ...] = ()
    pending: tuple[str, ...] = ()    # results awaited, in words
    exams: tuple[ImagingExam, ...] = ()

    @property
    def extracted_at(self) -> dict[str, dt.datetime]:
        return self.file.extracted_at


@dataclass(frozen=True)
class RenderedPack:
    pdf: bytes
    placed: tuple          # documents.base.Placed, cover first
    pages: int


def render_pack(pack: TransferPack, parts: Sequence[BundlePart],
                ctx: DocumentContext) -> RenderedPack:
    """The cover (``ctx``) then the parts, in one PDF (pure)."""
    pdf = DocumentPDF(ctx, PURPOSES[pack.purpose])
    for part in parts:
        part.draw(pdf, part.data, part.ctx)
    pdf.end_document()
    contents = [(part.title, placed.number, placed.pages)
                for part, placed in zip(parts, pdf.placed, strict=True)]
    first_cover_page = pdf.page + 1
    draw_cover(pdf, pack, ctx, contents)
    pdf.end_document()
    pdf.move_to_front(first_cover_page)
    return RenderedPack(pdf.output_bytes(), tuple(pdf.placed), pdf.pages_count)


def draw_cover(pdf: DocumentPDF, pack: TransferPack, ctx: DocumentContext,
               contents: Sequence[tuple[str, str, int]]) -> None:
    title = PURPOSES[pack.purpose]
    pdf.begin_document(ctx, title, patient=pack.file)
    pdf.add_page()
    stay = pack.file.stay
    field_grid(pdf, [("Destination", pack.destination or "……………………………………"),
                     ("Départ le", "……/……/………… à ……h……"),
                     ("Service d'origine", pack.file.unit_name or (stay.unit if stay else "—")),
                     ("Médecin", stay.attending if stay and stay.attending else "—")])
    rows = [Row((t, n, str(p))) for t, n, p in contents]
    draw_table(pdf, [Column("Document", 4), Column("N°", 2.2, fit=True), Column("Pages", 0.8)],
               rows, title="Contenu de ce dossier")
    _issued(pdf, pack)
    _pending(pdf, pack)
    _exams(pdf, pack)
    pdf.ln(2)
    signature_block(pdf, ["Remis par (nom, fonction, heure)", "Reçu par (nom, établissement)"],
                    h=16)


def _issued(pdf: DocumentPDF, pack: TransferPack) -> None:
    note = ("numéros à reporter dans le dossier à la reprise ; les feuilles remplies à la main "
            "suivent le patient ou restent au service (le préciser)")
    if not pack.issued:
        pdf.section("Documents de mode dégradé émis pour ce patient", note)
        pdf.paragraph("Aucun document émis pour ce patient sur ce poste avant ce dossier.")
        return
    rows = [Row((format_local(p.issued_at), p.title, p.number,
                 str(p.pages) if p.pages else "—", p.issued_by)) for p in pack.issued]
    draw_table(pdf, [Column("Émis le", 1.4), Column("Document", 3), Column("N°", 2.2, fit=True),
                     Column("Pages", 0.7), Column("Par", 1.4)], rows,
               title="Documents de mode dégradé émis pour ce patient", note=note)


def _pending(pdf: DocumentPDF, pack: TransferPack) -> None:
    pdf.section("Résultats en attente", "à transmettre à l'équipe qui reçoit le patient")
    if not pack.pending:
        pdf.paragraph("Aucun résultat en attente connu de ce poste.")
    for line in pack.pending:
        pdf.ensure_space(5)
        pdf.paragraph(f"• {line}")


def _exams(pdf: DocumentPDF, pack: TransferPack) -> None:
    if not pack.exams:
        pdf.section("Examens d'imagerie")
        pdf.paragraph("Aucun examen d'imagerie dans l'extrait (comptes rendus : à joindre s'ils "
                      "existent sur papier).")
        return
    rows = [Row((format_local(e.scheduled_at),
                 MODALITIES.get(e.modality, e.modality), e.label, e.room or "—",
                 EXAM_STATUS.get(e.status, e.status))) for e in pack.exams]
    draw_table(pdf, [Column("Date", 1.4), Column("Modalité", 1.3), Column("Examen", 3.2),
                     Column("Salle", 1.2), Column("Statut", 0.9)], rows,
               title="Examens d'imagerie",
               note="comptes rendus non inclus dans l'extrait : à demander au service "
                    "d'imagerie ou à joindre sur papier")
