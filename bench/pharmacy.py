"""Every unit's dotation printed: `.venv/bin/python -m bench.pharmacy [UNITS] [--keep DIR]`.

Generates a hospital of UNITS (default 40) care units, a PUI catalogue of 1,500 products in
60 storage zones (valid UCD13 codes, 8 suppliers) and a dotation of 80 to 160 products per
unit, promotes it into a real station store, then times what the pharmacist's « Imprimer la
dotation » does for every unit in turn: read the dotation from the store
(`pharmacy.dotations.ward_stock_list`), number it in the journal, render the PDF and keep it
(`issuing.issue.issue_unit_document`; no printer). The pure render of the same lists (records
in memory, no store, no journal) is timed too, to say where the time goes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from pcsauvegarde.core.package.manifest import Manifest
from pcsauvegarde.core.records import Product, Record, Supplier, Unit, WardStock
from pcsauvegarde.demo.pharmacy import MOLECULES, ucd13
from pcsauvegarde.station.documents import dotation
from pcsauvegarde.station.documents.context import DocumentContext
from pcsauvegarde.station.issuing.issue import issue_unit_document
from pcsauvegarde.station.pharmacy import dotations
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.station import Station, open_station
from pcsauvegarde.station.store.db import record_rows

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
ZONES = [f"{aisle}{shelf}" for aisle in "ABCDEFGHIJ" for shelf in range(1, 7)]   # 60 zones


def hospital(units: int = 40, products: int = 1500, seed: int = 7) -> dict[str, list[Record]]:
    """{domain: records}: suppliers, products, units and their dotations (deterministic)."""
    rng = random.Random(seed)
    suppliers = [Supplier(f"F{k:03d}", name=f"Fournisseur {k}", phone=f"01 45 00 {k:02d} 00",
                          email=f"commandes{k}@fournisseur.example", order_contact="ADV")
                 for k in range(1, 9)]
    catalogue = []
    for k in range(products):
        molecule, strengths, form, packaging, _ = MOLECULES[k % len(MOLECULES)]
        catalogue.append(Product(
            ucd13(7_000_000 + k), label=f"{molecule} {strengths[k % len(strengths)]} ({k})",
            form=form, packaging=packaging, supplier_id=suppliers[k % 8].id,
            supplier_ref=f"REF-{k:05d}", storage_zone=rng.choice(ZONES)))
    unit_records: list[Record] = [Unit(f"U{u:02d}", name=f"Unité de soins {u}",
                                       phone=f"4{u:03d}") for u in range(1, units + 1)]
    stock: list[Record] = []
    for u in range(1, units + 1):
        for p in rng.sample(catalogue, rng.randint(80, 160)):
            stock.append(WardStock(f"U{u:02d}-{p.id}", unit=f"U{u:02d}", product_id=p.id,
                                   quantity=rng.choice((2, 5, 10, 20, 50))))
    return {"pharmacy": [*suppliers, *catalogue, *stock], "directory": unit_records}


def build_station(data_dir: Path, domains: dict[str, list[Record]]) -> Station:
    """A station whose store holds ``domains`` as promoted full snapshots."""
    settings = load_settings(data_dir, {"station_id": "bench-pui"})
    station = open_station(settings)
    for domain, records in domains.items():
        counts: dict[str, int] = {}
        for r in records:
            counts[r.TYPE] = counts.get(r.TYPE, 0) + 1
        manifest = Manifest(kind="full", domain=domain, station="bench-pui", source="bench",
                            extracted_at=NOW, sequence=1, counts=counts)
        station.store.promote(manifest, record_rows(domain, records), package=f"bench-{domain}")
    return station


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def run(units: int, root: Path, out=print) -> dict[str, float]:
    """Print every unit's dotation through the station, then render them pure; figures."""
    domains = hospital(units)
    station = build_station(root, domains)
    names = {u.id: u.name for u in domains["directory"] if isinstance(u, Unit)}
    lines = sum(1 for r in domains["pharmacy"] if isinstance(r, WardStock))
    ctx = DocumentContext("Centre hospitalier de démonstration", "BENCH", "Mme Bench", NOW,
                          NOW, "BENCH-0000001")
    first = dotations.ward_stock_list(station.store, "U01", names["U01"])
    dotation.render(first, ctx)   # fonts and templates loaded once, not measured
    start, cpu = time.perf_counter(), time.process_time()
    pages = 0
    read_s = 0.0
    for code in sorted(names):
        t0 = time.perf_counter()
        stock = dotations.ward_stock_list(station.store, code, names[code])
        read_s += time.perf_counter() - t0
        issued = issue_unit_document(station, "dotation", stock, "bench")
        pages += _pages(issued.pdf)
    station_s, station_cpu = time.perf_counter() - start, time.process_time() - cpu
    products = {r.id: r for r in domains["pharmacy"] if isinstance(r, Product)}
    suppliers = {r.id: r for r in domains["pharmacy"] if isinstance(r, Supplier)}
    ward = [r for r in domains["pharmacy"] if isinstance(r, WardStock)]
    start, cpu = time.perf_counter(), time.process_time()
    for code in sorted(names):
        dotation.render(dotations.build(code, names[code], ward, products, suppliers), ctx)
    pure_s, pure_cpu = time.perf_counter() - start, time.process_time() - cpu
    out(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU (wall times count "
        "waiting for a core; CPU times do not)")
    out(f"{units} units, {len(products):,} products in {len(ZONES)} zones, {lines:,} dotation "
        f"lines ({lines / units:.0f} a unit)")
    out(f"every unit's dotation, through the station (store read, journal, render, PDF kept): "
        f"{station_s:.2f} s wall, {station_cpu:.2f} s CPU, {pages} pages "
        f"({station_s / units * 1000:.0f} ms a unit; store reads {read_s:.2f} s)")
    out(f"pure render of the same {units} lists (no store, no journal): {pure_s:.2f} s wall, "
        f"{pure_cpu:.2f} s CPU ({pure_cpu / units * 1000:.0f} ms CPU a unit)")
    return {"station_s": station_s, "station_cpu": station_cpu, "read_s": read_s,
            "pure_s": pure_s, "pure_cpu": pure_cpu, "pages": pages, "lines": lines}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pharmacy", description=__doc__)
    parser.add_argument("units", nargs="?", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.units, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="pcs-bench-pui-") as tmp:
            run(args.units, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
