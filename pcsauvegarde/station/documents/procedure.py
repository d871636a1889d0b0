"""« Procédure synthétique »: the one page taped next to the station (DGOS guide, PC de
sauvegarde): how to log in, print a unit, print labels, what to do when data is old, whom
to call — from the station's own settings and directory. MUST fit one page."""

from __future__ import annotations

from dataclasses import dataclass

from pcsauvegarde.station.documents.base import FAMILY, INK, MARGIN, DocumentPDF
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.documents.ink import ALLERGY_RED

KIND = "procedure"
TITLE = "Procédure synthétique — PC de sauvegarde"
NBSP = "\u00a0"
LIMITS = (14, 10, 6, 3, 1, 0)  # units and contacts shown, fewer until the page holds them


@dataclass(frozen=True)
class ProcedureSheet:
    """What the page says about this station (built by station/procedure.py)."""

    station: str
    url: str
    printer: str                          # as a nurse reads it
    units: tuple[tuple[str, str, str], ...]   # (code, name, phone)
    contacts: tuple[str, ...]             # « Astreinte informatique : 4455 »
    stale_after_minutes: int
    lab_labels: bool = False              # a lab range is configured on this station
    tray_labels: bool = False             # sterilisation is served by this station
    idle_minutes: int = 10                # a session closes after this long without action


def render(sheet: ProcedureSheet, ctx: DocumentContext) -> bytes:
    """One A4 page whatever the number of units and contacts (lists shortened, counted)."""
    for limit in LIMITS:
        pdf = DocumentPDF(ctx, TITLE)
        draw(pdf, sheet, ctx, limit=limit)
        if pdf.pages_count == 1:
            break
    return pdf.output_bytes()


def draw(pdf: DocumentPDF, sheet: ProcedureSheet, ctx: DocumentContext,
         limit: int = LIMITS[0]) -> None:
    pdf.begin_document(ctx, TITLE)
    pdf.add_page()
    pdf.field("Poste", sheet.station, label_w=32)
    pdf.field("Adresse", f"{sheet.url} (s'ouvre seule au démarrage du poste)", label_w=32)
    pdf.field("Imprimante", sheet.printer, label_w=32)
    pdf.field("Services", _shown([f"{name} ({code})" for code, name, _ in sheet.units], limit)
              or "aucun service dans les données reçues", label_w=32)

    _steps(pdf, "1. Se connecter", [
        f"Sur ce poste, le navigateur affiche la page de connexion ({sheet.url}).",
        "Saisir son identifiant et son mot de passe personnels (jamais ceux d'un collègue : "
        "chaque impression est tracée à votre nom).",
        "Mot de passe oublié ou compte bloqué : l'administrateur du poste (voir « Qui "
        "appeler ») le réinitialise.",
        f"Après {sheet.idle_minutes} minutes sans action, la session se ferme : se "
        "reconnecter."])
    _steps(pdf, "2. Imprimer un service", [
        "Choisir son service sur l'accueil (« Mes services »), puis « Voir les patients du "
        "service ».",
        "En bas de la liste : cocher les documents voulus, puis « Imprimer le service » "
        "(tous les patients, dans l'ordre des lits).",
        "Pour un seul patient : le chercher (nom, IPP ou code-barres), puis « Imprimer la "
        "synthèse » ou le document voulu."])
    labels = ["Étiquettes patient et bracelet : fiche du patient, « Imprimer les étiquettes » "
              "ou « Imprimer un bracelet »."]
    if sheet.lab_labels:
        labels.append("Laboratoire : fiche du patient, « Laboratoire » puis « Bon de demande + "
                      "étiquettes » (numéros réservés à ce poste, jamais réutilisés).")
    if sheet.tray_labels:
        labels.append("Stérilisation : menu « Stérilisation », étiquettes de plateaux.")
    labels.append("Chaque document porte un numéro et un code-barres : le garder avec le "
                  "dossier, il sert à la ressaisie après la panne.")
    _steps(pdf, "3. Imprimer des étiquettes", labels)

    _steps(pdf, "4. Données anciennes (bandeau rouge « DONNÉES PÉRIMÉES »)", [
        f"Le bandeau apparaît quand les données ont plus de {sheet.stale_after_minutes} min. "
        "Chaque page imprimée porte en bas la date des données et leur âge.",
        "Continuer à imprimer si besoin, mais vérifier auprès du service ou du médecin tout ce "
        "qui a pu changer depuis (traitements, allergies, mouvements).",
        "Prévenir l'informatique (« Qui appeler ») ; ne pas éteindre ni débrancher le poste.",
        "Bandeau « NON PRÊT » : le poste a un défaut (imprimante, données…) : prévenir "
        "l'informatique."], warn=True)

    pdf.section("5. Qui appeler")
    lines = list(sheet.contacts) or ["Informatique : numéro à inscrire ici à la main : "
                                     "........................"]
    # no-break spaces: a phone number is never cut across two lines
    phones = [f"{name} ({code}){NBSP}:{NBSP}{phone.replace(' ', NBSP)}"
              for code, name, phone in sheet.units if phone]
    pdf.set_font(FAMILY, "", 9)
    for line in lines[:max(limit, 1)]:
        pdf.set_x(MARGIN)
        pdf.text_lines(pdf.epw, 4.5, f"• {line}")
    if len(lines) > max(limit, 1):
        pdf.paragraph(f"… et {len(lines) - max(limit, 1)} autre(s) contact(s) : voir "
                      "l'administrateur du poste.", size=8)
    if phones:
        pdf.paragraph("Services : " + _shown(phones, limit), size=8, h=4)


def _shown(items: list[str], limit: int) -> str:
    """Up to ``limit`` items, then how many were left out (never dropped in silence)."""
    if len(items) <= limit:
        return " ; ".join(items)
    head = " ; ".join(items[:limit])
    return f"{head} … et {len(items) - limit} autre(s)" if head else f"{len(items)} service(s)"


def _steps(pdf: DocumentPDF, title: str, steps: list[str], warn: bool = False) -> None:
    pdf.section(title)
    if warn:
        pdf.set_text_color(*ALLERGY_RED)
    for step in steps:
        pdf.set_font(FAMILY, "", 9)
        pdf.set_x(MARGIN)
        pdf.text_lines(pdf.epw, 4.5, f"• {step}")
    pdf.set_text_color(*INK)
    pdf.set_x(MARGIN)
