"""The demo OR: today's and tomorrow's schedule (CSV), anaesthesia consultations (CSV), the
transfusion file (CSV) and the blood bank's results as HL7 v2 ORU^R01, all through the real
importers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from pcsauvegarde.core.records import Patient, Record, Stay, SurgeryCase

PARIS = ZoneInfo("Europe/Paris")
STATUS_FR = {"planned": "programmée", "in_progress": "en cours", "done": "terminée"}
SIDES = ("", "droit", "gauche", "", "bilatéral", "")
TOMORROW = (("Hernie inguinale", "Salle 1", ("PANS-12",)),
            ("Cholécystectomie par cœlioscopie", "Salle 2", ("COELIO-01", "PANS-12")),
            ("Colectomie gauche par cœlioscopie", "Salle 1", ("COELIO-01", "DRAIN-03")),
            ("Cure d'éventration", "Salle 2", ("APPEND-02",)))
GROUPS = (("A", "+"), ("O", "+"), ("B", "-"), ("A", "-"), ("AB", "+"), ("O", "-"))
ASA = ("ASA 1", "ASA 2", "ASA 3", "ASA 2")
AIRWAYS = ("Mallampati 1, intubation facile", "Mallampati 2, ouverture de bouche normale",
           "Mallampati 3, intubation difficile prévisible : vidéolaryngoscope",
           "Mallampati 2, prothèse dentaire amovible")


def or_cases(records: list[Record], today: list[SurgeryCase],
             now: dt.datetime) -> list[SurgeryCase]:
    """Today's cases (the sterilisation demo's) and tomorrow's, for other CHD inpatients."""
    used = {c.ipp for c in today}
    stays = sorted((r for r in records if isinstance(r, Stay) and r.unit == "CHD"
                    and r.discharge is None and r.ipp not in used), key=lambda s: s.id)
    known = {r.id for r in records if isinstance(r, Patient)}
    start = (now.astimezone(PARIS) + dt.timedelta(days=1)).replace(hour=8, minute=0,
                                                                    second=0, microsecond=0)
    cases = list(today)
    for k, (stay, (procedure, room, trays)) in enumerate(zip(
            [s for s in stays if s.ipp in known], TOMORROW, strict=False)):
        at = (start + dt.timedelta(hours=2 * (k // 2))).astimezone(dt.UTC)
        cases.append(SurgeryCase(f"BLOC-{start:%Y%m%d}-{k + 1}", stay.ipp, room, at, procedure,
                                 surgeon="Dr Hélène Marchand", anaesthetist="Dr Karim Benali",
                                 tray_ids=trays))
    return cases


def _local(at: dt.datetime) -> str:
    return at.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")


def _hl7_ts(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y%m%d%H%M+0000")


def write_files(folder: Path, cases: list[SurgeryCase], people: dict[str, Patient],
                now: dt.datetime) -> list[Path]:
    """interventions.csv, anesthesie.csv, transfusions.csv and groupages.hl7 for ``cases``
    (``people``: the patients by IPP, named in the lab's messages as a lab names them)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["code;ipp;salle;date_heure;intervention;cote;chirurgien;anesthesiste;statut;"
            "plateaux"]
    for k, c in enumerate(cases):
        rows.append(";".join((c.id, c.ipp, c.room, _local(c.scheduled_at), c.procedure,
                              SIDES[k % len(SIDES)], c.surgeon, c.anaesthetist,
                              STATUS_FR.get(c.status, "programmée"), "|".join(c.tray_ids))))
    ipps = list(dict.fromkeys(c.ipp for c in cases))
    cpa = ["code;ipp;date_heure;asa;voies_aeriennes;jeune;anesthesiste;remarques"]
    for k, ipp in enumerate(ipps):
        at = now - dt.timedelta(days=2 + k % 5, hours=3)
        cpa.append(";".join((f"CPA-{k + 1:03d}", ipp, _local(at), ASA[k % len(ASA)],
                             AIRWAYS[k % len(AIRWAYS)], "À jeun depuis minuit",
                             "Dr Karim Benali", "Arrêt de l'aspirine J-5" if k % 3 == 2 else "")))
    transfusions = ["code;ipp;type;produit;date_heure;quantite;exigence;remarque"]
    if ipps:
        transfusions += [f"TR-1;{ipps[0]};transfusion;CGR;{_local(now - dt.timedelta(days=40))};"
                         "2;;", f"TR-2;{ipps[0]};exigence;;;;irradié;greffe de moelle 2024"]
    if len(ipps) > 2:
        transfusions.append(f"TR-3;{ipps[2]};exigence;;;;CMV négatif;grossesse en cours")
    files = {"interventions.csv": rows, "anesthesie.csv": cpa, "transfusions.csv": transfusions}
    out = []
    for name, lines in files.items():
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(path)
    hl7 = folder / "groupages.hl7"
    hl7.write_bytes("\r".join(_oru(k, people[ipp], now) for k, ipp in enumerate(ipps)
                              if k != 1 and ipp in people).encode("utf-8") + b"\r")
    return [*out, hl7]   # the 2nd patient: no group known (« non disponible » on paper)


def _pid(p: Patient) -> str:
    clean = str.maketrans({c: " " for c in "|^~\\&"})
    name = f"{p.birth_name.translate(clean)}^{p.first_names.split()[0].translate(clean)}"
    return f"PID|||{p.id}^^^CHD^PI||{name}^^^^^L||{p.birth_date:%Y%m%d}|{p.sex}"


def _oru(k: int, patient: Patient, now: dt.datetime) -> str:
    """Two group determinations (a year apart) and a RAI: recent, expired (the 4th patient,
    4 days old) or positive anti-E (the 6th)."""
    ipp = patient.id
    abo, rh = GROUPS[k % len(GROUPS)]
    first, second = now - dt.timedelta(days=400), now - dt.timedelta(days=1, hours=2)
    rai_at = now - dt.timedelta(days=4) if k == 3 else now - dt.timedelta(hours=20)
    rai = ("CWE", "POS^Positif^HL70078", "anti-E") if k == 5 else ("CWE", "NEG^Négatif^HL70078", "")
    out = []
    for n, (at, code) in enumerate(((first, "882-1"), (second, "882-1"), (rai_at, "890-4"))):
        order = f"EFS-{ipp}-{n + 1}"
        value = (f"ST|{code}^Groupe ABO-RhD^LN||{abo} RH{rh}" if code == "882-1"
                 else f"{rai[0]}|{code}^RAI^LN||{rai[1]}")
        out.append("\r".join((
            f"MSH|^~\\&|SIL|EFS|SAUVEGARDE|CHD|{_hl7_ts(at)}||ORU^R01^ORU_R01|{order}|P|2.5",
            _pid(patient), f"OBR|1|{order}|{order}|{code}^Immuno-hématologie^LN|||"
            f"{_hl7_ts(at)}|||||||||||||||{_hl7_ts(at + dt.timedelta(hours=1))}||IH|F",
            f"OBX|1|{value}||||||F")))
        if rai[2] and code == "890-4":
            out[-1] += f"\rOBX|2|ST|890-4^RAI identification^LN|2|{rai[2]}||||||F"
    return "\r".join(out)
