"""Is the station ready for the day the information system goes down? One verdict per check.

Each check is a function of the station (and ``now``) returning a Verdict with one French
sentence. ``pcsauvegarde doctor``, the admin status page and the « NON PRÊT » banner all call
``assess``: the checks live here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import stat
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pcsauvegarde.core.fsutil import os_reason
from pcsauvegarde.core.numberrange import NumberRange
from pcsauvegarde.core.package import PackageError, minisign
from pcsauvegarde.station.documents.fmt import format_age, format_local
from pcsauvegarde.station.freshness import freshness
from pcsauvegarde.station.settings import Settings
from pcsauvegarde.station.station import Station

OK, WARNING, CRITICAL, UNKNOWN = "ok", "warning", "critical", "unknown"
LEVEL_LABELS = {OK: "OK", WARNING: "À VÉRIFIER", CRITICAL: "NON PRÊT", UNKNOWN: "NON VÉRIFIÉ"}
# Exit codes of `doctor`, the usual monitoring convention (0 ok, 1 warning, 2 critical).
EXIT_CODES = {OK: 0, UNKNOWN: 0, WARNING: 1, CRITICAL: 2}
RANGE_LOW_SHARE = 0.1  # a provisional-number range with less than this share left is flagged
SERVICE_UNIT = "pcsauvegarde.service"


@dataclass(frozen=True)
class Verdict:
    """One check's outcome: ``level`` (ok/warning/critical/unknown) and a French sentence."""

    check: str
    label: str
    level: str
    message: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


@dataclass(frozen=True)
class Readiness:
    verdicts: tuple[Verdict, ...]

    @property
    def critical(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.level == CRITICAL)

    @property
    def ready(self) -> bool:
        """No critical verdict (warnings do not stop the station from serving)."""
        return not self.critical

    @property
    def level(self) -> str:
        for level in (CRITICAL, WARNING):
            if any(v.level == level for v in self.verdicts):
                return level
        return OK

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.level]


def _n(value: int) -> str:
    """« 76 009 »: thousands separated the French way."""
    return f"{value:,}".replace(",", "\u202f")


def _v(check: str, label: str, level: str, message: str) -> Verdict:
    return Verdict(check, label, level, message)


def check_sources(station: Station, now: dt.datetime) -> list[Verdict]:
    """Per source: the last successful pull, no older than the stale threshold."""
    settings = station.settings
    if not settings.sources:
        return [_v("sources", "Sources", CRITICAL,
                   "Aucune source de données configurée (sources dans station.toml) : la "
                   "station ne recevra jamais rien.")]
    limit = dt.timedelta(minutes=settings.stale_after_minutes)
    out = []
    for source in settings.sources:
        label = f"Source « {source.id} »"
        last = station.store.last_success(source.id)
        runs = station.store.pull_runs(source.id, 1)
        error = runs[0]["error"] if runs and runs[0]["error"] else ""
        if last is None:
            why = f" Dernière erreur : {error}" if error else ""
            out.append(_v("source", label, CRITICAL, f"Aucun tirage réussi.{why}"))
        elif now - last > limit:
            why = f" Dernière erreur : {error}" if error else ""
            out.append(_v("source", label, CRITICAL,
                          f"Dernier tirage réussi le {format_local(last)} "
                          f"({format_age(now - last)}), au-delà de "
                          f"{settings.stale_after_minutes} min.{why}"))
        else:
            level = WARNING if error else OK
            tail = f" ; le tirage suivant a échoué : {error}" if error else "."
            out.append(_v("source", label, level,
                          f"Dernier tirage réussi le {format_local(last)} "
                          f"({format_age(now - last)}){tail}"))
    return out


def check_data_age(station: Station, now: dt.datetime) -> list[Verdict]:
    """Per received domain: its data age against ``stale_after_minutes``."""
    fresh = freshness(station.store, station.settings.stale_after_minutes, now)
    if not fresh.received:
        return [_v("data", "Données", CRITICAL, "Aucune donnée reçue : rien à imprimer.")]
    out = []
    for d in fresh.received:
        level = CRITICAL if d.stale else OK
        tail = (f" : périmées (seuil {station.settings.stale_after_minutes} min)." if d.stale
                else ".")
        out.append(_v("data", f"Données {d.label}", level, f"{d.text[:1].upper()}{d.text[1:]}"
                                                             f"{tail}"))
    missing = [d.label for d in fresh.domains if d.extracted_at is None]
    if missing:
        out.append(_v("data", "Domaines jamais reçus", OK,
                      f"Jamais reçus (non servis à cette station ?) : {', '.join(missing)}."))
    return out


def check_quarantine(station: Station) -> list[Verdict]:
    from pcsauvegarde.station.sync.quarantine import list_entries

    entries = [e for e in list_entries(station.settings) if e.open]
    if not entries:
        return [_v("quarantine", "Quarantaine", OK, "Aucun paquet en quarantaine.")]
    return [_v("quarantine", "Quarantaine", WARNING,
               f"{len(entries)} paquet(s) en quarantaine, le plus récent : « {entries[0].file} » "
               f"({entries[0].reason}) ; à examiner dans Synchronisation.")]


def check_freeze(station: Station) -> list[Verdict]:
    from pcsauvegarde.station.sync.freeze import freeze_state

    state = freeze_state(station.settings)
    if not state.frozen:
        return [_v("freeze", "Gel des tirages", OK, "Tirages actifs (pas de gel).")]
    # A deliberate act of the admin: shown, not critical; the data age check turns critical
    # as soon as the frozen data goes stale.
    who = f" par {state.by}" if state.by else ""
    why = f" (motif : {state.reason})" if state.reason else ""
    return [_v("freeze", "Gel des tirages", WARNING,
               f"Tirages suspendus depuis {state.since or 'une date inconnue'}{who}{why} : "
               "la station ne reçoit plus de données.")]


def _secret_files(settings: Settings) -> list[tuple[str, Path, bool]]:
    """(what, path, required) of every secret the station keeps."""
    files = [("identité age de la station", settings.identity_path, True),
             ("clé de signature des signaux de vie", settings.signing_key_path,
              any(s.heartbeat for s in settings.sources)),
             ("clé des sessions web", settings.web_secret_path, False)]
    files += [(f"clé SSH de la source « {s.id} »", settings.path(s.key_file), True)
              for s in settings.sources if s.kind == "sftp" and s.key_file]
    return files


def check_keys(station: Station) -> list[Verdict]:
    """Secret keys present, readable, and readable by their owner only."""
    out = []
    for what, path, required in _secret_files(station.settings):
        label = f"Clé : {what}"
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            if required:
                out.append(_v("keys", label, CRITICAL, f"Fichier « {path} » absent."))
            continue
        except OSError as exc:
            out.append(_v("keys", label, CRITICAL, f"« {path} » illisible ({os_reason(exc)})."))
            continue
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            out.append(_v("keys", label, WARNING,
                          f"« {path} » est lisible par d'autres comptes (droits "
                          f"{stat.S_IMODE(mode):04o}) : chmod 600 « {path} »."))
        elif not os.access(path, os.R_OK):
            out.append(_v("keys", label, CRITICAL, f"« {path} » illisible par ce compte."))
        else:
            out.append(_v("keys", label, OK, f"« {path} » présent, droits "
                                             f"{stat.S_IMODE(mode):04o}."))
    return out


def check_publisher_keys(station: Station) -> list[Verdict]:
    """At least one pinned publisher key, every pinned file a readable minisign public key."""
    settings = station.settings
    label = "Clés des émetteurs épinglées"
    if not settings.publisher_keys:
        return [_v("publisher_keys", label, CRITICAL,
                   "Aucune clé d'émetteur épinglée (publisher_keys) : aucun paquet ne sera "
                   "accepté.")]
    out = []
    for path in settings.publisher_key_paths:
        if not path.exists():
            # The publisher's public key is copied here; `keys --publisher-dir` would make a
            # new publisher key on the station, which no publisher signs with.
            out.append(_v("publisher_keys", label, CRITICAL,
                          f"« {path} » absente : copier la clé publique publisher.pub de "
                          f"l'émetteur (fichier remis par l'équipe de l'émetteur, à vérifier "
                          f"par son empreinte) dans « {path} » — sans elle aucun paquet "
                          "n'est accepté."))
            continue
        try:
            key = minisign.load_public_key(path)
        except (PackageError, OSError) as exc:
            why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
            out.append(_v("publisher_keys", label, CRITICAL,
                          f"« {path} » inutilisable : {why} — aucun paquet de cet émetteur ne "
                          "sera accepté ; remplacer ce fichier par la clé publique "
                          "publisher.pub de l'émetteur."))
        else:
            out.append(_v("publisher_keys", label, OK,
                          f"« {path} » épinglée ({key.identification})."))
    return out


def check_printer(station: Station) -> list[Verdict]:
    status = station.printer.status()
    level = OK if status.ready else CRITICAL
    return [_v("printer", "Imprimante", level, f"{station.printer.name} : {status.label}.")]


def check_disk(station: Station) -> list[Verdict]:
    from pcsauvegarde.station.sync.pull import disk_free_mb

    settings = station.settings
    try:
        free = disk_free_mb(settings)
    except OSError as exc:
        return [_v("disk", "Espace disque", CRITICAL,
                   f"Dossier « {settings.data_dir} » inaccessible ({os_reason(exc)}).")]
    if free < settings.min_free_mb:
        return [_v("disk", "Espace disque", CRITICAL,
                   f"{_n(free)} Mo libres dans « {settings.data_dir} », minimum "
                   f"{_n(settings.min_free_mb)} Mo (min_free_mb) : les tirages sont refusés.")]
    return [_v("disk", "Espace disque", OK,
               f"{_n(free)} Mo libres (minimum {_n(settings.min_free_mb)} Mo).")]


def check_clock(station: Station, now: dt.datetime) -> list[Verdict]:
    """The clock is not behind what the station already received or did."""
    settings = station.settings
    seen = [s.extracted_at for s in station.store.snapshots().values()]
    seen += [r["ended"] for r in station.store.pull_runs(None, 1) if r["ended"]]
    latest = max(seen, default=None)
    skew = dt.timedelta(minutes=settings.clock_skew_minutes)
    if latest is not None and now + skew < latest:
        return [_v("clock", "Horloge", CRITICAL,
                   f"L'horloge ({format_local(now)}) est antérieure à la dernière extraction ou "
                   f"au dernier tirage ({format_local(latest)}) : heure du poste à corriger "
                   "(les dates imprimées et l'âge des données seraient faux).")]
    return [_v("clock", "Horloge", OK, f"Heure du poste : {format_local(now)}.")]


def reserved_ranges(settings: Settings) -> list[tuple[str, NumberRange]]:
    """Every reserved range the station gives numbers from, under the name its register
    allocates with (so that what is left is read where the numbers are counted)."""
    from pcsauvegarde.station.settings import lab_range_of
    from pcsauvegarde.station.state.admissions import IPP_RANGE, NDA_RANGE
    from pcsauvegarde.station.state.numbering import parse_range
    from pcsauvegarde.station.sterilisation.circulation import RANGE_NAME as TRAYS

    out = [("IPP provisoires", parse_range(IPP_RANGE, settings.provisional_ipp_range)),
           ("NDA provisoires", parse_range(NDA_RANGE, settings.provisional_nda_range))]
    if settings.lab_range:
        out.append(("Étiquettes de laboratoire", lab_range_of(settings).serial))
    out.append(("Étiquettes de plateaux (stérilisation)",
                parse_range(TRAYS, settings.sterilisation_circulation_range)))
    return out


def check_ranges(station: Station) -> list[Verdict]:
    """Numbers left in every reserved range: downtime admissions, lab labels, tray labels."""
    from pcsauvegarde.station.state.highwater import HighWater
    from pcsauvegarde.station.state.numbering import Numbering

    # with the high-water mark: a station restored from a backup has fewer than its db says
    numbering = Numbering(station.state, HighWater(station.settings.high_water_path))
    out = []
    for what, rng in reserved_ranges(station.settings):
        left = numbering.remaining(rng)
        level = OK if left >= max(1, int(rng.size * RANGE_LOW_SHARE)) else WARNING
        if left == 0:
            level = CRITICAL
        out.append(_v("ranges", f"Plage : {what}", level,
                      f"{_n(left)} numéro(s) restant(s) sur {_n(rng.size)} ({rng.describe()})."))
    return out


def check_exercise(station: Station) -> list[Verdict]:
    from pcsauvegarde.station import exercise

    running = exercise.current(station)
    if running is None:
        return [_v("exercise", "Mode exercice", OK, "Aucun exercice en cours.")]
    return [_v("exercise", "Mode exercice", WARNING,
               f"Exercice en cours depuis le {format_local(running.started_at)} (lancé par "
               f"{running.started_by}) : tous les documents portent la mention EXERCICE.")]


def check_audit(station: Station) -> list[Verdict]:
    """The audit journal's hash chain and signed heads, as ``pcsauvegarde audit verify``."""
    label = "Journal d'audit"
    if not station.settings.state_path.is_file():
        return [_v("audit", label, OK, "Aucun journal encore (station jamais utilisée).")]
    result = station.audit.verify()
    if not result.ok:
        where = f"première entrée en défaut n° {result.broken_seq} " if result.broken_seq else ""
        return [_v("audit", label, CRITICAL,
                   f"JOURNAL ALTÉRÉ : {where}({result.reason}) ; ne rien effacer, prévenir "
                   "la sécurité (pcsauvegarde audit verify).")]
    return [_v("audit", label, OK, f"Chaîne intègre : {_n(result.entries)} entrée(s).")]


Probe = Callable[[Settings], Verdict]


def probe_service(settings: Settings) -> Verdict:
    """The service as seen from outside: systemd's state when systemd runs, else the UI port."""
    label = "Service de la station"
    if Path("/run/systemd/system").is_dir():
        try:
            out = subprocess.run(["systemctl", "is-active", SERVICE_UNIT],  # noqa: S603,S607 - fixed argv
                                 capture_output=True, text=True, timeout=5, check=False)
        except (OSError, subprocess.TimeoutExpired):
            out = None
        if out is not None and out.stdout.strip():
            state = out.stdout.strip()
            return _v("service", label, OK if state == "active" else CRITICAL,
                      f"{SERVICE_UNIT} : {'actif' if state == 'active' else state}.")
    try:
        with socket.create_connection((settings.host, settings.port), timeout=1):
            return _v("service", label, OK,
                      f"Interface web joignable sur {settings.host}:{settings.port}.")
    except OSError:
        return _v("service", label, CRITICAL,
                  f"Rien n'écoute sur {settings.host}:{settings.port} : la station n'est pas "
                  "démarrée (pcsauvegarde serve ou systemctl start pcsauvegarde).")


def assess(station: Station, now: dt.datetime | None = None,
           service: Probe | None = probe_service, audit: bool = False) -> Readiness:
    """Every readiness check at ``now``; ``service=None`` when the caller IS the service.

    ``audit`` adds the audit journal's full check (``doctor``): it reads every entry, too
    slow for the banner every page computes."""
    now = now or dt.datetime.now(dt.UTC)
    verdicts = [*check_sources(station, now), *check_data_age(station, now),
                *check_quarantine(station), *check_freeze(station), *check_keys(station),
                *check_publisher_keys(station), *check_printer(station), *check_disk(station),
                *check_clock(station, now), *check_ranges(station),
                *check_exercise(station)]
    if audit:
        verdicts += check_audit(station)
    if service is not None:
        verdicts.append(service(station.settings))
    return Readiness(tuple(verdicts))
