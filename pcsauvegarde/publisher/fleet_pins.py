"""Which heartbeat key speaks for which station: the fleet's pins, from key files or publisher.toml.

A heartbeat is accepted only when signed by the key pinned for the station it names. Pins come
either from ``publisher.toml`` (``heartbeat_key`` in each ``[[stations]]`` block, with the
station's units and location) or from ``<station-id>.pub`` files (the file name is the pin).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.package import PackageError
from pcsauvegarde.core.package.minisign import PublicKey, load_public_key, public_key_from_text
from pcsauvegarde.publisher.config import read_publisher_toml


class FleetConfigError(ValueError):
    """The fleet's pins cannot be used (French message naming the file or station)."""


@dataclass(frozen=True)
class PinnedStation:
    """A station id bound to its heartbeat public key, and what the IT team knows of it."""

    station: str
    key: PublicKey
    location: str = ""
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class FleetPins:
    """Every pinned station, the drop point from the config (if any) and French warnings."""

    stations: tuple[PinnedStation, ...]
    warnings: tuple[str, ...] = ()
    drop: Path | None = None

    def for_station(self, station: str) -> PinnedStation | None:
        return next((p for p in self.stations if p.station == station), None)

    def owner_of(self, key_id: bytes) -> PinnedStation | None:
        """The station whose pinned key has this minisign key id."""
        return next((p for p in self.stations if p.key.key_id == key_id), None)


def pins_from_key_files(paths: list[Path]) -> FleetPins:
    """Pins from ``.pub`` files or every ``*.pub`` in directories: ``rea-1.pub`` speaks for
    station ``rea-1`` only. A file that is not a minisign public key is skipped with a warning
    (one foreign file must not blind the whole fleet)."""
    files = [f for p in paths for f in (sorted(p.glob("*.pub")) if p.is_dir() else [p])]
    pins, warnings = [], []
    for f in files:
        try:
            pins.append(PinnedStation(f.stem, load_public_key(f)))
        except (PackageError, OSError, UnicodeDecodeError) as exc:
            warnings.append(f"clé ignorée : « {f} » n'est pas une clé publique minisign ({exc})")
    return _checked(pins, warnings, None)


def pins_from_config(path: Path) -> FleetPins:
    """Pins, units and locations from publisher.toml; its drop_dir is the default drop."""
    values = read_publisher_toml(path)
    pins, warnings = [], []
    for block in values["stations"]:
        sid = block["id"]
        if not block["heartbeat_key"]:
            warnings.append(f"« {path} » : station « {sid} » sans heartbeat_key : ses signaux "
                            "de vie seront refusés tant que sa clé n'est pas épinglée")
            continue
        try:
            key = public_key_from_text(block["heartbeat_key"], f"heartbeat_key de « {sid} »")
        except PackageError as exc:
            raise FleetConfigError(f"« {path} » : station « {sid} » : heartbeat_key n'est pas "
                                   f"une clé publique minisign ({exc})") from None
        pins.append(PinnedStation(sid, key, block["location"], tuple(block["units"])))
    drop = (path.parent / values["drop_dir"]).resolve()
    return _checked(pins, warnings, drop)


def merge(first: FleetPins, second: FleetPins) -> FleetPins:
    """Both sets of pins (config and key files), checked together."""
    return _checked([*first.stations, *second.stations], [*first.warnings, *second.warnings],
                    first.drop or second.drop)


def _checked(pins: list[PinnedStation], warnings: list[str], drop: Path | None) -> FleetPins:
    """Refuse a station pinned to two different keys; warn when one key speaks for two
    stations (either could then sign the other's heartbeat)."""
    by_station: dict[str, PinnedStation] = {}
    kept = []
    for pin in pins:
        seen = by_station.get(pin.station)
        if seen is not None:
            if seen.key != pin.key:
                raise FleetConfigError(f"station « {pin.station} » épinglée deux fois avec deux "
                                       f"clés différentes ({seen.key.identification} et "
                                       f"{pin.key.identification}) : garder la bonne seule")
            continue  # the same pin twice (config and key file): one is enough
        by_station[pin.station] = pin
        kept.append(pin)
    by_key: dict[bytes, list[str]] = {}
    for pin in kept:
        by_key.setdefault(pin.key.key, []).append(pin.station)
    for stations in by_key.values():
        if len(stations) > 1:
            names = ", ".join(f"« {s} »" for s in stations)
            warnings.append(f"une même clé est épinglée pour plusieurs stations ({names}) : "
                            "chacune peut signer le signal de vie des autres ; donner à chaque "
                            "station sa propre clé (pcsauvegarde keys sur chaque poste)")
    return FleetPins(tuple(kept), tuple(warnings), drop)
