"""Reference tables of the demo hospital: names, places, units, drugs, lab tests, exams."""

from __future__ import annotations

from dataclasses import dataclass

MALE_FIRST = ("Jean", "Pierre", "Michel", "François", "André", "Philippe", "Alain", "Bernard",
              "Jacques", "Louis", "Lucas", "Hugo", "Théo", "Jérôme", "Cédric", "Stéphane",
              "Benoît", "Joël", "Gaël", "Noé", "Raphaël", "Mamadou", "Karim", "Yanis", "Loïc")
FEMALE_FIRST = ("Marie", "Éloïse", "Hélène", "Zoé", "Anne", "Françoise", "Monique", "Nathalie",
                "Isabelle", "Céline", "Léa", "Chloé", "Inès", "Maëlle", "Agnès", "Thérèse",
                "Geneviève", "Aïcha", "Fatoumata", "Noémie", "Camille", "Sophie", "Émilie",
                "Josiane", "Cécile")
FAMILY = ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
          "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
          "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Mercier", "Dupont",
          "Lambert", "Bonnet", "François", "Müller", "N'Diaye", "Da Silva", "Le Goff", "Nguyen",
          "Benali", "Chevalier", "Gauthier", "Perrin", "Rousseau", "Guérin", "Boyer", "Faure",
          "Lemaître", "Hervé", "Kieffer", "Ménard", "Brunet", "Texier", "Poirier", "Da Costa")

# INSEE codes: Paris, Lyon and Marseille births are coded by arrondissement; 99xxx = country.
BIRTH_PLACES = (("75112", "Paris 12e"), ("75115", "Paris 15e"), ("69383", "Lyon 3e"),
                ("13205", "Marseille 5e"), ("31555", "Toulouse"), ("33063", "Bordeaux"),
                ("59350", "Lille"), ("67482", "Strasbourg"), ("44109", "Nantes"),
                ("35238", "Rennes"), ("06088", "Nice"), ("34172", "Montpellier"),
                ("21231", "Dijon"), ("63113", "Clermont-Ferrand"), ("76540", "Rouen"),
                ("99350", "Maroc"), ("99341", "Sénégal"), ("99139", "Portugal"))


@dataclass(frozen=True)
class UnitSpec:
    """A care unit: code, name, phone, rooms (name, beds) and current-problem labels."""

    code: str
    name: str
    phone: str
    rooms: tuple[tuple[str, tuple[str, ...]], ...]
    reasons: tuple[str, ...]
    drugs: tuple[str, ...]
    panel: tuple[str, ...]
    draws_per_day: int


def _rooms(first: int, count: int, beds: tuple[str, ...]) -> tuple:
    return tuple((str(first + i), beds) for i in range(count))


BASE_DRUGS = ("paracetamol_prn", "enoxaparine", "omeprazole", "macrogol", "ondansetron")
UNITS = (
    UnitSpec("REA", "Réanimation", "01 45 00 21 10", _rooms(2101, 26, ("1",)),
             ("Choc septique", "Détresse respiratoire aiguë", "Arrêt cardio-respiratoire récupéré",
              "Polytraumatisme", "Pneumopathie grave à SARS-CoV-2"),
             ("noradrenaline", "propofol", "insuline_protocole", "piperacilline", "morphine_prn",
              "paracetamol_iv", "furosemide", "nefopam"),
             ("718-7", "6690-2", "777-3", "2951-2", "2823-3", "14682-9", "1988-5", "2524-7",
              "14749-6"), 2),
    UnitSpec("MED", "Médecine interne", "01 45 00 32 20", _rooms(3201, 14, ("P", "F")),
             ("Pneumopathie communautaire", "Décompensation cardiaque",
              "Altération de l'état général", "Pyélonéphrite aiguë", "Hyponatrémie"),
             ("amoxicilline", "furosemide", "bisoprolol", "amlodipine", "apixaban", "atorvastatine",
              "levothyroxine", "insuline_glargine", "metformine", "tramadol_prn", "lorazepam_prn",
              "kcl_text"),
             ("718-7", "6690-2", "777-3", "2951-2", "2823-3", "14682-9", "1988-5", "14749-6",
              "5894-1", "6301-6", "67151-1"), 1),
    UnitSpec("CHD", "Chirurgie digestive", "01 45 00 43 30", _rooms(4301, 14, ("P", "F")),
             ("Cholécystectomie programmée", "Colectomie gauche", "Occlusion du grêle",
              "Appendicite aiguë", "Pancréatite aiguë"),
             ("cefazoline_once", "ceftriaxone", "metronidazole", "morphine_prn", "nefopam",
              "paracetamol_iv", "ketoprofene", "hydroxyzine_once", "pca_text"),
             ("718-7", "6690-2", "777-3", "2951-2", "2823-3", "14682-9", "1988-5"), 1),
)

# Drug: label, UCD (invented 13-digit codes), dose, unit, route (EDQM code, label), timing spec,
# allergy classes that forbid it. Timing specs: ("fixed", times), ("every", hours),
# ("per_day", n), ("prn", max per day, min interval h), ("once", hours from now), ("text", words).
DRUGS: dict[str, tuple] = {
    "paracetamol_prn": ("Paracétamol 500 mg, comprimé", "3400890000017", 1000, "mg",
                        ("20053000", "Voie orale"), ("prn", 4, 6), ()),
    "paracetamol_iv": ("Paracétamol 1 g/100 mL, solution pour perfusion", "3400890000024", 1, "g",
                       ("20045000", "Voie intraveineuse"), ("every", 6), ()),
    "enoxaparine": ("Énoxaparine 4 000 UI/0,4 mL, seringue", "3400890000031", 4000, "UI",
                    ("20066000", "Voie sous-cutanée"), ("fixed", ("20:00",)), ()),
    "omeprazole": ("Oméprazole 20 mg, gélule", "3400890000048", 20, "mg",
                   ("20053000", "Voie orale"), ("fixed", ("08:00",)), ()),
    "macrogol": ("Macrogol 4000, 10 g, sachet", "3400890000055", 1, "sachet",
                 ("20053000", "Voie orale"), ("per_day", 1), ()),
    "ondansetron": ("Ondansétron 4 mg/2 mL, injectable", "3400890000062", 4, "mg",
                    ("20045000", "Voie intraveineuse"), ("prn", 3, 8), ()),
    "noradrenaline": ("Noradrénaline 8 mg/50 mL, seringue électrique", "3400890000079", 8, "mg",
                      ("20045000", "Voie intraveineuse"),
                      ("text", "IVSE, débit adapté pour PAM > 65 mmHg"), ()),
    "propofol": ("Propofol 1 %, 500 mg/50 mL", "3400890000086", 500, "mg",
                 ("20045000", "Voie intraveineuse"), ("text", "IVSE, selon score de RASS cible -2"),
                 ()),
    "insuline_protocole": ("Insuline asparte 100 UI/mL", "3400890000093", 0, "UI",
                           ("20066000", "Voie sous-cutanée"),
                           ("text",
                            "Selon protocole glycémique du service (dextro toutes les 4 h)"),
                           ()),
    "piperacilline": ("Pipéracilline/tazobactam 4 g/500 mg", "3400890000109", 4, "g",
                      ("20045000", "Voie intraveineuse"), ("every", 8), ("penicilline",)),
    "morphine_prn": ("Morphine chlorhydrate 10 mg/mL", "3400890000116", 5, "mg",
                     ("20066000", "Voie sous-cutanée"), ("prn", 6, 4), ("opiace",)),
    "furosemide": ("Furosémide 40 mg, comprimé", "3400890000123", 40, "mg",
                   ("20053000", "Voie orale"), ("fixed", ("08:00",)), ()),
    "nefopam": ("Néfopam 20 mg/2 mL, injectable", "3400890000130", 20, "mg",
                ("20045000", "Voie intraveineuse"), ("per_day", 4), ()),
    "amoxicilline": ("Amoxicilline/acide clavulanique 1 g/125 mg", "3400890000147", 1, "g",
                     ("20053000", "Voie orale"), ("per_day", 3), ("penicilline",)),
    "bisoprolol": ("Bisoprolol 2,5 mg, comprimé", "3400890000154", 2.5, "mg",
                   ("20053000", "Voie orale"), ("fixed", ("08:00",)), ()),
    "amlodipine": ("Amlodipine 5 mg, gélule", "3400890000161", 5, "mg",
                   ("20053000", "Voie orale"), ("fixed", ("08:00",)), ()),
    "apixaban": ("Apixaban 5 mg, comprimé", "3400890000178", 5, "mg",
                 ("20053000", "Voie orale"), ("fixed", ("08:00", "20:00")), ()),
    "atorvastatine": ("Atorvastatine 40 mg, comprimé", "3400890000185", 40, "mg",
                      ("20053000", "Voie orale"), ("fixed", ("20:00",)), ()),
    "levothyroxine": ("Lévothyroxine 75 µg, comprimé", "3400890000192", 75, "µg",
                      ("20053000", "Voie orale"), ("fixed", ("06:00",)), ()),
    "insuline_glargine": ("Insuline glargine 100 UI/mL, stylo", "3400890000208", 18, "UI",
                          ("20066000", "Voie sous-cutanée"), ("fixed", ("22:00",)), ()),
    "metformine": ("Metformine 1000 mg, comprimé", "3400890000215", 1000, "mg",
                   ("20053000", "Voie orale"), ("fixed", ("08:00", "20:00")), ()),
    "tramadol_prn": ("Tramadol 50 mg, gélule", "3400890000222", 50, "mg",
                     ("20053000", "Voie orale"), ("prn", 4, 6), ("opiace",)),
    "lorazepam_prn": ("Lorazépam 1 mg, comprimé", "3400890000239", 1, "mg",
                      ("20053000", "Voie orale"), ("prn", 2, 8), ()),
    "kcl_text": ("Chlorure de potassium 1 g/10 mL", "3400890000246", 1, "g",
                 ("20045000", "Voie intraveineuse"),
                 ("text", "Selon kaliémie du matin : 2 g si K < 3,5 mmol/L, 4 g si K < 3 mmol/L"),
                 ()),
    "cefazoline_once": ("Céfazoline 2 g, poudre injectable", "3400890000253", 2, "g",
                        ("20045000", "Voie intraveineuse"), ("once", 6), ("cephalosporine",)),
    "ceftriaxone": ("Ceftriaxone 1 g, poudre injectable", "3400890000260", 1, "g",
                    ("20045000", "Voie intraveineuse"), ("per_day", 1), ("cephalosporine",)),
    "metronidazole": ("Métronidazole 500 mg/100 mL", "3400890000277", 500, "mg",
                      ("20045000", "Voie intraveineuse"), ("every", 8), ()),
    "ketoprofene": ("Kétoprofène 100 mg, injectable", "3400890000284", 100, "mg",
                    ("20045000", "Voie intraveineuse"), ("every", 12), ("ains",)),
    "hydroxyzine_once": ("Hydroxyzine 25 mg, comprimé", "3400890000291", 50, "mg",
                         ("20053000", "Voie orale"), ("once", 3), ()),
    "pca_text": ("Morphine 1 mg/mL, PCA", "3400890000307", 1, "mg",
                 ("20045000", "Voie intraveineuse"),
                 ("text", "PCA : bolus 1 mg, période réfractaire 7 min, maximum 20 mg sur 4 h"),
                 ("opiace",)),
}

# Allergy substance -> (drug classes it forbids, usual reactions).
ALLERGIES = {"Pénicilline": ("penicilline", ("Urticaire", "Œdème de Quincke")),
             "Iode": ("iode", ("Érythème", "Choc anaphylactique")),
             "Latex": ("latex", ("Eczéma de contact",)),
             "AINS": ("ains", ("Bronchospasme", "Urticaire")),
             "Codéine": ("opiace", ("Nausées", "Prurit")),
             "Céphalosporines": ("cephalosporine", ("Éruption cutanée",))}

CONDITIONS = (("I10", "Hypertension artérielle"), ("E11", "Diabète de type 2"),
              ("J44", "Bronchopneumopathie chronique obstructive (BPCO)"),
              ("I48", "Fibrillation atriale"), ("N18", "Insuffisance rénale chronique"),
              ("I50", "Insuffisance cardiaque"), ("E78", "Dyslipidémie"),
              ("K21", "Reflux gastro-œsophagien"), ("F32", "Épisode dépressif"),
              ("E03", "Hypothyroïdie"), ("E66", "Obésité"), ("J45", "Asthme"))

# LOINC code: label, unit, low, high, decimals, critical low, critical high.
LAB_TESTS = {
    "718-7": ("Hémoglobine", "g/dL", 12.0, 17.0, 1, 7.0, 20.0),
    "6690-2": ("Leucocytes", "G/L", 4.0, 10.0, 1, 1.0, 30.0),
    "777-3": ("Plaquettes", "G/L", 150, 400, 0, 50, 1000),
    "2951-2": ("Sodium", "mmol/L", 135, 145, 0, 125, 155),
    "2823-3": ("Potassium", "mmol/L", 3.5, 5.0, 1, 2.8, 6.2),
    "14682-9": ("Créatinine", "µmol/L", 45, 104, 0, 20, 400),
    "1988-5": ("CRP", "mg/L", 0, 5, 1, 0, 200),
    "14749-6": ("Glycémie", "mmol/L", 3.9, 6.1, 1, 2.5, 25),
    "5894-1": ("Taux de prothrombine (TP)", "%", 70, 100, 0, 40, 130),
    "6301-6": ("INR", "", 0.8, 1.2, 2, 0.5, 5),
    "67151-1": ("Troponine T hs", "ng/L", 0, 14, 0, 0, 500),
    "2524-7": ("Lactates", "mmol/L", 0.5, 2.2, 1, 0.2, 4),
}

IMAGING = (("Scanner thoracique injecté", "Scanner 1"), ("Scanner abdomino-pelvien", "Scanner 2"),
           ("IRM cérébrale", "IRM 1"), ("Échographie abdominale", "Échographie 2"),
           ("Radiographie thoracique au lit", "Radiologie mobile"),
           ("Écho-doppler veineux des membres inférieurs", "Échographie 1"))
NURSES = ("Claire Moreau", "Julien Petit", "Sandrine Lopez", "Kevin Marchand", "Amélie Roche",
          "Nadia Haddad")
NOT_DONE_REASONS = ("Patient à jeun (examen)", "Refus du patient", "Patient absent du service",
                    "Produit non disponible")
