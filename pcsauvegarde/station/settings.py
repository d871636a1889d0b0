"""The station's settings: one typed object read from ``station.toml`` in the data dir."""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_ENV = "PCSAUVEGARDE_DATA"
DEFAULT_DATA_DIR = Path("snapshots/station")  # in a checkout; the demo puts its station here
SYSTEM_DATA_DIR = Path("/var/lib/pcsauvegarde")  # an installed station (install/ creates it)
STALE_AFTER_MINUTES = 120  # the banner's default threshold; `fleet` uses it too


def default_data_dir() -> Path:
    """The station data dir when none is given: $PCSAUVEGARDE_DATA, else /var/lib/pcsauvegarde
    when it exists (installed), else snapshots/station (a checkout, `make demo`)."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    return SYSTEM_DATA_DIR if SYSTEM_DATA_DIR.is_dir() else DEFAULT_DATA_DIR


class ConfigError(ValueError):
    """A settings file that cannot be used (French message naming the file and key)."""


# A transport as operators read it (no English code on screen or in the console).
TRANSPORT_LABELS = {"folder": "dossier", "sftp": "SFTP", "https": "HTTPS"}


@dataclass(frozen=True)
class Source:
    """One place the station pulls packages from (pull only: the station initiates)."""

    id: str
    kind: str = "folder"
    """Transport: ``folder`` (local or mounted directory), ``sftp`` or ``https``."""
    path: str = ""
    """For ``folder``: the drop directory to read packages from."""
    interval_seconds: int = 15
    """How often the scheduler pulls this source (a pull with nothing new is one listing)."""
    host: str = ""
    """For ``sftp``: the server's name or address."""
    port: int = 22
    """For ``sftp``: the server's port."""
    user: str = ""
    """For ``sftp``: the login (key-based only, no password)."""
    key_file: str = ""
    """For ``sftp``: the station's private key file (OpenSSH format), relative to data_dir."""
    host_key: str = ""
    """For ``sftp``: the pinned server key, a known_hosts line or ``SHA256:…`` fingerprint."""
    remote_path: str = "."
    """For ``sftp``: the drop directory on the server."""
    url: str = ""
    """For ``https``: the drop point's base URL; it serves ``index.txt`` and the files."""
    pin_sha256: str | tuple[str, ...] = ""
    """For ``https``: SHA-256 (hex) of the server certificate (DER), or a list of them while a
    renewed certificate takes over (old and new both accepted); or use ``ca_file``."""
    ca_file: str = ""
    """For ``https``: CA bundle to verify the server with, instead of ``pin_sha256``."""
    timeout_seconds: int = 30
    """Network timeout of one connection or read (sftp, https)."""
    heartbeat: bool = False
    """After each run, write a signed ``heartbeat-<station>.json`` to the drop point."""
    react: bool = False
    """For ``folder``: also watch the folder (polling, 1 s, backing off to 8 s when quiet)
    and pull as soon as a new package lands, without waiting for the interval."""

    @property
    def pins(self) -> tuple[str, ...]:
        """The accepted certificate digests, lower-case hex without colons."""
        given = (self.pin_sha256,) if isinstance(self.pin_sha256, str) else self.pin_sha256
        return tuple(p.replace(":", "").lower() for p in given if p)


@dataclass(frozen=True)
class Settings:
    """Every station setting, each documented; defaults suit the demo."""

    data_dir: Path
    """Where the station keeps its store, kept packages, quarantine and journals."""
    station_id: str = "station-demo"
    """This station's id; packages addressed to another station are refused."""
    establishment: str = "Centre hospitalier de démonstration"
    """Printed on the header of every document."""
    delivery_address: str = ""
    """The pharmacy's delivery address printed on supplier order forms (« | » between lines)."""
    identity_file: str = "keys/station.agekey"
    """age identity (secret) of the station, relative to data_dir unless absolute."""
    publisher_keys: tuple[str, ...] = ("keys/publisher.pub",)
    """Pinned minisign public keys of the publishers the station trusts (files)."""
    sources: tuple[Source, ...] = ()
    """Where to pull packages from."""
    stale_after_minutes: int = STALE_AFTER_MINUTES
    """Past this data age every screen and page says the data is stale."""
    idle_timeout_minutes: int = 10
    """A session unused for this long is logged out."""
    session_max_hours: int = 12
    """A session is closed this long after login, however active (a shift, then log in again)."""
    login_attempts_per_minute: int = 10
    """Login attempts accepted per minute from one client; beyond, « réessayez plus tard »."""
    login_attempts_total_per_minute: int = 30
    """Login attempts accepted per minute from all clients together."""
    host: str = "127.0.0.1"
    """Address the UI listens on; loopback only unless ``allow_remote_ui`` is set."""
    allow_remote_ui: bool = False
    """Let ``host`` be a non-loopback address (the UI is then reachable from the network)."""
    port: int = 8080
    """Port the UI listens on."""
    printer: str = "file"
    """``file`` writes PDFs under data_dir/printed; ``cups:QUEUE`` prints to that CUPS queue."""
    cups_server: str = ""
    """CUPS server (host:port or socket path) for ``cups:`` printers; empty: the local one."""
    provisional_ipp_range: str = "90000001-90999999"
    """Provisional IPPs this station gives to downtime admissions (reserved, real IPP length)."""
    provisional_nda_range: str = "900000001-900999999"
    """Provisional NDAs (stays) of downtime admissions (reserved, real NDA length)."""
    lab_range: str = ""
    """Pre-numbered lab labels of this station (reserved with the lab, e.g. « 9000001-9099999 »);
    empty: no lab labels on this station."""
    lab_number_length: int = 0
    """Length of the LIS accession numbers; the range plus its check MUST give exactly that
    (0: not checked)."""
    lab_check: str = "none"
    """Check character the LIS expects: none, luhn (mod 10), mod11 (ISO 7064 MOD 11-2) or
    mod97 (ISO 7064 MOD 97-10, two digits)."""
    lab_tube_suffix_digits: int = 2
    """Digits of the tube suffix a patient's tubes add to the shared number (0: none)."""
    numbering_high_water_file: str = "numbering-high-water.json"
    """Where the next number of every reserved range is also kept, relative to data_dir: keep
    it out of the backup set, so that a station restored from a backup never gives a number
    twice."""
    sterilisation_circulation_range: str = "ST000001-ST999999"
    """Circulation numbers of the tray labels this station prints (reserved per station)."""
    procedure_contacts: tuple[str, ...] = ()
    """Whom to call, printed on the « procédure synthétique » taped next to the station, one
    line each (« Astreinte informatique : 4455 »); unit phones come from the directory."""
    exercise_number_prefix: str = "EX"
    """During a crisis exercise, document, lab label, tray label and provisional IPP/NDA
    numbers start with these 1–4 capital letters (then digits, the real numbers' length), in
    ranges of their own: an exercise never uses up, nor resembles, a real number."""
    max_package_bytes: int = 0
    """Larger packages are refused before they are read (0: a quarter of the RAM, ≤ 2 GiB)."""
    max_expanded_bytes: int = 0
    """A package whose plaintext grows past this is refused while decompressing (0: the RAM,
    at most 8 GiB)."""
    max_expansion_ratio: int = 200
    """A package expanding to more than this many times its compressed size is refused."""
    ingest_budget_seconds: int = 600
    """Wall-clock time allowed to check one package; beyond, it is quarantined."""
    quarantine_max_mb: int = 1024
    """Quarantine size cap (MiB): past it, the oldest files go (unsigned first), reasons stay."""
    quarantine_max_files: int = 200
    """Quarantine entry cap: past it, the oldest entries go (unsigned first)."""
    keep_packages: int = 30
    """Accepted packages kept per domain (the last good one is always kept)."""
    max_patient_drop: float = 0.5
    """A full package with this share fewer patients than the current one is quarantined."""
    scopes: tuple[str, ...] = ()
    """Scope group ids (publisher ``group``) whose packages this station accepts as its own."""
    units: tuple[str, ...] = ()
    """Codes of the units this station serves (its ``units`` in publisher.toml; ``["*"]``: every
    unit): its procedure page and heartbeat name only these. Empty: the units it holds current
    inpatients or downtime admissions for (the unit directory is shared by every station)."""
    clock_skew_minutes: int = 5
    """A package extracted further than this in the future is refused (clocks disagree)."""
    discharged_retention_days: int = 30
    """Patients discharged longer ago than this are dropped from the read model."""
    pdf_retention_days: int = 90
    """An issued document's PDF is purged this many days after its re-entry is verified (or
    set « sans objet »); a PDF with nothing to re-enter, this many days after it was issued."""
    min_free_mb: int = 500
    """No pull while the data dir's disk has less free space than this (MiB)."""
    retry_base_seconds: int = 60
    """After a failed run, retries at 1, 2, 4… times this, never later than the interval."""
    signing_key_file: str = "keys/station-sign.key"
    """The station's minisign key signing its heartbeats, relative to data_dir."""
    print_templates_dir: str = ""
    """The hospital's own print templates (``<kind>.toml``), relative to data_dir unless
    absolute; each file replaces the packaged one of that name. Empty: the packaged ones."""
    reentry_double_entry: tuple[str, ...] = ("admission",)
    """Re-entry domains whose transcriptions a second person MUST verify (« vérifié » only
    from another account): among administration, lab, sterilisation, admission, pharmacy.
    Default: identity merges only (identitovigilance); a domain not listed is « vérifié » as
    soon as it is entered, by the person entering it."""
    ipp_assigning_authority: str = "PCSAUVEGARDE"
    """Authority of the hospital's IPP domain in HL7 v2 exports (PID-3.4, MRG-1.4), as
    ``NAMESPACE&OID&ISO`` (IHE PAM France); the provisional IPPs are reserved in that domain."""

    def path(self, relative: str | Path) -> Path:
        """A path relative to data_dir (absolute paths are kept)."""
        p = Path(relative)
        return p if p.is_absolute() else self.data_dir / p

    @property
    def accepted_stations(self) -> tuple[str, ...]:
        """The ``station`` values of packages meant for this station: its id and its groups."""
        return (self.station_id, *self.scopes)

    # Every file and folder of the station, in one place (nothing else joins data_dir).

    @property
    def package_size_limit(self) -> int:
        """``max_package_bytes``, or when 0 a quarter of the station's RAM (at most 2 GiB)."""
        from pcsauvegarde.core.package.limits import GiB, ram_bytes
        return self.max_package_bytes or min(2 * GiB, ram_bytes() // 4)

    @property
    def expanded_size_limit(self) -> int:
        """``max_expanded_bytes``, or when 0 the station's RAM (at most 8 GiB)."""
        from pcsauvegarde.core.package.limits import GiB, ram_bytes
        return self.max_expanded_bytes or min(8 * GiB, ram_bytes())

    @property
    def config_path(self) -> Path:
        """station.toml, the file these settings were read from."""
        return self.data_dir / CONFIG_NAME

    def config_digest(self) -> str:
        """SHA-256 of station.toml as it is on disk now ("" when absent): a running ``serve``
        compares it with the one it started with to say a restart is needed."""
        import hashlib

        try:
            return hashlib.sha256(self.config_path.read_bytes()).hexdigest()
        except FileNotFoundError:
            return ""

    @property
    def store_path(self) -> Path:
        """The SQLite read model (derived: rebuildable from the kept packages)."""
        return self.data_dir / "store.sqlite"

    @property
    def state_path(self) -> Path:
        """Accounts, sessions, audit, issue journal, numbering, admissions, print jobs."""
        return self.data_dir / "station.sqlite"

    @property
    def high_water_path(self) -> Path:
        """The reserved ranges' high-water marks (state/highwater.py)."""
        return self.path(self.numbering_high_water_file)

    @property
    def audit_heads_path(self) -> Path:
        """Signed heads of the audit chain, append-only (state/audit_anchor.py)."""
        return self.data_dir / "audit-heads.log"

    @property
    def packages_dir(self) -> Path:
        return self.data_dir / "packages"

    @property
    def quarantine_dir(self) -> Path:
        return self.data_dir / "quarantine"

    @property
    def incoming_dir(self) -> Path:
        """Packages being fetched, before they are checked."""
        return self.data_dir / "incoming"

    @property
    def documents_dir(self) -> Path:
        """Issued PDFs, kept for preview and reprint until re-entry."""
        return self.data_dir / "documents"

    @property
    def printed_dir(self) -> Path:
        """What the ``file`` printer prints into."""
        return self.data_dir / "printed"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def freeze_flag(self) -> Path:
        """Present while pulls are frozen (sync/freeze.py)."""
        return self.data_dir / "FROZEN"

    @property
    def web_secret_path(self) -> Path:
        """The key signing the UI's session cookies."""
        return self.data_dir / "secret_key"

    @property
    def identity_path(self) -> Path:
        return self.path(self.identity_file)

    @property
    def signing_key_path(self) -> Path:
        return self.path(self.signing_key_file)

    @property
    def print_templates_path(self) -> Path | None:
        return self.path(self.print_templates_dir) if self.print_templates_dir else None

    @property
    def publisher_key_paths(self) -> tuple[Path, ...]:
        return tuple(self.path(p) for p in self.publisher_keys)


CONFIG_NAME = "station.toml"
# The re-entry domains (reentry/transcription.py DOMAINS names them for users).
REENTRY_DOMAINS = ("administration", "lab", "sterilisation", "admission", "pharmacy")
_STATION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def field_docs(cls: type | None = None) -> dict[str, str]:
    """Help text of every setting (of ``cls``, Settings by default) from its docstring."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(cls or Settings))
    docs: dict[str, str] = {}
    cls_def = tree.body[0]
    if not isinstance(cls_def, ast.ClassDef):
        raise TypeError(f"{cls_def!r} is not a class definition")
    for node, nxt in itertools.pairwise(cls_def.body):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)):
            docs[node.target.id] = nxt.value.value
    return docs


def load_settings(data_dir: Path, overrides: dict[str, Any] | None = None,
                  read_file: bool = True) -> Settings:
    """Read data_dir/station.toml (if present and read_file) and apply overrides; validate."""
    data_dir = Path(data_dir).resolve()
    values: dict[str, Any] = {}
    cfg = data_dir / CONFIG_NAME
    if read_file and cfg.exists():
        try:
            values = tomllib.loads(cfg.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"« {cfg} » : fichier de configuration illisible ({exc})") from None
    values.update(overrides or {})
    return _build(values, data_dir, cfg)


def _build(values: dict[str, Any], data_dir: Path, cfg: Path) -> Settings:
    known = {f.name: f for f in dataclasses.fields(Settings)}
    kwargs: dict[str, Any] = {"data_dir": data_dir}
    for key, value in values.items():
        if key not in known or key == "data_dir":
            raise ConfigError(f"« {cfg} » : clé inconnue « {key} »")
        if key == "sources":
            kwargs[key] = tuple(_source(s, cfg, i) for i, s in enumerate(value))
            _no_duplicate_sources(kwargs[key], cfg, data_dir)
        elif key in ("publisher_keys", "scopes", "units", "procedure_contacts",
                     "reentry_double_entry"):
            if not isinstance(value, list | tuple):
                raise ConfigError(f"« {cfg} » : « {key} » doit être une liste de textes "
                                  "entre crochets : [\"…\", \"…\"]")
            kwargs[key] = tuple(_typed(cfg, key, v, str) for v in value)
        else:
            default = known[key].default
            kwargs[key] = _typed(cfg, key, value, type(default))
    settings = Settings(**kwargs)
    if not _STATION_ID.match(settings.station_id):
        raise ConfigError(f"« {cfg} » : station_id « {settings.station_id} » invalide "
                          "(minuscules, chiffres et tirets)")
    for scope in settings.scopes:
        if not _STATION_ID.match(scope):
            raise ConfigError(f"« {cfg} » : scopes : groupe « {scope} » invalide "
                              "(minuscules, chiffres et tirets)")
    for domain in settings.reentry_double_entry:
        if domain not in REENTRY_DOMAINS:
            raise ConfigError(f"« {cfg} » : reentry_double_entry : domaine « {domain} » "
                              f"inconnu ({', '.join(REENTRY_DOMAINS)})")
    if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,20}(&[0-9.]{0,64}(&ISO)?)?",
                        settings.ipp_assigning_authority):
        raise ConfigError(f"« {cfg} » : ipp_assigning_authority « "
                          f"{settings.ipp_assigning_authority[:80]} » invalide (NOM&OID&ISO)")
    _check_host(settings, cfg)
    if not 1 <= settings.port <= 65535:
        raise ConfigError(f"« {cfg} » : port {settings.port} hors limites")
    _check_numbers_and_printer(settings, cfg)
    for key in ("idle_timeout_minutes", "session_max_hours", "login_attempts_per_minute",
                "login_attempts_total_per_minute"):
        if getattr(settings, key) < 1:
            raise ConfigError(f"« {cfg} » : « {key} » doit être au moins 1")
    for key in ("clock_skew_minutes", "discharged_retention_days", "pdf_retention_days",
                "min_free_mb",
                "retry_base_seconds", "keep_packages", "max_package_bytes", "max_expanded_bytes",
                "max_expansion_ratio", "ingest_budget_seconds", "quarantine_max_mb",
                "quarantine_max_files"):
        if getattr(settings, key) < 0:
            raise ConfigError(f"« {cfg} » : « {key} » ne peut pas être négatif")
    return settings


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_host(settings: Settings, cfg: Path) -> None:
    if not is_loopback(settings.host) and not settings.allow_remote_ui:
        raise ConfigError(f"« {cfg} » : host « {settings.host} » n'est pas une adresse locale "
                          "(127.0.0.1) : l'interface serait joignable depuis le réseau. "
                          "Mettez allow_remote_ui = true pour l'accepter sciemment.")


def _check_numbers_and_printer(settings: Settings, cfg: Path) -> None:
    from pcsauvegarde.core.numberrange import exercise_range
    from pcsauvegarde.station.state.numbering import NumberingError, overlapping, parse_range

    try:
        ranges = [(key, parse_range(key, getattr(settings, key)))
                  for key in ("provisional_ipp_range", "provisional_nda_range")]
        if settings.lab_range:
            ranges.append(("lab_range", lab_range_of(settings).serial))
        ranges.append(("sterilisation_circulation_range",
                       parse_range("sterilisation_circulation_range",
                                   settings.sterilisation_circulation_range)))
        # the exercise ranges too: a real range may not start with the exercise letters
        kinds = {"provisional_ipp_range": "ipp", "provisional_nda_range": "nda",
                 "lab_range": "labo", "sterilisation_circulation_range": "plateaux"}
        ranges += [(f"{key} (exercice)",
                    exercise_range(rng, settings.exercise_number_prefix, kinds[key]))
                   for key, rng in list(ranges)]
    except NumberingError as exc:
        raise ConfigError(f"« {cfg} » : {exc}") from None
    for a, b in overlapping(ranges):
        raise ConfigError(f"« {cfg} » : les plages « {a} » et « {b} » se chevauchent : un "
                          "même numéro serait donné deux fois")
    if settings.printer != "file" and not re.match(r"^cups:[A-Za-z0-9_][A-Za-z0-9_.-]{0,126}$",
                                                   settings.printer):
        raise ConfigError(f"« {cfg} » : printer « {settings.printer} » invalide "
                          "(file ou cups:NOM_DE_LA_FILE)")


def lab_range_of(settings: Settings):
    """The station's lab range (LabRange) from its settings; NumberingError if misconfigured."""
    from pcsauvegarde.station.lab.ranges import parse_lab_range

    return parse_lab_range(settings.lab_range, settings.lab_number_length, settings.lab_check,
                           settings.lab_tube_suffix_digits)


def _source(value: Any, cfg: Path, index: int) -> Source:
    if not isinstance(value, dict) or "id" not in value:
        raise ConfigError(f"« {cfg} » : sources[{index}] doit avoir un « id »")
    names = {f.name for f in dataclasses.fields(Source)}
    for key in value:
        if key not in names:
            raise ConfigError(f"« {cfg} » : sources[{index}] : clé inconnue « {key} »")
    typed = {f.name: f for f in dataclasses.fields(Source)}
    value = dict(value)
    if isinstance(value.get("pin_sha256"), list):  # several pins: a certificate renewal
        value["pin_sha256"] = tuple(_typed(cfg, f"sources[{index}].pin_sha256", v, str)
                                    for v in value["pin_sha256"])
    for key, v in value.items():
        default = typed[key].default
        if key not in ("id", "pin_sha256") and not isinstance(default, dataclasses._MISSING_TYPE):
            _typed(cfg, f"sources[{index}].{key}", v, type(default))
    if not isinstance(value.get("pin_sha256", ""), (str, tuple)):
        raise ConfigError(f"« {cfg} » : « sources[{index}].pin_sha256 » doit être une "
                          "empreinte ou une liste d'empreintes")
    source = Source(**value)
    where = f"« {cfg} » : sources[{index}]"
    if source.kind not in KINDS:
        raise ConfigError(f"{where} : transport « {source.kind} » non pris en charge "
                          f"({', '.join(KINDS)})")
    if not 5 <= source.interval_seconds <= 86400:
        raise ConfigError(f"{where} : interval_seconds hors limites (5–86400)")
    if not 1 <= source.timeout_seconds <= 600:
        raise ConfigError(f"{where} : timeout_seconds hors limites (1–600)")
    if source.react and source.kind != "folder":
        raise ConfigError(f"{where} : react ne vaut que pour un dossier (kind = \"folder\")")
    missing = [k for k in KINDS[source.kind] if not getattr(source, k)]
    if source.kind == "https" and not (source.pins or source.ca_file):
        missing.append("pin_sha256 ou ca_file")
    if missing:
        raise ConfigError(f"{where} ({source.kind}) : à renseigner : {', '.join(missing)}")
    if source.kind == "https" and not source.url.startswith("https://"):
        raise ConfigError(f"{where} : url doit commencer par https://")
    if not all(re.fullmatch(r"[0-9a-f]{64}", pin) for pin in source.pins):
        raise ConfigError(f"{where} : pin_sha256 doit être une empreinte SHA-256 hexadécimale "
                          "(ou une liste d'empreintes)")
    return source


def _no_duplicate_sources(sources: tuple[Source, ...], cfg: Path, data_dir: Path) -> None:
    """Two sources on one drop point fetch every package twice: refuse it at load time."""
    seen: dict[tuple, str] = {}
    ids: set[str] = set()
    for s in sources:
        if s.id in ids:
            raise ConfigError(f"« {cfg} » : deux sources portent l'id « {s.id} »")
        ids.add(s.id)
        if s.kind == "folder":
            where: tuple = ("folder", str((data_dir / s.path).resolve()))
        elif s.kind == "sftp":
            where = ("sftp", s.host.lower(), s.port, s.remote_path.rstrip("/") or ".")
        else:
            where = ("https", s.url.rstrip("/"))
        if where in seen:
            raise ConfigError(f"« {cfg} » : les sources « {seen[where]} » et « {s.id} » "
                              "désignent le même point de dépôt : chaque paquet serait tiré "
                              "deux fois (et le second mis en quarantaine comme rejeu) ; n'en "
                              "garder qu'une")
        seen[where] = s.id


# Required settings per transport kind.
KINDS = {"folder": ("path",), "sftp": ("host", "user", "key_file", "host_key"),
         "https": ("url",)}


def _typed(cfg: Path, key: str, value: Any, kind: type) -> Any:
    if kind is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(f"« {cfg} » : « {key} » doit être de type {kind.__name__}")
    return value


def backup_settings_file(settings: Settings) -> Path | None:
    """Copy station.toml to station.toml.YYYYMMDD-HHMMSS.bak before it is rewritten; its path."""
    import datetime as dt
    import shutil

    cfg = settings.data_dir / CONFIG_NAME
    if not cfg.exists():
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    backup = cfg.with_name(f"{CONFIG_NAME}.{stamp}.bak")
    shutil.copy2(cfg, backup)
    return backup


def write_settings(settings: Settings) -> Path:
    """Write the settings that differ from the defaults to data_dir/station.toml (atomically)."""
    from pcsauvegarde.core.fsutil import atomic_write

    lines = []
    for f in dataclasses.fields(Settings):
        value = getattr(settings, f.name)
        if f.name in ("data_dir", "sources") or value == f.default:
            continue
        lines.append(f"{f.name} = {_toml(value)}")
    for s in settings.sources:
        lines += ["", "[[sources]]"]
        lines += [f"{k} = {_toml(v)}" for k, v in dataclasses.asdict(s).items()]
    path = settings.data_dir / CONFIG_NAME
    atomic_write(path, ("\n".join(lines) + "\n").encode(), mode=0o600)
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
