"""The demo hospital wired end to end: FHIR export → publisher → drop folder → station."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.publisher.keys import KEY_FILE as PUBLISHER_KEY
from pcsauvegarde.publisher.keys import ensure_signing_key as ensure_publisher_key
from pcsauvegarde.publisher.publisher import (
    PublisherConfig,
    StationScope,
    load_publisher_config,
    publish_full,
    write_publisher_config,
)
from pcsauvegarde.station import keys
from pcsauvegarde.station.settings import Settings, load_settings, write_settings

log = logging.getLogger("pcsauvegarde.demo")
DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo-sauvegarde"
DEMO_STERILISATION_LOGIN = "demo-sterilisation"
DEMO_IMAGING_LOGIN = "demo-imagerie"
DEMO_PHARMACY_LOGIN = "demo-pharmacie"
DEMO_STATION = "station-demo"


@dataclass(frozen=True)
class DemoPaths:
    root: Path

    @property
    def publisher(self) -> Path:
        return self.root / "publisher"

    @property
    def fhir(self) -> Path:
        return self.publisher / "fhir-export"

    @property
    def drop(self) -> Path:
        return self.root / "drop"

    @property
    def station(self) -> Path:
        return self.root / "station"

    @property
    def publisher_config(self) -> Path:
        return self.publisher / "publisher.toml"


def setup(root: Path, interval_seconds: int = 60) -> tuple[DemoPaths, Settings, PublisherConfig]:
    """Create (idempotently) the demo publisher and station under root."""
    paths = DemoPaths(Path(root).resolve())
    paths.drop.mkdir(parents=True, exist_ok=True)
    # The station's own settings (an existing station.toml: identity_file…) name its key files.
    settings = load_settings(paths.station, {
        "station_id": DEMO_STATION,
        "units": ["*"],  # as its block in the demo publisher.toml: every unit
        # The demo lab's accession numbers: 8 digits, the last a Luhn check; tubes add 01, 02…
        "lab_range": "9500001-9599999", "lab_number_length": 8, "lab_check": "luhn",
        "delivery_address": "Pharmacie à usage intérieur, quai de livraison n° 2 | "
                            "1 rue de l'Hôpital | 75012 Paris",
        "sources": [{"id": "demo-drop", "kind": "folder", "path": str(paths.drop),
                     "interval_seconds": interval_seconds}]})
    recipient = keys.ensure_identity(settings)
    keys.pin_publisher_key(settings, ensure_publisher_key(paths.publisher / PUBLISHER_KEY))
    if not paths.publisher_config.exists():
        write_publisher_config(paths.publisher_config, "../drop", PUBLISHER_KEY,
                               [StationScope(DEMO_STATION, (recipient,), ("*",))])
    write_settings(settings)
    return paths, settings, load_publisher_config(paths.publisher_config)


def publish_demo(paths: DemoPaths, config: PublisherConfig, minute: int = 0,
                 now: dt.datetime | None = None, seed: int = 1) -> list[Path]:
    """Export the demo hospital as FHIR (as its DPI would), import it, add the pharmacy's
    catalogue and publish it all."""
    from pcsauvegarde.demo import generate_fhir
    from pcsauvegarde.demo.pharmacy import demo_pharmacy
    from pcsauvegarde.publisher.importers.fhir.importer import import_fhir

    now = now or dt.datetime.now(dt.UTC)
    generate_fhir(paths.fhir, seed=seed, now=now, minute=minute)
    result = import_fhir(sorted(paths.fhir.glob("*.ndjson")))
    for rejection in result.rejections:
        log.warning("demo FHIR rejected: %s", rejection)
    records = [*result.records, *demo_pharmacy(now, seed)]
    records += sterilisation_records(paths, records, now)
    return publish_full(records, config, now=now)


def sterilisation_records(paths: DemoPaths, records: list, now: dt.datetime) -> list:
    """The sterilisation unit's CSV export, imported, and the day's OR schedule."""
    from pcsauvegarde.demo import sterilisation
    from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues

    csv = import_catalogues(sterilisation.write_catalogues(paths.publisher / "sterilisation",
                                                           now))
    for rejection in csv.rejections:
        log.warning("demo CSV rejected: %s", rejection)
    return [*csv.records, *theatre_records(paths, records,
                                           sterilisation.or_schedule(records, now), now)]


def theatre_records(paths: DemoPaths, records: list, today: list, now: dt.datetime) -> list:
    """The OR's exports (schedule for today and tomorrow, anaesthesia consultations,
    transfusion file) and the blood bank's HL7 v2 results, through the real importers."""
    from pcsauvegarde.demo import theatre
    from pcsauvegarde.publisher.importers.csv.catalogues import import_catalogues
    from pcsauvegarde.publisher.importers.hl7v2.importer import import_hl7

    people = {r.id: r for r in records if r.TYPE == "patient"}
    files = theatre.write_files(paths.publisher / "bloc", theatre.or_cases(records, today, now),
                                people, now)
    csv = import_catalogues([f for f in files if f.suffix == ".csv"])
    hl7 = import_hl7([f for f in files if f.suffix == ".hl7"])
    for message in [r.message() for r in csv.rejections] + [r.message() for r in hl7.rejections]:
        log.warning("demo OR data rejected: %s", message)
    # the blood bank's messages only point to patients the DPI export already holds
    return [*csv.records, *(r for r in hl7.records if r.TYPE in ("lab_result", "blood_typing"))]
