"""Blood group and RAI on the summary and the emergency form: one reading, 72 h validity."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from pcsauvegarde.core.records import BloodTyping
from pcsauvegarde.station.documents import forms, patient_summary
from pcsauvegarde.station.lab import bloodbank
from tests.support.blood import TYPED_AT, with_blood
from tests.support.page_quality import assert_page_quality
from tests.support.pdfcheck import page_texts
from tests.support.sample import (
    PRINTED,
    UUID_IPP,
    make_ctx,
    make_long_patient_file,
    make_patient_file,
)


def _flat(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page_texts(pdf)))


def _screen(at: dt.datetime) -> BloodTyping:
    return BloodTyping("r", "p", "antibody_screen", at, "890-4", screen="negative")


@pytest.mark.parametrize(("age", "expired"), [
    (dt.timedelta(hours=72), False),
    (dt.timedelta(hours=72, seconds=1), True),
    (dt.timedelta(hours=71, minutes=59), False),
])
def test_rai_expires_past_72_hours(age, expired):
    status = bloodbank.blood_status([_screen(PRINTED - age)], now=PRINTED)
    assert status.rai_expired is expired
    assert ("RAI périmée" in bloodbank.rai_text(status)) is expired


def test_discordant_determinations_are_never_resolved():
    a = BloodTyping("1", "p", "group", TYPED_AT, "882-1", abo="A", rhd="positive")
    b = BloodTyping("2", "p", "group", TYPED_AT + dt.timedelta(days=1), "882-1", abo="B",
                    rhd="positive")
    text = bloodbank.group_text(bloodbank.blood_status([a, b], now=PRINTED))
    assert text.startswith("DISCORDANCE") and "A le 26/11/2026 08:00" in text
    assert "B le 27/11/2026 08:00" in text
    assert bloodbank.group_text(bloodbank.blood_status([], now=PRINTED)) == (
        "groupe sanguin non disponible dans l'extrait")


def test_summary_shows_group_rai_and_transfusion_needs():
    pdf = patient_summary.render(with_blood(make_long_patient_file(UUID_IPP),
                                            transfusions=True), make_ctx())
    assert_page_quality(pdf, allergies=True)
    text = _flat(pdf)
    assert "Groupe ABO-RhD A RhD positif (2 déterminations, dernière le 26/11/2026 08:00)" in text
    assert "Phénotype RH:1,2,-3,4,5 KEL:-1" in text
    assert "négative — prélevée le 26/11/2026 08:00, valable jusqu'au 29/11/2026 08:00" in text
    assert "produits irradiés — greffe de moelle 2024 ; produits CMV négatifs" in text
    assert "2 CGR phénotypé" in text
    bare = _flat(patient_summary.render(make_patient_file(), make_ctx()))
    assert "groupe sanguin non disponible dans l'extrait" in bare
    assert "RAI non disponible dans l'extrait" in bare


def test_emergency_form_carries_group_and_rai_long_identity():
    file = with_blood(make_long_patient_file(UUID_IPP),
                      rai_at=PRINTED - dt.timedelta(hours=80))
    pdf = forms.render(file, make_ctx(), form="accueil-urgences")
    text = _flat(pdf)
    assert "A RhD positif" in text and "RAI périmée (plus de 72 h)" in text
    assert_page_quality(pdf, allergies=True)
    assert len(page_texts(pdf)) == 1   # still one sheet with the group and RAI added
    bare = _flat(forms.render(dataclasses.replace(file, blood_typings=()), make_ctx(),
                              form="accueil-urgences"))
    assert "groupe sanguin non disponible dans l'extrait" in bare
