"""« Fiche pré-opératoire / transfusionnelle »: what the OR loses with its software (guide 2.6).

The planned intervention and side, the blood group, phenotype and RAI with its validity
(patient_summary.draw_blood, read by station/lab/bloodbank.py), transfusion history and
requirements, the anaesthesia consultation (ASA, airway, fasting) and the last key lab values
with their dates; the band carries identity and allergies on every page.
"""

from __future__ import annotations

from pcsauvegarde.core.records import AnaesthesiaAssessment, LabResult
from pcsauvegarde.station.documents import patient_summary
from pcsauvegarde.station.documents.allergies import absence_text, allergy_state, describe
from pcsauvegarde.station.documents.base import DocumentPDF, render_document
from pcsauvegarde.station.documents.context import DocumentContext, PatientFile
from pcsauvegarde.station.documents.fmt import (
    decimal_commas,
    format_age,
    format_lab_flag,
    format_local,
)
from pcsauvegarde.station.documents.forms.prefill import latest
from pcsauvegarde.station.documents.sterile import field_grid, signature_block
from pcsauvegarde.station.documents.table import Column, Row, draw_table
from pcsauvegarde.station.theatre.words import ASA_WORDS, procedure_text, status_text

KIND = "preop"
TITLE = "Fiche pré-opératoire / transfusionnelle"
BLANK = "……………………………………"
# (label, LOINC codes, label words): the key pre-operative values (found as everywhere else:
# documents/forms/prefill.latest, by code, else by a word of the result's label)
KEY_LABS = (
    ("Hémoglobine", {"718-7"}, ("hémoglobine", "hemoglobine")),
    ("Plaquettes", {"777-3", "26515-7"}, ("plaquettes",)),
    ("TP", {"5894-1"}, ("taux de prothrombine", "tp")),
    ("INR", {"6301-6", "34714-6"}, ("inr",)),
    ("Créatinine", {"14682-9", "2160-0"}, ("créatinine", "creatinine")),
    ("Potassium", {"2823-3", "6298-4"}, ("potassium", "kaliémie")),
)


def render(file: PatientFile, ctx: DocumentContext) -> bytes:
    return render_document(draw, TITLE, file, ctx)


def draw(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    pdf.begin_document(ctx, TITLE, patient=file)
    pdf.add_page()
    _intervention(pdf, file)
    patient_summary.draw_blood(pdf, patient_summary.load(ctx.templates_dir), file, history=True)
    _anaesthesia(pdf, file)
    _labs(pdf, file, ctx)
    pdf.ln(2)
    signature_block(pdf, ["Anesthésiste (nom, date, signature)",
                          "Identité et côté vérifiés avant le bloc (nom, heure)"], h=14)


def _intervention(pdf: DocumentPDF, file: PatientFile) -> None:
    pdf.section("Intervention prévue", _source(file, pdf.ctx, "imaging"))
    cases = [c for c in file.surgery_cases if c.status not in ("cancelled", "done")]
    if not cases:
        pdf.paragraph("Aucune intervention programmée dans l'extrait : à compléter à la main.")
        field_grid(pdf, [("Date, heure", BLANK), ("Salle", BLANK), ("Intervention", BLANK),
                         ("Côté", BLANK), ("Chirurgien", BLANK), ("Anesthésiste", BLANK)])
        return
    for c in cases:
        field_grid(pdf, [("Date, heure", format_local(c.scheduled_at)), ("Salle", c.room),
                         ("Intervention", procedure_text(c)), ("Statut", status_text(c)),
                         ("Chirurgien", c.surgeon or BLANK),
                         ("Anesthésiste", c.anaesthetist or BLANK)])
        pdf.ln(1)


def _anaesthesia(pdf: DocumentPDF, file: PatientFile) -> None:
    last: AnaesthesiaAssessment | None = file.anaesthesia[-1] if file.anaesthesia else None
    note = (f"consultation du {format_local(last.at)}" if last
            else "aucune consultation d'anesthésie dans l'extrait : à compléter à la main")
    pdf.section("Consultation d'anesthésie", note)
    state = allergy_state(file.allergies)
    words = pdf.identity_texts
    allergies = (" · ".join(describe(a, words) for a in state.current) if state.current
                 else absence_text(state, words))
    if last is None:
        field_grid(pdf, [("Classe ASA", BLANK), ("Anesthésiste", BLANK),
                         ("Voies aériennes", BLANK), ("Jeûne", BLANK),
                         ("Allergies", allergies)], columns=2)
        return
    field_grid(pdf, [("Classe ASA", ASA_WORDS.get(last.asa, "non précisée")),
                     ("Anesthésiste", last.anaesthetist or "non précisé"),
                     ("Voies aériennes", last.airway or "non précisé"),
                     ("Jeûne", last.fasting or "non précisé"),
                     ("Allergies", allergies), ("Remarques", last.notes or "—")], columns=2)


def _labs(pdf: DocumentPDF, file: PatientFile, ctx: DocumentContext) -> None:
    # « Anomalie » whole on one line: its column is as wide as the word in bold
    columns = [Column("Examen", 1.8), Column("Résultat", 1.6, "R"), Column("Unité", 1.0),
               Column("Normes", 1.3), Column("Prélevé le", 2.6), Column("Anomalie", 1.5, "C")]
    rows = []
    for name, codes, labels in KEY_LABS:
        r: LabResult | None = latest(file.lab_results, codes, labels)
        if r is None:
            rows.append(Row((name, "non disponible dans l'extrait", "", "", "", "")))
            continue
        abnormal = r.abnormal not in ("", "N")
        when = f"{format_local(r.collected_at)} ({format_age(ctx.printed_at - r.collected_at)})"
        rows.append(Row((name, decimal_commas(r.value), r.unit, decimal_commas(r.reference_range),
                         when, format_lab_flag(r.abnormal) if abnormal else ""), bold=abnormal))
    draw_table(pdf, columns, rows, title="Dernières valeurs biologiques",
               note=_source(file, ctx, "lab"))


def _source(file: PatientFile, ctx: DocumentContext, domain: str) -> str:
    at = file.extracted_at.get(domain)
    if at is None:
        return ""
    return f"Données extraites le {format_local(at)} ({format_age(ctx.printed_at - at)})"



