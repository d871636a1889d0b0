"""The home page's next actions per role; a tile whose page does not exist yet says so."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.routing import Map


@dataclass(frozen=True)
class Tile:
    title: str
    hint: str
    href: str | None  # None: not available on this station yet (« bientôt »)


@dataclass(frozen=True)
class Section:
    title: str
    tiles: tuple[Tile, ...]


# role → (section title, [(tile title, hint, candidate paths, first existing one wins)])
ROLE_TILES: dict[str, tuple[str, list[tuple[str, str, tuple[str, ...]]]]] = {
    "laboratoire": ("Laboratoire", [
        ("Étiquettes de laboratoire", "Étiquettes pré-numérotées de panne et bons de demande",
         ("/labo",)),
        ("Ressaisie après la panne", "Liste de ce qui a été émis sur papier, scan, avancement",
         ("/ressaisie",))]),
    "pharmacie": ("Pharmacie", [
        ("Dotations des services", "Listes de dotation par service, dans l'ordre des zones",
         ("/pharmacie/dotations", "/pharmacie")),
        ("Bons de commande fournisseurs", "Contacts, produits, quantités moyennes des "
         "commandes précédentes", ("/pharmacie/fournisseurs",)),
        ("Inventaires de la PUI", "Listes d'inventaire par zone de stockage, ou vierges",
         ("/pharmacie/inventaires",)),
        ("Annuaire", "Fournisseurs, téléphones des services, personnel",
         ("/pharmacie/annuaire",)),
        ("Ressaisie après la panne", "Liste de ce qui a été émis sur papier, scan, avancement",
         ("/ressaisie",))]),
    "stérilisation": ("Stérilisation", [
        ("Stérilisation", "Compositions de plateaux, étiquettes, feuilles de charge",
         ("/sterilisation",)),
        ("Ressaisie après la panne", "Liste de ce qui a été émis sur papier, scan, avancement",
         ("/ressaisie",))]),
    "imagerie": ("Imagerie et bloc", [
        ("Planning d'imagerie", "Examens prévus par modalité, salle et jour ; comptes-rendus "
         "papier pré-remplis ou vierges", ("/imagerie",)),
        ("Planning des interventions", "Programme opératoire par salle et par jour, groupe "
         "sanguin et RAI, fiches pré-opératoires", ("/bloc",))]),
    "soins": ("Consultations", [
        ("Planning des consultations", "Rendez-vous des 7 jours par consultation ; listes "
         "d'appels des patients", ("/consultations",))]),
    "admin": ("Administration", [
        ("Comptes", "Créer, désactiver, réinitialiser, rôles et services", ("/admin/comptes",)),
        ("Journal d'audit", "Qui a vu et imprimé quoi ; export CSV ; accès exceptionnels",
         ("/admin/journal",)),
        ("Synchronisation", "Sources, tirages, quarantaine, gel, disque, clés",
         ("/admin/synchro/", "/admin/synchro")),
        ("Pannes et ressaisie", "Déclarer une panne, liste de ressaisie, bilan, conservation "
         "des PDF", ("/ressaisie/pannes",)),
        ("Exports de ressaisie", "FHIR R4, HL7 v2 (admissions, fusions) et tableurs pour les "
         "systèmes rétablis", ("/ressaisie/exports",))]),
}


def _get_paths(url_map: Map) -> set[str]:
    return {r.rule for r in url_map.iter_rules() if not r.arguments and "GET" in (r.methods or ())}


def sections_for(roles: tuple[str, ...], url_map: Map) -> list[Section]:
    """What each of the user's roles leads to, in the order of ROLE_TILES."""
    paths = _get_paths(url_map)
    out = []
    for role, (title, tiles) in ROLE_TILES.items():
        if role not in roles:
            continue
        out.append(Section(title, tuple(
            Tile(name, hint, next((p for p in candidates if p in paths), None))
            for name, hint, candidates in tiles)))
    return out
