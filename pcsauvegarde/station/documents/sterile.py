"""Blocks shared by the sterilisation papers: field grid, gaps box, signature, blank lines."""

from __future__ import annotations

from pcsauvegarde.station.documents.base import FAMILY, INK, MARGIN, DocumentPDF
from pcsauvegarde.station.documents.fmt import format_date
from pcsauvegarde.station.sterilisation.catalogue import TrayCard

BLANK = "…………………………"
SHORT_BLANK = "…………"   # in a table cell
CHECK_BOX = "☐"
CHECKED_BOX = "☒"


def value_or_blank(value: str) -> str:
    """A value, or a line to write it on by hand."""
    return value if value.strip() else BLANK


def expiry_text(card: TrayCard) -> str:
    """« 31/05/2027 » or a line to write on (the gap is said in the gaps box)."""
    return format_date(card.expiry) if card.expiry else BLANK


def field_grid(pdf: DocumentPDF, pairs: list[tuple[str, str]], columns: int = 2,
               h: float = 6.5) -> None:
    """Boxed « label : value » cells, ``columns`` a row; a long value wraps (never cut)."""
    w = pdf.epw / columns
    line_h = 4.2
    for start in range(0, len(pairs), columns):
        row = pairs[start:start + columns]
        laid = []
        for label, value in row:
            pdf.set_font(FAMILY, "B", 8)
            label_w = min(pdf.get_string_width(label) + 3, w * 0.45)
            pdf.set_font(FAMILY, "", 9)
            laid.append((label, label_w, pdf.wrap_words(w - label_w - 1.5, value) or [""]))
        row_h = max(h, max(len(lines) for _, _, lines in laid) * line_h + 2.3)
        pdf.ensure_space(row_h + 2)
        y = pdf.y
        pdf.set_line_width(0.2)
        for k, (label, label_w, lines) in enumerate(laid):
            x = MARGIN + k * w
            pdf.rect(x, y, w, row_h)
            pdf.set_xy(x + 0.5, y + 1.1)
            pdf.fit_cell(label_w, line_h, label, "B", 8)
            pdf.set_font(FAMILY, "", 9)
            for n, line in enumerate(lines):
                pdf.set_xy(x + 0.5 + label_w, y + 1.1 + n * line_h)
                pdf.cell(w - label_w - 1, line_h, line)
        pdf.set_xy(MARGIN, y + row_h)
    pdf.ln(1.5)


def gaps_box(pdf: DocumentPDF, problems: list[str] | tuple[str, ...]) -> None:
    """The gaps of the data, boxed and in bold: never a silently empty list on paper."""
    if not problems:
        return
    pdf.set_font(FAMILY, "", 8.5)
    lines = [line for p in problems for line in pdf.wrap(pdf.epw - 6, f"• {p}")]
    h = 5.5 + 4 * len(lines)
    pdf.ensure_space(h + 2)
    y = pdf.y
    pdf.set_line_width(0.8)
    pdf.rect(MARGIN, y, pdf.epw, h)
    pdf.set_xy(MARGIN + 2, y + 1)
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(pdf.epw - 4, 4.5, "À COMPLÉTER À LA MAIN — données absentes ou incohérentes :")
    pdf.set_font(FAMILY, "", 8.5)
    for k, line in enumerate(lines):
        pdf.set_xy(MARGIN + 3, y + 5.5 + 4 * k)
        pdf.cell(pdf.epw - 6, 4, line)
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, y + h + 2)


def signature_block(pdf: DocumentPDF, boxes: list[str], h: float = 18) -> None:
    """Side-by-side boxes to sign in (« Opérateur », « Libération »…)."""
    pdf.ensure_space(h + 3)
    w = pdf.epw / len(boxes)
    y = pdf.y + 1
    pdf.set_line_width(0.3)
    for k, label in enumerate(boxes):
        pdf.rect(MARGIN + k * w, y, w, h)
        pdf.set_xy(MARGIN + k * w + 1, y + 0.8)
        pdf.set_text_color(*INK)
        pdf.fit_cell(w - 2, 4, label, "B", 8, min_size=7)
    pdf.set_line_width(0.2)
    pdf.set_xy(MARGIN, y + h + 2)
    pdf.set_font(FAMILY, "", 9)


def blank_note(pdf: DocumentPDF, label: str, lines: int = 3) -> None:
    """A labelled box of ruled lines for handwritten remarks."""
    h = 5 + 6 * lines
    pdf.ensure_space(h + 2)
    y = pdf.y
    pdf.set_line_width(0.2)
    pdf.rect(MARGIN, y, pdf.epw, h)
    pdf.set_xy(MARGIN + 1, y + 0.8)
    pdf.fit_cell(pdf.epw - 2, 4, label, "B", 8)
    pdf.set_draw_color(170)
    for k in range(1, lines + 1):
        ly = y + 4 + 6 * k
        pdf.line(MARGIN + 2, ly, MARGIN + pdf.epw - 2, ly)
    pdf.set_draw_color(0)
    pdf.set_xy(MARGIN, y + h + 2)
