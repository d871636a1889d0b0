"""Blood typing and transfusion records for document tests (group, RAI, requirements)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from pcsauvegarde.core.records import BloodTyping, TransfusionFact
from pcsauvegarde.station.documents.context import PatientFile

TYPED_AT = dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.UTC)   # 08:00 in Paris


def with_blood(file: PatientFile, at: dt.datetime = TYPED_AT, rai_at: dt.datetime | None = None,
               transfusions: bool = False) -> PatientFile:
    """``file`` with an A RhD+ group determined twice, a phenotype and a negative RAI
    (collected at ``rai_at``, default ``at``); with ``transfusions``, history and needs."""
    ipp = file.patient.id
    typings = (
        BloodTyping("g1", ipp, "group", at - dt.timedelta(days=400), "882-1", abo="A",
                    rhd="positive"),
        BloodTyping("g2", ipp, "group", at, "882-1", abo="A", rhd="positive"),
        BloodTyping("ph", ipp, "group", at, "882-1", phenotype="RH:1,2,-3,4,5 KEL:-1"),
        BloodTyping("rai", ipp, "antibody_screen", rai_at or at, "890-4", screen="negative"))
    facts: tuple[TransfusionFact, ...] = ()
    if transfusions:
        facts = (TransfusionFact("t1", ipp, "given", product="CGR phénotypé", quantity="2",
                                 at=at - dt.timedelta(days=30)),
                 TransfusionFact("n1", ipp, "requirement", need="irradiated",
                                 note="greffe de moelle 2024"),
                 TransfusionFact("n2", ipp, "requirement", need="cmv_negative"))
    return dataclasses.replace(file, blood_typings=typings, transfusions=facts)
