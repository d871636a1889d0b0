"""Allergies on every page of every patient document, in the same French words everywhere."""

from __future__ import annotations

import dataclasses

import pytest

from pcsauvegarde.core.records import Allergy
from pcsauvegarde.station.documents import (
    administration_plan,
    admission_kit,
    care_plan,
    census,
    identity,
    patient_summary,
    prescriptions,
    wristband,
)
from pcsauvegarde.station.documents.allergies import allergy_state, describe
from pcsauvegarde.station.documents.context import CensusRow, UnitFile
from tests.support.page_quality import page_count, words
from tests.support.pdfcheck import page_texts
from tests.support.sample import IPP

# Kinds whose every page carries the identity band (labels: stock pages without one).
PATIENT_KINDS = {
    "summary": patient_summary.render, "administration_plan": administration_plan.render,
    "prescriptions": prescriptions.render, "care_plan": care_plan.render,
    "wristband": wristband.render, "admission": admission_kit.render,
}
ANAPHYLAXIS = Allergy("a9", IPP, "Arachide", "choc anaphylactique", "severe",
                      criticality="high")
NO_KNOWN = Allergy("nka", IPP, "No known allergy", code="716186003")
WORDS = identity.load()


def _with(file, *allergies):
    return dataclasses.replace(file, allergies=tuple(allergies))


@pytest.mark.parametrize(("records", "current", "none_known"), [
    ((), [], []),
    ((NO_KNOWN,), [], ["none_known"]),
    ((Allergy("x", IPP, "NKDA"),), [], ["none_known_drug"]),
    ((Allergy("x", IPP, "Aucune allergie connue"),), [], ["none_known"]),
    ((NO_KNOWN, Allergy("p", IPP, "Pénicilline")), ["Pénicilline"], []),    # allergy wins
    ((Allergy("p", IPP, "Pénicilline", status="resolved"),), [], []),
    ((Allergy("p", IPP, "Pénicilline", status="entered-in-error"),), [], []),
    ((Allergy("p", IPP, "Pénicilline", status="suspected"), ANAPHYLAXIS),
     ["Arachide", "Pénicilline"], []),                                     # anaphylaxis first
])
def test_allergy_state(records, current, none_known) -> None:
    state = allergy_state(records)
    assert [a.substance for a in state.current] == current
    assert list(state.none_known) == none_known
    assert state.informed == bool(current or none_known)


@pytest.mark.parametrize(("allergy", "expected"), [
    (Allergy("a", IPP, "Pénicilline", "urticaire", "severe", criticality="high"),
     "Pénicilline (urticaire, réaction sévère, criticité élevée)"),
    (Allergy("a", IPP, "Latex", severity="mild", criticality="low"),
     "Latex (réaction légère, criticité faible)"),
    (Allergy("a", IPP, "Iode", severity="high"), "Iode (criticité élevée)"),   # older extracts
    (Allergy("a", IPP, "Iode", severity="sévère"), "Iode (réaction sévère)"),  # HL7 v2, French
    (Allergy("a", IPP, "Iode", criticality="unable-to-assess", status="suspected"),
     "Iode (criticité non évaluable, non confirmée)"),
])
def test_allergy_words_are_french(allergy, expected) -> None:
    assert describe(allergy, WORDS) == expected


@pytest.mark.parametrize("kind", sorted(PATIENT_KINDS))
def test_every_page_carries_allergies_red_and_bold(kind, patient_file, ctx) -> None:
    file = _with(patient_file, ANAPHYLAXIS, *patient_file.allergies)
    pdf = PATIENT_KINDS[kind](file, ctx)
    texts = page_texts(pdf)
    document_pages = [i for i, t in enumerate(texts) if "LEFÈVRE-DUBOIS" in t and "MODE" in t
                      and "Page" in t]
    assert document_pages
    found = words(pdf)
    for i in document_pages:
        text = " ".join(texts[i].split())
        assert "⚠ ALLERGIES : Arachide (choc anaphylactique, réaction sévère, criticité élevée)" \
            in text
        assert "ANAPHYLAXIE" in text and "Pénicilline" in text
        assert "Latex" not in text            # entered in error
        marked = [w for w in found if w.page == i and w.text in ("ALLERGIES", "Arachide")]
        assert marked and all(w.red and w.bold for w in marked)
        assert all(w.size >= 7 for w in marked)


@pytest.mark.parametrize("kind", sorted(PATIENT_KINDS))
@pytest.mark.parametrize(("records", "sentence", "absent"), [
    ((NO_KNOWN,), "Aucune allergie connue", "non renseignées"),
    ((), "Allergies : non renseignées", "Aucune allergie connue"),
])
def test_no_allergy_and_no_information_print_differently(kind, records, sentence, absent,
                                                         patient_file, ctx) -> None:
    pdf = PATIENT_KINDS[kind](_with(patient_file, *records), ctx)
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    pages = [t for t in texts if "LEFÈVRE-DUBOIS" in t and "Page" in t]
    assert pages
    for text in pages:
        assert sentence in text and absent not in text and "ALLERGIES" not in text


def test_long_allergy_lists_stay_in_the_band(patient_file, ctx) -> None:
    many = [Allergy(f"a{i}", IPP, f"Substance numéro {i} au nom assez long", "urticaire",
                    "moderate") for i in range(30)]
    pdf = patient_summary.render(_with(patient_file, *many), ctx)
    text = " ".join(page_texts(pdf)[0].split())
    assert "autre(s) : voir la synthèse patient" in text
    found = [w for w in words(pdf) if w.page == 0 and w.red]
    assert min(w.size for w in found) >= 7
    assert page_count(pdf) >= 1


def test_census_distinguishes_allergy_none_known_and_unknown(patient_file, ctx) -> None:
    stay = patient_file.stay
    rows = (CensusRow(patient_file.patient, stay, (ANAPHYLAXIS,)),
            CensusRow(patient_file.patient, dataclasses.replace(stay, id="N2"), (NO_KNOWN,)),
            CensusRow(patient_file.patient, dataclasses.replace(stay, id="N3")))
    pdf = census.render(UnitFile("CARD", "Cardiologie", rows), ctx)
    text = " ".join(page_texts(pdf)[0].split())
    assert "ANAPHYLAXIE" in text and "Arachide" in text
    assert "Aucune allergie connue" in text and "Non renseignées" in text
    assert all(w.red and w.bold for w in words(pdf) if w.text == "Arachide")
