"""A synthetic station for the UI load test: N patients, their stays, allergies and labs."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from pcsauvegarde.core.package.manifest import Manifest
from pcsauvegarde.core.records import Allergy, Condition, LabResult, Patient, Stay, Unit
from pcsauvegarde.station.settings import load_settings
from pcsauvegarde.station.station import Station, open_station
from pcsauvegarde.station.store.db import record_rows

BIRTH_NAMES = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
               "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
               "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre",
               "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
               "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel",
               "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez",
               "Fontaine", "Chevalier", "Robin", "Masson", "Sánchez", "Gérard", "Nguyen", "Boyer",
               "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël",
               "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard",
               "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin",
               "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud",
               "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard",
               "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodriguez",
               "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Rivière", "Le Gall",
               "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Menard",
               "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît", "Paris", "Maillard",
               "Marchal", "Aubry", "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet", "Prévost")
FIRST_NAMES = ("Marie", "Jean", "Hélène", "Pierre", "Chloé", "Louis", "Léa", "Gabriel", "Zoé",
               "Raphaël", "Inès", "Jules", "Anaïs", "Noé", "Maëlle", "Théo", "Émilie", "Hugo",
               "Françoise", "Arthur", "Cécile", "Étienne", "Agnès", "Joël", "Bérénice", "Loïc",
               "Geneviève", "Rémi", "Séverine", "Jérôme", "Ophélie", "Benoît", "Noémie", "André")
SUBSTANCES = ("Pénicilline", "Amoxicilline", "Iode", "Latex", "Arachide", "Aspirine",
              "Sulfamides", "Morphine")
LABS = (("NA", "Sodium", "mmol/L", 135, 145), ("K", "Potassium", "mmol/L", 3.5, 5.0),
        ("CREA", "Créatinine", "µmol/L", 45, 110), ("HB", "Hémoglobine", "g/dL", 12, 17),
        ("PLQ", "Plaquettes", "G/L", 150, 400), ("CRP", "Protéine C réactive", "mg/L", 0, 5))


def _records(n: int, units: int, now: dt.datetime, rng: random.Random):
    unit_codes = [f"U{i:02d}" for i in range(1, units + 1)]
    directory = [Unit(code, f"Service {code[1:]}", f"01 23 45 {code[1:]} 00")
                 for code in unit_codes]
    dpi, lab = [], []
    for i in range(n):
        ipp = f"{10000000 + i * 7:08d}"
        sex = rng.choice("MF")
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 33000))
        used = rng.choice(BIRTH_NAMES) if sex == "F" and rng.random() < 0.3 else ""
        dpi.append(Patient(ipp, rng.choice(BIRTH_NAMES), " ".join(rng.sample(FIRST_NAMES, 2)),
                           birth, sex, used_name=used))
        admitted = now - dt.timedelta(hours=rng.randrange(2, 24 * 40))
        discharged = (now - dt.timedelta(hours=rng.randrange(1, 24 * 25))
                      if rng.random() < 0.2 else None)
        if discharged is not None and discharged <= admitted:
            discharged = admitted + dt.timedelta(hours=1)
        dpi.append(Stay(f"{500000000 + i:09d}", ipp, rng.choice(unit_codes), admitted,
                        room=str(100 + i % 40), bed=rng.choice("AB"), discharge=discharged))
        if rng.random() < 0.25:
            dpi.append(Allergy(f"ALG-{ipp}", ipp, rng.choice(SUBSTANCES)))
        if rng.random() < 0.5:
            dpi.append(Condition(f"CND-{ipp}", ipp, "Hypertension artérielle"))
        for k, (code, label, unit, low, high) in enumerate(LABS):
            if rng.random() < 0.6:
                value = round(rng.uniform(low * 0.8, high * 1.2), 1)
                flag = "H" if value > high else "L" if value < low else "N"
                lab.append(LabResult(f"LAB-{ipp}-{k}", ipp, code, label, str(value),
                                     now - dt.timedelta(hours=rng.randrange(1, 60)), unit=unit,
                                     reference_range=f"{low}–{high}", abnormal=flag))
    return {"directory": directory, "dpi": dpi, "lab": lab}


def build_station(data_dir: Path, patients: int = 5000, units: int = 20,
                  seed: int = 4) -> Station:
    """A station whose store holds ``patients`` patients, promoted as full snapshots."""
    settings = load_settings(Path(data_dir), {"station_id": "station-charge"})
    station = open_station(settings)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for domain, records in _records(patients, units, now, random.Random(seed)).items():
        counts: dict[str, int] = {}
        for r in records:
            counts[r.TYPE] = counts.get(r.TYPE, 0) + 1
        manifest = Manifest(kind="full", domain=domain, station=settings.station_id,
                            source="bench", extracted_at=now, sequence=1, counts=counts)
        station.store.promote(manifest, record_rows(domain, records), package=f"bench-{domain}")
    return station
