"""A large synthetic hospital as canonical records, generated directly (fast, deterministic)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from pcsauvegarde.core.records import (
    Allergy,
    Condition,
    LabResult,
    MedicationOrder,
    Patient,
    Product,
    Record,
    StaffEntry,
    Stay,
    SterilisationCycle,
    Supplier,
    Timing,
    Tray,
    TrayLine,
    Unit,
    WardStock,
)

LAST = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
        "LAURENT", "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL",
        "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "NOËL"]
FIRST_F = ["Hélène", "Zoé", "Élodie", "Chloé", "Anaïs", "Léa", "Maëlle", "Inès", "Agnès", "Renée"]
FIRST_M = ["François", "Jérôme", "Théo", "Noé", "Raphaël", "Loïc", "Benoît", "Gaël", "André"]
LABS = [("2823-3", "Potassium", "mmol/L", 3.5, 5.0), ("2951-2", "Sodium", "mmol/L", 135, 145),
        ("2160-0", "Créatinine", "µmol/L", 45, 90), ("718-7", "Hémoglobine", "g/dL", 12, 16),
        ("777-3", "Plaquettes", "G/L", 150, 400), ("1988-5", "CRP", "mg/L", 0, 5),
        ("2345-7", "Glycémie", "mmol/L", 3.9, 5.8), ("6690-2", "Leucocytes", "G/L", 4, 10)]
DRUGS = [("9213718", "Paracétamol 1 g comprimé", "1", "g", "orale"),
         ("9000234", "Héparine sodique 5 000 UI/mL", "5000", "UI", "sous-cutanée"),
         ("9167723", "Amoxicilline 1 g injectable", "1", "g", "intraveineuse"),
         ("9373811", "Furosémide 40 mg comprimé", "40", "mg", "orale"),
         ("9281553", "Morphine 10 mg/mL", "2", "mg", "sous-cutanée")]
TIMINGS = [Timing("fixed_times", times=("08:00", "20:00")), Timing("every_hours", every_hours=6),
           Timing("times_per_day", per_day=3), Timing("as_needed", max_per_day=4),
           Timing("text", text="selon glycémie capillaire")]


@dataclass(frozen=True)
class Scale:
    inpatients: int = 2000
    discharged_days: int = 30
    discharged_per_day: int = 130
    orders: int = 40_000
    lab_results: int = 400_000
    products: int = 5000
    trays: int = 2000
    units: int = 40

    def small(self) -> Scale:
        """1/20 of every count (days kept)."""
        return Scale(self.inpatients // 20, self.discharged_days, self.discharged_per_day // 20,
                     self.orders // 20, self.lab_results // 20, self.products // 20,
                     self.trays // 20, self.units // 4)


def hospital(scale: Scale, now: dt.datetime, seed: int = 1) -> list[Record]:
    """Every record of the hospital at ``now`` (sorted by nothing in particular)."""
    rng = random.Random(seed)
    out: list[Record] = []
    units = [f"U{n:02d}" for n in range(1, scale.units + 1)]
    out += [Unit(u, f"Unité {n} — médecine", phone=f"4{n:03d}") for n, u in enumerate(units, 1)]
    out += [StaffEntry(f"1000{n:07d}", f"Dr {rng.choice(FIRST_F + FIRST_M)} {rng.choice(LAST)}",
                       "médecin", rng.choice(units), f"5{n:03d}") for n in range(scale.units * 20)]
    ipps = []
    n_discharged = scale.discharged_days * scale.discharged_per_day
    for n in range(scale.inpatients + n_discharged):
        ipp = f"{800000000 + n}"
        sex = "F" if n % 2 else "M"
        out.append(Patient(ipp, rng.choice(LAST), rng.choice(FIRST_F if sex == "F" else FIRST_M),
                           dt.date(1930 + n % 80, 1 + n % 12, 1 + n % 28), sex,
                           ins=f"{1 if sex == 'M' else 2}{n:014d}"[:15], ins_status="qualifiée"))
        current = n < scale.inpatients
        admission = now - dt.timedelta(hours=rng.randint(1, 24 * (15 if current else 40)))
        discharge = None if current else min(now, admission + dt.timedelta(
            days=rng.randint(1, 10)))
        out.append(Stay(f"NDA{n:09d}", ipp, rng.choice(units), admission, room=str(n % 400),
                        bed="AB"[n % 2], attending="Dr MARTIN", discharge=discharge))
        if n % 3 == 0:
            out.append(Allergy(f"AL{n}", ipp, rng.choice(["Pénicilline", "Iode", "Latex"])))
        out.append(Condition(f"CO{n}", ipp, "Hypertension artérielle", code="I10"))
        ipps.append((ipp, current))
    current_ipps = [ipp for ipp, cur in ipps if cur]
    for n in range(scale.orders):
        code, drug, dose, unit, route = rng.choice(DRUGS)
        out.append(MedicationOrder(f"MO{n}", rng.choice(current_ipps), drug, dose,
                                   rng.choice(TIMINGS), now - dt.timedelta(hours=n % 200),
                                   unit=unit, route=route, code=code, prescriber="Dr DURAND"))
    for n in range(scale.lab_results):
        code, label, unit, low, high = LABS[n % len(LABS)]
        value = rng.uniform(low * 0.7, high * 1.3)
        flag = "H" if value > high else "L" if value < low else "N"
        collected = now - dt.timedelta(minutes=60 + n % 40000)
        out.append(LabResult(f"LR{n}", ipps[n % len(ipps)][0], code, label, f"{value:.1f}",
                             collected, unit=unit, reference_range=f"{low}-{high}",
                             abnormal=flag, validated_at=collected + dt.timedelta(minutes=30)))
    suppliers = [f"F{n:03d}" for n in range(max(5, scale.products // 25))]
    out += [Supplier(s, f"Laboratoires {rng.choice(LAST).title()}", "01 23 45 67 89",
                     f"commandes@{s.lower()}.fr") for s in suppliers]
    products = [f"9{n:06d}" for n in range(scale.products)]
    out += [Product(p, f"Produit {n} 500 mg comprimé", "comprimé", "boîte de 30",
                    rng.choice(suppliers), f"REF-{n}", f"Z{n % 20}")
            for n, p in enumerate(products)]
    out += [WardStock(f"{u}-{p}", u, p, rng.randint(1, 50))
            for u in units for p in rng.sample(products, min(len(products), 100))]
    trays = [f"PL{n:05d}" for n in range(scale.trays)]
    out += [Tray(t, f"Boîte {n}", rng.choice(units), "conteneur", 90, tuple(
        TrayLine(f"Instrument {k}", 1 + k % 3, f"I{k}") for k in range(20)))
        for n, t in enumerate(trays)]
    out += [SterilisationCycle(f"AUTO-{n}", f"AUTOCLAVE-{n % 4}", str(n),
                               now - dt.timedelta(hours=n), f"L{n}", tuple(rng.sample(trays, 5)))
            for n in range(max(10, scale.trays // 4))]
    return out


def minute_of_changes(records: list[Record], now: dt.datetime, minute: int = 0,
                      seed: int = 2) -> list[Record]:
    """What the source reports in one minute, as records: 3 admissions, 1 transfer, 1 discharge,
    35 new lab results (2,000 an hour), 2 new orders."""
    rng = random.Random(seed + minute)
    open_stays = [r for r in records if r.TYPE == "stay" and r.discharge is None]
    units = sorted({s.unit for s in open_stays})
    out: list[Record] = []
    out.append(Stay(**{**open_stays[minute % len(open_stays)].__dict__, "discharge": now}))
    moved = open_stays[(minute + 7) % len(open_stays)]
    out.append(Stay(**{**moved.__dict__, "unit": units[(units.index(moved.unit) + 1)
                                                      % len(units)]}))
    for n in range(3):
        ipp = f"7{minute:05d}{n:03d}"
        out += [Patient(ipp, "NOUVEAU", "Zoé", dt.date(1970, 1, 1), "F"),
                Stay(f"NDANEW{minute}-{n}", ipp, rng.choice(units), now)]
    for n in range(35):
        code, label, unit, low, high = LABS[n % len(LABS)]
        out.append(LabResult(f"LRNEW{minute}-{n}", rng.choice(open_stays).ipp, code, label,
                             f"{rng.uniform(low, high):.1f}", now, unit=unit))
    code, drug, dose, unit, route = DRUGS[minute % len(DRUGS)]
    out += [MedicationOrder(f"MONEW{minute}-{n}", rng.choice(open_stays).ipp, drug, dose,
                            TIMINGS[n], now, unit=unit, route=route, code=code)
            for n in range(2)]
    return out
