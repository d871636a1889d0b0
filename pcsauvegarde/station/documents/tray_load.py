"""« Formulaire de mise en laveur » and « Fiche de charge autoclave »: pre-filled or blank."""

from __future__ import annotations

from pcsauvegarde.station.documents.base import FAMILY, MARGIN, DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.fmt import format_local
from pcsauvegarde.station.documents.sterile import (
    CHECK_BOX,
    CHECKED_BOX,
    blank_note,
    expiry_text,
    field_grid,
    gaps_box,
    signature_block,
    value_or_blank,
)
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.sterilisation.papers import AUTOCLAVE, WASHER, LoadForm

WASHER_KIND = "washer_load"
AUTOCLAVE_KIND = "autoclave_load"
WASHER_TITLE = "Formulaire de mise en laveur"
AUTOCLAVE_TITLE = "Fiche de charge autoclave"
KIND_OF = {WASHER: WASHER_KIND, AUTOCLAVE: AUTOCLAVE_KIND}
TITLE_OF = {WASHER: WASHER_TITLE, AUTOCLAVE: AUTOCLAVE_TITLE}
MIN_ROWS = 14       # a load form always has room for this many trays


def render(data: LoadForm, ctx: DocumentContext) -> bytes:
    return render_document(draw, TITLE_OF[data.kind], data, ctx)


def draw(pdf: DocumentPDF, data: LoadForm, ctx: DocumentContext) -> None:
    autoclave = data.kind == AUTOCLAVE
    pdf.begin_document(ctx, TITLE_OF[data.kind])
    pdf.add_page()
    when = format_local(data.at) if data.at else ""
    pairs = [("Laveur" if not autoclave else "Stérilisateur", value_or_blank(data.equipment)),
             ("N° de cycle", value_or_blank(data.cycle_number))]
    if autoclave:
        pairs.append(("N° de charge / lot", value_or_blank(data.lot)))
    pairs += [("Date et heure", value_or_blank(when)),
              ("Programme", value_or_blank(data.program)),
              ("Opérateur", value_or_blank(data.operator))]
    field_grid(pdf, pairs)
    gaps_box(pdf, [*data.problems, *(p for c in data.cards for p in c.problems)])
    columns = [Column("N°", 0.5, "C"), Column("Code plateau", 1.7), Column("Plateau", 2.8),
               Column("Unité", 1.4), Column("N° circulation", 1.4)]
    if autoclave:
        columns.append(Column("Péremption", 1.3))
    columns.append(Column("Chargé", 0.9, "C"))
    rows = []
    for k, card in enumerate(data.cards, start=1):
        cells = [str(k), card.code, card.name, card.unit_name or card.unit,
                 data.circulations.get(card.code, "")]
        if autoclave:
            cells.append(expiry_text(card) if card.tray else "")
        rows.append(Row((*cells, CHECK_BOX), bold=card.tray is None))
    blank = max(MIN_ROWS - len(rows), 3)
    rows += [Row((str(len(data.cards) + k), "\n", "", "", "", *([""] if autoclave else []),
                  CHECK_BOX)) for k in range(1, blank + 1)]
    pdf.section("Plateaux de la charge", "Cocher chaque plateau effectivement chargé ; ajouter "
                "à la main ceux qui ne sont pas imprimés.")
    draw_table(pdf, columns, rows, size=8.5)
    if data.entered:
        pdf.paragraph(data.entered, "B", 8.5)
    if autoclave:
        _autoclave_release(pdf, data.decision)
    else:
        _washer_result(pdf)


def _washer_result(pdf: DocumentPDF) -> None:
    pdf.section("Résultat du cycle de lavage")
    _choices(pdf, ["Cycle conforme", "Cycle non conforme : relaver la charge"])
    blank_note(pdf, "Paramètres relevés (température, durée, A0) et remarques", 2)
    signature_block(pdf, ["Chargé par (nom, signature)", "Déchargé et contrôlé par "
                          "(nom, heure, signature)"])


def _autoclave_release(pdf: DocumentPDF, decision: str = "") -> None:
    pdf.section("Contrôles et libération de la charge")
    _choices(pdf, ["Test de Bowie-Dick du jour conforme", "Paramètres du cycle conformes",
                   "Emballages intègres et secs"])
    pdf.ensure_space(48)
    y = pdf.y
    pdf.set_line_width(0.3)
    pdf.set_dash_pattern(dash=1.5, gap=1.2)
    pdf.rect(MARGIN, y, pdf.epw * 0.55, 40)
    pdf.set_dash_pattern()
    pdf.set_xy(MARGIN + 2, y + 1)
    pdf.set_font(FAMILY, "B", 8)
    pdf.text_lines(pdf.epw * 0.55 - 4, 3.8, "Coller ici l'indicateur physico-chimique et le "
                   "ticket d'enregistrement du cycle")
    x = MARGIN + pdf.epw * 0.55 + 4
    pdf.set_xy(x, y)
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(60, 5, "Décision de libération")
    chosen = {"released": 0, "rejected": 1}.get(decision)
    for k, text in enumerate(("Charge LIBÉRÉE", "Charge NON LIBÉRÉE", "motif :")):
        pdf.set_xy(x, y + 7 + 7 * k)
        pdf.set_font(FAMILY, "B" if k < 2 else "", 10 if k < 2 else 9)
        box = CHECKED_BOX if k == chosen else CHECK_BOX
        pdf.cell(60, 6, f"{box}  {text}" if k < 2 else text)
    pdf.set_xy(MARGIN, y + 43)
    signature_block(pdf, ["Libérée par (nom, fonction)", "Date et heure de libération",
                          "Signature"])


def _choices(pdf: DocumentPDF, texts: list[str]) -> None:
    pdf.set_font(FAMILY, "", 9.5)
    for text in texts:
        pdf.ensure_space(6)
        pdf.set_x(MARGIN + 2)
        pdf.cell(pdf.epw - 2, 6, f"{CHECK_BOX}  {text}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
