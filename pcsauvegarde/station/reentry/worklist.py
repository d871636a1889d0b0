"""The re-entry worklist: everything put on paper in a window, by domain and unit, with status.

Items come from the issued-documents journal (bundles and kits contribute their inner
documents), the lab register (one item per label number), the tray circulation register (one
per circulation number) and the downtime admissions (one per provisional IPP). Documents that
only carry numbers itemised elsewhere (label sheets, admission kits) and the station's own
reports are not items. A real outage leaves out the documents of crisis exercises; an
exercise's window holds only its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pcsauvegarde.core.records import parse_utc
from pcsauvegarde.station import documents, patients
from pcsauvegarde.station.documents import bundle, dotation, forms, supplier_order
from pcsauvegarde.station.reentry import status as st
from pcsauvegarde.station.reentry.outage import Window
from pcsauvegarde.station.state.accounts import User
from pcsauvegarde.station.station import Station

DOMAINS = {"soins": "Soins", "admissions": "Admissions", "biologie": "Biologie",
           "pharmacie": "Pharmacie", "stérilisation": "Stérilisation"}
# Which domains each role re-enters (admin: all); units still limit what is seen.
ROLE_DOMAINS = {"admin": tuple(DOMAINS), "soins": ("soins", "admissions"),
                "laboratoire": ("biologie",), "pharmacie": ("pharmacie",),
                "stérilisation": ("stérilisation",)}
CONTAINERS = (bundle.KIND, bundle.KIT_KIND)
# Kinds whose numbers are itemised elsewhere, or that hold nothing to re-enter.
CARRIERS = ("lab_labels", "tray_labels", "admission")
# (documents.KINDS of scope "station", e.g. the procedure page, are skipped too.)
NOT_REENTERED = ("exercise_report", "reentry_report")
MAX_TEXT = 100
DOCUMENT_ITEMS = ("document", "supplier_order", "dotation")   # items that are journal documents


@dataclass(frozen=True)
class Item:
    """One thing issued on paper that the restored systems must learn about."""

    item_kind: str
    number: str
    domain: str
    title: str
    unit: str
    ipp: str
    issuer: str
    issued_at: dt.datetime
    status: st.StatusEntry
    patient: str = ""
    detail: str = ""
    document: str = ""   # the journalled document carrying it (labels, kits, bundles)

    @property
    def domain_label(self) -> str:
        return DOMAINS[self.domain]

    @property
    def key(self) -> tuple[str, str]:
        return (self.item_kind, self.number)


@dataclass(frozen=True)
class Progress:
    """Counts of one group (a unit or a domain): by status, and how much is done."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def outstanding(self) -> int:
        return self.counts.get(st.TO_REENTER, 0) + self.counts.get(st.REENTERED, 0)

    @property
    def percent_done(self) -> int:
        """Share of items with nothing left to do (verified or not applicable), rounded down."""
        return (self.total - self.outstanding) * 100 // self.total if self.total else 100


def item_kind_of(kind: str) -> str:
    """The worklist item kind of a journalled document kind (pharmacy papers have their own)."""
    return {supplier_order.KIND: "supplier_order", dotation.KIND: "dotation"}.get(kind,
                                                                                 "document")


def domains_of(user: User) -> tuple[str, ...]:
    """The domains a user re-enters, from their roles (see docs/roles.md)."""
    return tuple(d for d in DOMAINS if any(d in ROLE_DOMAINS.get(r, ()) for r in user.roles))


def may_see(user: User, item: Item, domains: tuple[str, ...] | None = None) -> bool:
    """In one of the user's domains (``domains``: ``domains_of(user)`` computed once), and in
    their units (an item without unit: all-unit accounts only, as for documents)."""
    if item.domain not in (domains_of(user) if domains is None else domains):
        return False
    return user.can_see_unit(item.unit) if item.unit else "*" in user.units


def items(station: Station, window: Window) -> list[Item]:
    """Every item of ``window``, unscoped, in issue order (callers scope with ``may_see``)."""
    statuses = st.current_all(station)
    found = _documents(station, window) + _lab_labels(station, window) + \
        _trays(station, window) + _admissions(station, window)
    names = patients.identities(station, [i["ipp"] for i in found if i["ipp"]])
    out = []
    for i in found:
        key = (i["item_kind"], i["number"])
        out.append(Item(**i, status=statuses.get(key) or st.StatusEntry(*key, st.TO_REENTER,
                                                                           None, ""),
                        patient=names.get(i["ipp"], f"IPP {i['ipp']} (absent des données)")
                        if i["ipp"] else ""))
    return sorted(out, key=lambda i: (i.issued_at, i.number))


def visible(station: Station, window: Window, user: User) -> list[Item]:
    """The items of ``window`` the user may see and mark."""
    domains = domains_of(user)
    return [i for i in items(station, window) if may_see(user, i, domains)]


def filtered(found: Iterable[Item], domain: str = "", unit: str = "", status: str = "",
             text: str = "") -> list[Item]:
    """Items matching every given filter (text: number, patient, issuer, title, detail)."""
    needle = " ".join(text.split())[:MAX_TEXT].casefold()
    return [i for i in found
            if (not domain or i.domain == domain) and (not unit or i.unit == unit)
            and (not status or i.status.status == status)
            and (not needle or needle in " ".join((i.number, i.patient, i.ipp, i.issuer, i.title,
                                                   i.detail, i.document)).casefold())]


def progress(found: Iterable[Item], by: str) -> list[Progress]:
    """Counts per ``by`` (« domain » or « unit »), in a stable order."""
    groups: dict[str, Counter] = {}
    for i in found:
        key = i.domain if by == "domain" else i.unit
        if key not in groups:
            groups[key] = Counter()
        groups[key][i.status.status] += 1
    order = list(DOMAINS) if by == "domain" else sorted(groups)
    return [Progress(k, DOMAINS[k] if by == "domain" else (k or "sans unité"), dict(groups[k]))
            for k in order if k in groups]


def _in(window: Window, when: str) -> bool:
    return window.contains(parse_utc(when))


def _exercise_numbers(station: Station, window: Window) -> tuple[set[str], set[str]]:
    """(every exercise document number, those of ``window``'s exercise)."""
    with station.state.connect() as conn:
        if not _has(conn, "exercise_document"):
            return set(), set()
        rows = conn.execute("SELECT number, exercise FROM exercise_document").fetchall()
    return {r[0] for r in rows}, {r[0] for r in rows if r[1] == window.exercise_id}


def _keep(number: str, window: Window, tagged: tuple[set[str], set[str]]) -> bool:
    every, own = tagged
    return number in own if window.is_exercise else number not in every


def _has(conn, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                        (table,)).fetchone() is not None


def _documents(station: Station, window: Window) -> list[dict]:
    tagged = _exercise_numbers(station, window)
    with station.state.connect() as conn:
        rows = conn.execute("SELECT d.*, p.container FROM issued_document d LEFT JOIN "
                            "document_pages p ON p.number = d.number ORDER BY d.seq").fetchall()
    from pcsauvegarde.station.issuing.preview import title_of

    titles: dict[tuple[str, str | None], str] = {}
    skipped = CONTAINERS + CARRIERS + NOT_REENTERED
    out = []
    for r in rows:
        kind = r["kind"]
        if kind in skipped or not _keep(r["number"], window, tagged):
            continue
        issued_at = parse_utc(r["issued_at"])
        if not window.contains(issued_at):
            continue
        registered = documents.KINDS.get(kind)
        if registered is not None and registered.scope == "station":
            continue  # about the station itself (the procedure page): nothing to re-enter
        form = r["form"] if kind == forms.KIND else None
        if (kind, form) not in titles:
            titles[kind, form] = title_of(kind, form, station.settings.print_templates_path)
        title = titles[kind, form]
        scope = registered.scope if registered else "patient"
        domain = {"lab": "biologie", "sterilisation": "stérilisation",
                  "supplier": "pharmacie"}.get(scope, "soins")
        item_kind = item_kind_of(kind)
        if item_kind != "document":
            domain = "pharmacie"
        pages = f"{r['pages']} page(s)" if r["pages"] else ""
        detail = ", ".join(x for x in (pages, f"dans la liasse {r['container']}"
                                       if r["container"] else "") if x)
        out.append({"item_kind": item_kind, "number": r["number"], "domain": domain,
                    "title": title, "unit": r["unit"] or "", "ipp": r["ipp"] or "",
                    "issuer": r["issued_by"], "issued_at": issued_at,
                    "detail": detail, "document": r["container"] or ""})
    return out


def _lab_labels(station: Station, window: Window) -> list[dict]:
    tagged = _exercise_numbers(station, window)
    with station.state.connect() as conn:
        if not _has(conn, "lab_label"):
            return []
        rows = conn.execute("SELECT l.number, l.ipp, b.unit, b.issued_by, b.issued_at, b.tubes,"
                            " b.document_number, b.status, b.kind FROM lab_label l JOIN "
                            "lab_batch b ON b.id = l.batch ORDER BY b.id, l.position").fetchall()
    from pcsauvegarde.station.lab.register import KINDS, STATUSES
    out = []
    for r in rows:
        if not _in(window, r["issued_at"]) or not _keep(r["document_number"], window, tagged):
            continue
        detail = f"{KINDS.get(r['kind'], r['kind'])}, {r['tubes']} tube(s)"
        if r["status"] in ("allocated", "print_failed"):
            detail += f", {STATUSES[r['status']].lower()}"
        out.append({"item_kind": "lab_label", "number": r["number"], "domain": "biologie",
                    "title": "Étiquette de laboratoire", "unit": r["unit"] or "",
                    "ipp": r["ipp"] or "", "issuer": r["issued_by"],
                    "issued_at": parse_utc(r["issued_at"]), "detail": detail,
                    "document": r["document_number"]})
    return out


def _trays(station: Station, window: Window) -> list[dict]:
    # Tray labels carry no exercise mark: an exercise's window lists those of its hours.
    with station.state.connect() as conn:
        if not _has(conn, "tray_circulation"):
            return []
        rows = conn.execute("SELECT * FROM tray_circulation ORDER BY issued_at").fetchall()
    return [{"item_kind": "tray", "number": r["number"], "domain": "stérilisation",
             "title": "Étiquette de plateau", "unit": r["unit"] or "", "ipp": "",
             "issuer": r["issued_by"], "issued_at": parse_utc(r["issued_at"]),
             "detail": f"plateau {r['tray']}, recomposé le "
                       f"{dt.date.fromisoformat(r['recomposed_on']):%d/%m/%Y}", "document": ""}
            for r in rows if _in(window, r["issued_at"])]


def _admissions(station: Station, window: Window) -> list[dict]:
    tagged = _exercise_numbers(station, window)
    return [{"item_kind": "admission", "number": a.ipp, "domain": "admissions",
             "title": "Admission en mode dégradé", "unit": a.request.unit, "ipp": a.ipp,
             "issuer": a.admitted_by, "issued_at": a.admitted_at,
             "detail": f"IPP provisoire {a.ipp}, NDA provisoire {a.nda}",
             "document": a.document_number}
            for a in patients.admissions_of(station).all()
            if window.contains(a.admitted_at) and _keep(a.document_number, window, tagged)]
