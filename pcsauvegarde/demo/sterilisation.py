"""The demo sterilisation unit: catalogue CSV files (as its software exports them) and the
day's OR schedule with the trays planned for each intervention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from pcsauvegarde.core.records import Patient, Record, Stay, SurgeryCase

PARIS = ZoneInfo("Europe/Paris")

APPENDICECTOMY = [
    ("Manche de bistouri n° 4", 1, "BB084"), ("Manche de bistouri n° 3", 1, "BB073"),
    ("Ciseaux de Mayo droits 17 cm", 1, "BC540"), ("Ciseaux de Metzenbaum courbes 18 cm", 1,
                                                    "BC265"),
    ("Ciseaux à fils droits 14,5 cm", 1, "BC304"), ("Pince à disséquer sans griffes 14,5 cm", 2,
                                                     "BD025"),
    ("Pince à disséquer à griffes 14,5 cm", 2, "BD535"), ("Pince de De Bakey 20 cm", 1, "FB402"),
    ("Pince de Kocher droite 14 cm", 4, "BH642"), ("Pince de Kelly courbe 14 cm", 6, "BH166"),
    ("Pince de Halsted mosquito courbe", 4, "BH111"), ("Pince de Bengolea", 2, "BJ022"),
    ("Pince de Babcock 16 cm", 2, "EA041"), ("Pince d'Allis 15 cm", 2, "EA015"),
    ("Pince à champ de Backhaus", 4, "BF432"), ("Pince porte-tampon de Foerster", 2, "BF122"),
    ("Porte-aiguille de Mayo-Hegar 16 cm", 2, "BM066"), ("Porte-aiguille de Crile-Wood 18 cm",
                                                          1, "BM235"),
    ("Écarteur de Farabeuf (paire)", 1, "BT046"), ("Écarteur de Hartmann", 1, "BV095"),
    ("Écarteur de Gosset", 1, "BV320"), ("Valve de Leriche", 1, "BV502"),
    ("Écarteur de Ricard", 1, "BV640"), ("Crochet de Volkmann 4 dents", 2, "BT342"),
    ("Sonde cannelée", 1, "BN020"), ("Stylet boutonné", 1, "BN000"),
    ("Canule d'aspiration de Yankauer", 1, "GF901"), ("Cupule inox 250 ml", 2, "JG513"),
    ("Haricot inox 250 mm", 1, "JG652"), ("Plateau inox 30 × 20 cm", 1, "JG602"),
]
LAPAROSCOPY = [
    ("Optique 0° 10 mm", 1, "26003AA"), ("Optique 30° 10 mm", 1, "26003BA"),
    ("Câble de lumière froide", 1, "495NL"), ("Trocart 12 mm à valve", 1, "30160M"),
    ("Trocart 5 mm à valve", 3, "30160H"), ("Aiguille de Veress", 1, "26120J"),
    ("Pince à préhension atraumatique 5 mm", 2, "33310ON"), ("Pince fenêtrée 5 mm", 1,
                                                                "33321UN"),
    ("Ciseaux de Metzenbaum cœlioscopiques 5 mm", 1, "34310MS"), ("Pince bipolaire 5 mm", 1,
                                                                 "38651ON"),
    ("Porte-aiguille cœlioscopique 5 mm", 1, "26173KAL"), ("Canule d'aspiration-lavage 5 mm",
                                                           1, "37110A"),
    ("Crochet coagulateur en L", 1, "38600DE"), ("Réducteur 12/5 mm", 1, "30141"),
    ("Manche de bistouri n° 4", 1, "BB084"), ("Pince de Kocher droite", 2, "BH642"),
    ("Porte-aiguille de Mayo-Hegar", 1, "BM066"), ("Ciseaux de Mayo droits", 1, "BC540"),
    ("Écarteur de Farabeuf (paire)", 1, "BT046"), ("Pince à disséquer à griffes", 1, "BD535"),
]
CAESAREAN = [
    ("Manche de bistouri n° 4", 1, "BB084"), ("Ciseaux de Mayo courbes 17 cm", 1, "BC541"),
    ("Ciseaux de Metzenbaum 18 cm", 1, "BC265"), ("Ciseaux à épisiotomie", 1, "BC710"),
    ("Pince à disséquer à griffes de De Bakey", 2, "FB402"), ("Pince de Kocher droite 20 cm", 6,
                                                              "BH645"),
    ("Pince de Museux", 2, "EO122"), ("Pince de Pozzi", 2, "EO105"),
    ("Pince de Duval", 2, "EA050"), ("Pince à clamper le cordon", 2, "EL020"),
    ("Pince de Jean-Louis Faure", 4, "BJ120"), ("Porte-aiguille de Mayo-Hegar 20 cm", 2, "BM067"),
    ("Valve sus-pubienne de Doyen", 1, "BV611"), ("Écarteur de Collin", 1, "BV681"),
    ("Écarteur de Farabeuf (paire)", 1, "BT046"), ("Pince porte-tampon de Foerster", 2, "BF122"),
    ("Pince à champ de Backhaus", 6, "BF432"), ("Canule d'aspiration de Yankauer", 1, "GF901"),
    ("Cupule inox 250 ml", 2, "JG513"), ("Haricot inox", 1, "JG652"),
]

PACKAGING = ("code;libellé;validité mois;validité jours\n"
             "conteneur;Conteneur à filtre;6;0\n"
             "sachet;Sachet papier-plastique thermoscellé;3;0\n"
             "double-feuille;Double emballage non tissé;1;15\n")
EQUIPMENT = ("code;nom;type\n"
             "LD-1;Laveur-désinfecteur 1;laveur\nLD-2;Laveur-désinfecteur 2;laveur\n"
             "AUTOCLAVE-1;Autoclave 1 (600 L);autoclave\n"
             "AUTOCLAVE-2;Autoclave 2 (600 L);autoclave\n")
TRAYS = [  # code, name, owner unit, packaging, composition
    ("APPEND-01", "Boîte d'appendicectomie n° 1", "CHD", "conteneur", APPENDICECTOMY),
    ("APPEND-02", "Boîte d'appendicectomie n° 2", "CHD", "conteneur", APPENDICECTOMY),
    ("COELIO-01", "Boîte de cœlioscopie digestive", "CHD", "conteneur", LAPAROSCOPY),
    ("CESAR-01", "Boîte de césarienne n° 1", "BLOC-OBST", "conteneur", CAESAREAN),
    ("PANS-12", "Plateau de pansement complexe", "CHD", "sachet",
     [("Pince de Kocher", 1, ""), ("Ciseaux droits", 1, ""), ("Pince à disséquer", 2, "")]),
    ("DRAIN-03", "Boîte de drainage thoracique", "REA", "double-feuille", []),
    ("TRACH-02", "Boîte de trachéotomie", "REA", "sachet-mixte",
     [("Écarteur de Laborde", 1, ""), ("Crochet trachéal", 1, ""), ("Bistouri n° 3", 1, "")]),
]


def write_catalogues(folder: Path, now: dt.datetime) -> list[Path]:
    """The CSV files a sterilisation software exports (with two gaps, as real data has)."""
    folder.mkdir(parents=True, exist_ok=True)
    trays = "code;nom;unité;conditionnement\n" + "".join(
        f"{c};{n};{u};{p}\n" for c, n, u, p, _ in TRAYS)
    lines = "plateau;instrument;quantité;référence\n" + "".join(
        f"{c};{i};{q};{r}\n" for c, _, _, _, comp in TRAYS for i, q, r in comp)
    local = now.astimezone(PARIS).replace(minute=0, second=0, microsecond=0)
    cycles = ["stérilisateur;numéro cycle;date heure;lot;plateaux;programme"]
    for k, (hours, trays_of) in enumerate(((30, "APPEND-01|COELIO-01|PANS-12"),
                                           (26, "APPEND-02|CESAR-01|ORL-07"),
                                           (6, "COELIO-01|CESAR-01|TRACH-02"))):
        at = local - dt.timedelta(hours=hours)
        cycles.append(f"AUTOCLAVE-{1 + k % 2};{4510 + k};{at:%d/%m/%Y %H:%M};"
                      f"L{at:%y%m%d}-{k + 1:02d};{trays_of};134 °C 18 min (prion)")
    files = {"emballages.csv": PACKAGING, "equipements.csv": EQUIPMENT,
             "plateaux.csv": trays, "compositions.csv": lines,
             "cycles.csv": "\n".join(cycles) + "\n"}
    out = []
    for name, body in files.items():
        path = folder / name
        path.write_text(body, encoding="utf-8")
        out.append(path)
    return out


def or_schedule(records: list[Record], now: dt.datetime) -> list[SurgeryCase]:
    """Today's digestive surgery list: current CHD inpatients, with the trays planned."""
    stays = sorted((r for r in records if isinstance(r, Stay) and r.unit == "CHD"
                    and r.discharge is None), key=lambda s: s.id)
    known = {r.id for r in records if isinstance(r, Patient)}
    plans = (("Appendicectomie par laparotomie", ("APPEND-01",)),
             ("Cholécystectomie par cœlioscopie", ("COELIO-01", "PANS-12")),
             ("Appendicectomie par cœlioscopie", ("COELIO-01", "APPEND-02")),
             ("Cure d'éventration", ("APPEND-02", "DRAIN-03")))
    day = now.astimezone(PARIS).replace(hour=8, minute=0, second=0, microsecond=0)
    cases = []
    for k, (stay, (procedure, trays)) in enumerate(zip(
            [s for s in stays if s.ipp in known], plans, strict=False)):
        cases.append(SurgeryCase(f"BLOC-{day:%Y%m%d}-{k + 1}", stay.ipp,
                                 f"Salle {1 + k % 2}", (day + dt.timedelta(hours=2 * k))
                                 .astimezone(dt.UTC), procedure, surgeon="Dr Hélène Marchand",
                                 anaesthetist="Dr Karim Benali", tray_ids=trays))
    return cases
