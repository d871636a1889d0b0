"""The generated parts of docs/: tables written from the declarations the code obeys.

Each generated part sits between ``<!-- généré: NAME -->`` and ``<!-- fin: NAME -->`` in a
page; ``python -m pcsauvegarde.cli.docgen`` rewrites them and the tests fail when a page is
out of date, so the documentation cannot drift from the validator, the scoping rules or the
route declarations.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"


def publisher_keys() -> str:
    from pcsauvegarde.publisher.config import reference_markdown

    return reference_markdown()


def scoping_rules() -> str:
    from pcsauvegarde.core.records import RECORD_TYPES
    from pcsauvegarde.publisher.scoping import PATIENT, RULES, SHARED, WHY_SHARED

    out = ["| Type d'enregistrement | Domaine | Reçu par une station quand… |", "|---|---|---|"]
    for rtype, cls in RECORD_TYPES.items():
        rule, field = RULES[rtype]
        if rtype == "appointment":
            when = ("le patient a un séjour ou un rendez-vous (`unit` de la consultation) dans "
                    "une de ses unités : le rendez-vous fait aussi recevoir le patient")
        elif rule == PATIENT:
            when = ("le patient a un séjour ou un rendez-vous de consultation dans une de ses "
                    "unités (tout son dossier suit)")
        elif rule == SHARED:
            when = f"toujours : {WHY_SHARED[rtype]}"
        elif rtype == "sterilisation_cycle":
            when = "un des plateaux du cycle est reçu par la station"
        else:
            when = f"`{field}` est une de ses unités, ou est vide (commun)"
        out.append(f"| `{rtype}` | `{cls.DOMAIN}` | {when} |")
    return "\n".join(out) + "\n"


def hl7_types() -> str:
    from pcsauvegarde.publisher.importers.hl7v2.importer import SUPPORTED

    return f"Messages HL7 v2 pris en charge : {SUPPORTED}.\n"


def route_roles() -> str:
    """One row per route of the station's UI: which roles reach it, whether units apply."""
    from pcsauvegarde.station.state.accounts import ROLES
    from pcsauvegarde.station.web.access_map import access_rules

    head = ["Adresse", "Méthode", *ROLES, "Limité aux unités du compte"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for rule in access_rules():
        if rule.roles is None:
            cells = ["sans connexion"] * len(ROLES)
        else:
            cells = ["oui" if not rule.roles or role in rule.roles else "—" for role in ROLES]
        scoped = "oui" if rule.scoped else "non"
        out.append(f"| `{rule.path}` | {rule.method} | " + " | ".join(cells) + f" | {scoped} |")
    return "\n".join(out) + "\n"


def reentry_roles() -> str:
    """Which re-entry domains each role works on (worklist, scan, statuses)."""
    from pcsauvegarde.station.reentry.worklist import DOMAINS, ROLE_DOMAINS
    from pcsauvegarde.station.state.accounts import ROLES

    out = ["| Rôle | Domaines de la liste de ressaisie |", "|---|---|"]
    for role in ROLES:
        domains = ROLE_DOMAINS.get(role, ())
        names = ", ".join(DOMAINS[d] for d in domains) if domains else "aucun (pas d'accès)"
        out.append(f"| `{role}` | {names} |")
    return "\n".join(out) + "\n"


GENERATED: dict[str, tuple[str, Callable[[], str]]] = {
    "cles-publisher-toml": ("publisher-toml.md", publisher_keys),
    "perimetre-par-type": ("unites-et-domaines.md", scoping_rules),
    "types-hl7": ("unites-et-domaines.md", hl7_types),
    "roles-par-route": ("roles.md", route_roles),
    "ressaisie-par-role": ("roles.md", reentry_roles),
}


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- généré: {name} -->\n)(.*?)(<!-- fin: {name} -->)", re.S)


def generated_part(page: str, name: str) -> str | None:
    """The text between a page's markers for ``name`` (None: markers missing)."""
    match = _block(name).search(page)
    return match.group(2) if match else None


def regenerate(docs: Path = DOCS) -> list[Path]:
    """Rewrite every generated part; return the pages that changed."""
    changed = []
    for name, (file, make) in GENERATED.items():
        path = docs / file
        page = path.read_text(encoding="utf-8")
        if generated_part(page, name) is None:
            raise SystemExit(f"{path} : marqueurs « {name} » absents")
        text = make()

        def fill(m: re.Match[str], text: str = text) -> str:
            return m.group(1) + text + m.group(3)

        new = _block(name).sub(fill, page)
        if new != page:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    for changed_page in regenerate():
        sys.stdout.write(f"mis à jour : {changed_page}\n")
