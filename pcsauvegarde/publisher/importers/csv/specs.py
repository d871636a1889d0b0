"""Column specifications of the catalogue CSV files (docs/csv-catalogues.md mirrors them)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class CellError(ValueError):
    """A cell that cannot be read (French message, without the place: the caller adds it)."""


def text(value: str) -> str:
    return value.strip()


def integer(value: str) -> int:
    """A whole number; French writing accepted (« 1 200 », « 12,0 »)."""
    number = decimal(value)
    if number != int(number):
        raise CellError(f"nombre entier attendu, « {value.strip()} » trouvé")
    return int(number)


def decimal(value: str) -> float:
    """A number with a decimal comma or point; spaces as thousands separators."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", value).replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise CellError(f"nombre attendu, « {value.strip()} » trouvé")
    return float(cleaned)


_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
                 "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def local_datetime(value: str) -> dt.datetime:
    """« 27/11/2026 14:05 » or ISO 8601; without an offset it is Paris local time → UTC."""
    value = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        parsed = None
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise CellError(f"date-heure attendue (JJ/MM/AAAA HH:MM), « {value} » trouvé")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=PARIS)
    return parsed.astimezone(dt.UTC)


def equipment_kind(value: str) -> str:
    """« laveur(-désinfecteur) » → washer; « autoclave » / « stérilisateur » → autoclave."""
    word = value.strip().lower()
    if word.startswith("lav"):
        return "washer"
    if word.startswith(("auto", "st")):
        return "autoclave"
    raise CellError(f"« laveur » ou « autoclave » attendu, « {value.strip()} » trouvé")


def id_list(value: str) -> tuple[str, ...]:
    """Several codes in one cell, separated by « | » (or « + »)."""
    return tuple(v.strip() for v in re.split(r"[|+]", value) if v.strip())


def _folded(value: str) -> str:
    import unicodedata

    word = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in word if not unicodedata.combining(c))


def _choice(words: dict[str, str], expected: str):
    def parse(value: str) -> str:
        word = _folded(value)
        if word in words:
            return words[word]
        raise CellError(f"{expected} attendu, « {value.strip()} » trouvé")
    return parse


side = _choice({"": "", "droit": "right", "droite": "right", "d": "right", "gauche": "left",
                "g": "left", "bilateral": "bilateral", "bilaterale": "bilateral"},
               "« droit », « gauche » ou « bilatéral »")
surgery_status = _choice({"programmee": "planned", "prevue": "planned", "en cours": "in_progress",
                          "terminee": "done", "annulee": "cancelled", "reportee": "postponed"},
                         "« programmée », « en cours », « terminée », « annulée » ou « reportée »")
transfusion_kind = _choice({"transfusion": "given", "exigence": "requirement"},
                           "« transfusion » ou « exigence »")
transfusion_need = _choice({"": "", "irradie": "irradiated", "irradies": "irradiated",
                            "phenotype": "phenotyped", "phenotypes": "phenotyped",
                            "cmv negatif": "cmv_negative", "cmv negatifs": "cmv_negative",
                            "cmv-": "cmv_negative", "autre": "other"},
                           "« irradié », « phénotypé », « CMV négatif » ou « autre »")


def asa_class(value: str) -> str:
    """« 3 », « ASA 3 », « ASA III »: the class as a digit."""
    word = re.sub(r"^ASA\s*", "", value.strip().upper()).strip()
    roman = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6"}
    word = roman.get(word, word)
    if word not in ("1", "2", "3", "4", "5", "6"):
        raise CellError(f"classe ASA de 1 à 6 attendue, « {value.strip()} » trouvé")
    return word


@dataclass(frozen=True)
class Column:
    name: str          # normalised header: lower case, no accents, « _ » for spaces
    field: str         # the record field it fills
    required: bool
    meaning: str       # French, for the documentation
    example: str
    parse: object = text


@dataclass(frozen=True)
class FileKind:
    """One kind of catalogue file: the record it makes and its columns."""

    name: str          # also the file name stem: produits.csv, produits-2026.csv…
    record_type: str
    title: str
    columns: tuple[Column, ...]

    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


C = Column
KINDS: dict[str, FileKind] = {k.name: k for k in (
    FileKind("produits", "product", "Produits de pharmacie", (
        C("code", "id", True, "code UCD (7 ou 13 chiffres) ou CIP du produit", "9213718"),
        C("libelle", "label", True, "libellé du produit", "Paracétamol 1 g cp"),
        C("forme", "form", False, "forme galénique", "comprimé"),
        C("conditionnement", "packaging", False, "conditionnement", "boîte de 8"),
        C("fournisseur", "supplier_id", False, "code du fournisseur (fournisseurs.csv)", "F001"),
        C("ref_fournisseur", "supplier_ref", False, "référence chez le fournisseur", "UPSA-1G"),
        C("zone_stockage", "storage_zone", False, "zone de stockage à la PUI", "A3"),
    )),
    FileKind("fournisseurs", "supplier", "Fournisseurs", (
        C("code", "id", True, "code du fournisseur", "F001"),
        C("nom", "name", True, "raison sociale", "Laboratoires Dupré"),
        C("telephone", "phone", False, "téléphone des commandes", "01 23 45 67 89"),
        C("email", "email", False, "adresse électronique", "commandes@dupre.fr"),
        C("contact_commande", "order_contact", False, "interlocuteur pour les commandes",
          "Mme Lefèvre"),
    )),
    FileKind("dotations", "ward_stock", "Dotations des unités", (
        C("unite", "unit", True, "code de l'unité de soins", "CARDIO"),
        C("produit", "product_id", True, "code UCD/CIP du produit (produits.csv)", "9213718"),
        C("quantite", "quantity", True, "quantité de la dotation (entier)", "20", integer),
    )),
    FileKind("commandes", "supplier_order_line", "Commandes passées aux fournisseurs", (
        C("numero", "order_number", True, "numéro de la commande", "CMD-2026-0412"),
        C("produit", "product_id", True, "code UCD/CIP du produit (produits.csv)", "9213718"),
        C("quantite", "quantity", True, "quantité commandée (entier)", "120", integer),
        C("date", "ordered_at", True, "date de la commande, heure de Paris",
          "02/11/2026 09:30", local_datetime),
        C("fournisseur", "supplier_id", False, "code du fournisseur (vide : celui du produit)",
          "F001"),
    )),
    FileKind("demandes", "ward_request_line", "Demandes passées par les unités à la PUI", (
        C("unite", "unit", True, "code de l'unité de soins", "CARDIO"),
        C("produit", "product_id", True, "code UCD/CIP du produit (produits.csv)", "9213718"),
        C("quantite", "quantity", True, "quantité demandée (entier)", "10", integer),
        C("date", "requested_at", True, "date de la demande, heure de Paris",
          "02/11/2026 09:30", local_datetime),
        C("numero", "request_number", False, "numéro de la demande", "DEM-2026-118"),
    )),
    FileKind("plateaux", "tray", "Plateaux (compositions de stérilisation)", (
        C("code", "id", True, "code du plateau", "ORTHO-12"),
        C("nom", "name", True, "nom du plateau", "Boîte prothèse de hanche"),
        C("unite", "owner_unit", False, "unité propriétaire", "BLOC-ORTHO"),
        C("conditionnement", "packaging", False, "type d'emballage", "conteneur"),
        C("peremption_jours", "shelf_life_days", False,
          "durée de validité stérile en jours (entier)", "90", integer),
    )),
    FileKind("compositions", "tray_line", "Composition des plateaux", (
        C("plateau", "tray", True, "code du plateau (plateaux.csv)", "ORTHO-12"),
        C("instrument", "instrument", True, "désignation de l'instrument", "Pince de Kocher"),
        C("quantite", "quantity", True, "nombre d'exemplaires dans le plateau (entier)", "2",
          integer),
        C("reference", "ref", False, "référence de l'instrument", "BH-123"),
    )),
    FileKind("cycles", "sterilisation_cycle", "Cycles de stérilisation", (
        C("sterilisateur", "sterilizer", True, "autoclave / stérilisateur", "AUTOCLAVE-2"),
        C("numero_cycle", "cycle_number", True, "numéro du cycle", "4512"),
        C("date_heure", "at", True, "début du cycle, heure de Paris", "27/11/2026 14:05",
          local_datetime),
        C("lot", "lot", False, "numéro de charge / lot", "L2611-07"),
        C("plateaux", "tray_ids", False, "codes des plateaux de la charge, séparés par « | »",
          "ORTHO-12|VISC-03", id_list),
        C("programme", "program", False, "programme du cycle", "Prion 134 °C 18 min"),
    )),
    FileKind("emballages", "packaging_type", "Types d'emballage et durées de validité", (
        C("code", "id", True, "code du type d'emballage (colonne conditionnement des plateaux)",
          "conteneur"),
        C("libelle", "label", True, "libellé", "Conteneur à filtre"),
        C("validite_mois", "shelf_life_months", False, "validité stérile en mois (entier)", "6",
          integer),
        C("validite_jours", "shelf_life_days", False, "validité stérile en jours, ajoutés aux "
          "mois (entier)", "0", integer),
    )),
    FileKind("equipements", "sterilisation_equipment", "Laveurs et stérilisateurs", (
        C("code", "id", True, "code de l'équipement", "AUTOCLAVE-2"),
        C("nom", "name", True, "nom affiché", "Autoclave 2 (600 L)"),
        C("type", "kind", True, "« laveur » ou « autoclave »", "autoclave", equipment_kind),
    )),
    FileKind("interventions", "surgery_case", "Programme opératoire", (
        C("code", "id", True, "identifiant de l'intervention", "BLOC-2026-0412"),
        C("ipp", "ipp", True, "IPP du patient", "00123456"),
        C("salle", "room", True, "salle d'opération", "Salle 3"),
        C("date_heure", "scheduled_at", True, "heure prévue, heure de Paris",
          "27/11/2026 08:30", local_datetime),
        C("intervention", "procedure", True, "intervention prévue", "Prothèse totale de hanche"),
        C("cote", "side", False, "côté : droit, gauche, bilatéral (vide : sans objet)",
          "gauche", side),
        C("chirurgien", "surgeon", False, "chirurgien", "Dr Martin"),
        C("anesthesiste", "anaesthetist", False, "anesthésiste", "Dr Roux"),
        C("statut", "status", False, "programmée, en cours, terminée, annulée, reportée",
          "programmée", surgery_status),
        C("plateaux", "tray_ids", False, "codes des plateaux prévus, séparés par « | »",
          "ORTHO-12|VISC-03", id_list),
    )),
    FileKind("anesthesie", "anaesthesia_assessment", "Consultations d'anesthésie", (
        C("code", "id", True, "identifiant de la consultation", "CPA-2026-0077"),
        C("ipp", "ipp", True, "IPP du patient", "00123456"),
        C("date_heure", "at", True, "date de la consultation, heure de Paris",
          "20/11/2026 10:00", local_datetime),
        C("asa", "asa", False, "classe ASA (1 à 6, « ASA 3 », « III »)", "ASA 2",
          asa_class),
        C("voies_aeriennes", "airway", False, "voies aériennes (Mallampati, intubation…)",
          "Mallampati 2, intubation facile"),
        C("jeune", "fasting", False, "consignes de jeûne", "à jeun depuis minuit"),
        C("anesthesiste", "anaesthetist", False, "anesthésiste", "Dr Roux"),
        C("remarques", "notes", False, "remarques", "arrêt du clopidogrel J-5"),
    )),
    FileKind("transfusions", "transfusion", "Dossier transfusionnel", (
        C("code", "id", True, "identifiant de la ligne", "TR-0042"),
        C("ipp", "ipp", True, "IPP du patient", "00123456"),
        C("type", "kind", True, "« transfusion » (produit reçu) ou « exigence »", "exigence",
          transfusion_kind),
        C("produit", "product", False, "produit transfusé (transfusion)", "CGR"),
        C("date_heure", "at", False, "date de la transfusion, heure de Paris",
          "02/11/2026 15:00", local_datetime),
        C("quantite", "quantity", False, "nombre d'unités", "2"),
        C("exigence", "need", False, "irradié, phénotypé, CMV négatif, autre (exigence)",
          "irradié", transfusion_need),
        C("remarque", "note", False, "précision", "greffe de moelle 2024"),
    )),
    FileKind("unites", "unit", "Unités de soins", (
        C("code", "id", True, "code de l'unité", "CARDIO"),
        C("nom", "name", True, "nom de l'unité", "Cardiologie"),
        C("telephone", "phone", False, "téléphone de l'unité", "4521"),
    )),
    FileKind("annuaire", "staff", "Annuaire du personnel", (
        C("identifiant", "id", True, "identifiant (RPPS, matricule…)", "10001234567"),
        C("nom", "name", True, "prénom et nom", "Dr Étienne Cœur"),
        C("fonction", "role", False, "fonction", "cardiologue"),
        C("unite", "unit", False, "code de l'unité", "CARDIO"),
        C("telephone", "phone", False, "téléphone ou bip", "4522"),
    )),
)}
