#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Installs (or upgrades) a PC de sauvegarde station on Debian 12. Idempotent: a second run
# with the same release changes nothing; a run with a new release builds a new virtualenv,
# switches to it and restarts the service, leaving the station's data untouched.
# `--root DIR` stages every file under DIR and prints the system commands instead of running
# them (tests, review). Guide: docs/installation.md.
set -eu
umask 022

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() {
    cat <<'EOF'
Usage : install.sh [options]
  --station ID          identifiant de la station (obligatoire à la première installation)
  --printer-uri URI     adresse CUPS de l'imprimante (défaut : la seule imprimante USB vue)
  --printer-ppd PPD     fichier PPD, ou « everywhere » (IPP Everywhere, sans pilote)
                        (défaut : /usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd)
  --no-printer          ne pas créer de file d'impression (--printer : la remettre)
  --no-kiosk            pas de navigateur en mode kiosque sur l'écran du poste
                        (--kiosk : le remettre)
  --ntp SERVEUR         serveur de temps de l'établissement (chrony ou systemd-timesyncd)
  --source DOSSIER      version de pcsauvegarde à installer (défaut : ce dépôt)
  --root DOSSIER        simulation : écrit les fichiers sous DOSSIER et affiche les
                        commandes système au lieu de les lancer
  --build-venv          avec --root : construire quand même l'environnement Python
Relancer le script avec une nouvelle version la met à jour ; les réglages de la première
installation sont repris de /etc/pcsauvegarde/installation.conf.
EOF
}

SRC="$(cd "$HERE/.." && pwd)"
STATION="" PRINTER_URI="" PRINTER_PPD="" NO_PRINTER="" NO_KIOSK="" NTP="" BUILD_VENV=""
DEFAULT_PPD=/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd
while [ $# -gt 0 ]; do
    case "$1" in
        --station) STATION="${2:?--station ID}"; shift ;;
        --printer-uri) PRINTER_URI="${2:?--printer-uri URI}"; shift ;;
        --printer-ppd) PRINTER_PPD="${2:?--printer-ppd PPD}"; shift ;;
        --no-printer) NO_PRINTER=oui ;;
        --printer) NO_PRINTER=non ;;
        --no-kiosk) NO_KIOSK=oui ;;
        --kiosk) NO_KIOSK=non ;;
        --ntp) NTP="${2:?--ntp SERVEUR}"; shift ;;
        --source) SRC="$(cd "${2:?--source DOSSIER}" && pwd)"; shift ;;
        --root) ROOT="$(mkdir -p "${2:?--root DOSSIER}" && cd "$2" && pwd)"; shift ;;
        --build-venv) BUILD_VENV=oui ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "option inconnue : $1" ;;
    esac
    shift
done
need_root_unless_staging
STARTED=$(date +%s)

# --- Choices of the first install, kept for upgrades (options given now win) -------------
CONF="$ETC_DIR/installation.conf"
previous() {  # previous KEY: the value saved by the last run, "" when none
    [ -f "$ROOT$CONF" ] || return 0
    sed -n "s/^$1=//p" "$ROOT$CONF" | tail -n 1
}
[ -n "$STATION" ] || STATION="$(previous STATION)"
[ -n "$PRINTER_URI" ] || PRINTER_URI="$(previous PRINTER_URI)"
[ -n "$PRINTER_PPD" ] || PRINTER_PPD="$(previous PRINTER_PPD)"
[ -n "$PRINTER_PPD" ] || PRINTER_PPD="$DEFAULT_PPD"
[ -n "$NO_PRINTER" ] || NO_PRINTER="$(previous NO_PRINTER)"
[ -n "$NO_KIOSK" ] || NO_KIOSK="$(previous NO_KIOSK)"
[ -n "$NTP" ] || NTP="$(previous NTP)"
[ "$NO_PRINTER" != non ] || NO_PRINTER=""  # --printer / --kiosk undo a saved --no-…
[ "$NO_KIOSK" != non ] || NO_KIOSK=""
# What the system was before the first install, for uninstall.sh to put back: the boot target
# (the kiosk sets graphical.target) and whether nftables.service was enabled. An install made
# by an older release, which did not record them, can no longer know them: « inconnu ».
PREVIOUS_TARGET="$(previous PREVIOUS_TARGET)" NFT_ENABLED_BEFORE="$(previous NFT_ENABLED_BEFORE)"
if [ -f "$ROOT$CONF" ]; then
    [ -n "$PREVIOUS_TARGET" ] || PREVIOUS_TARGET=inconnu
    [ -n "$NFT_ENABLED_BEFORE" ] || NFT_ENABLED_BEFORE=inconnu
else
    if [ -z "$ROOT" ]; then
        PREVIOUS_TARGET="$(systemctl get-default 2>/dev/null || true)"
        if systemctl is-enabled --quiet nftables.service 2>/dev/null; then
            NFT_ENABLED_BEFORE=oui
        else
            NFT_ENABLED_BEFORE=non
        fi
    else  # a staging root: the links systemctl would read
        link="$(readlink "$ROOT/etc/systemd/system/default.target" 2>/dev/null || true)"
        PREVIOUS_TARGET="${link##*/}"
        NFT_ENABLED_BEFORE=non
        [ ! -e "$ROOT/etc/systemd/system/sysinit.target.wants/nftables.service" ] \
            || NFT_ENABLED_BEFORE=oui
    fi
    [ -n "$PREVIOUS_TARGET" ] || PREVIOUS_TARGET=graphical.target  # systemd's own default
fi
# --- Every option and precondition is checked here, before anything is changed ------------
case "$STATION" in
    *[!a-z0-9-]*) die "identifiant de station invalide « $STATION » (minuscules, chiffres, tirets)" ;;
esac
if [ ! -f "$ROOT$DATA_DIR/station.toml" ] && [ -z "$STATION" ]; then
    die "première installation : donner l'identifiant de la station (--station ID)" \
        "— rien n'a été modifié sur ce poste"
fi
# The default PPD comes with cups-filters (installed below); a PPD given by hand must exist.
if [ -z "$NO_PRINTER" ] && [ "$PRINTER_PPD" != everywhere ] && [ "$PRINTER_PPD" != "$DEFAULT_PPD" ] \
        && [ ! -f "$PRINTER_PPD" ]; then
    die "--printer-ppd : fichier « $PRINTER_PPD » introuvable (donner un fichier PPD ou « everywhere »)"
fi
case "$PRINTER_URI" in
    ""|*://*) ;;
    *) die "--printer-uri : adresse « $PRINTER_URI » invalide (attendu : usb://…, ipp://…, socket://… ; voir « lpinfo -v »)" ;;
esac
case "$NTP" in
    *[!A-Za-z0-9.:-]*) die "--ntp : serveur « $NTP » invalide (nom ou adresse IP attendu)" ;;
esac
[ -z "$BUILD_VENV" ] || [ -n "$ROOT" ] || die "--build-venv ne sert qu'avec --root DOSSIER"
if [ -z "$ROOT" ]; then
    command -v apt-get >/dev/null 2>&1 || die "apt-get introuvable : ce script installe sur Debian 12"
    command -v systemctl >/dev/null 2>&1 || die "systemctl introuvable : systemd est nécessaire"
fi

VERSION="$(sed -n 's/^version = "\(.*\)"$/\1/p' "$SRC/pyproject.toml" | head -n 1)"
[ -n "$VERSION" ] || die "$SRC/pyproject.toml : version introuvable (est-ce une version de pcsauvegarde ?)"
[ -f "$SRC/requirements.lock" ] || die "$SRC/requirements.lock introuvable"
# The release id changes with the code or the pinned dependencies, never with the time.
DIGEST="$(cd "$SRC" && find pcsauvegarde pyproject.toml requirements.lock -type f \
    ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z \
    | xargs -0 sha256sum | sha256sum | cut -c 1-12)"
RELEASE="$VERSION-$DIGEST"
say "pcsauvegarde $RELEASE : installation${ROOT:+ simulée dans $ROOT}"

# --- Checks that only warn: the OS, the disk encryption ---------------------------------
if ! grep -qs '^VERSION_ID="12"' /etc/os-release; then
    warn "ce système n'est pas Debian 12 : installation non testée ici"
fi
root_dev="$(findmnt -n -o SOURCE / 2>/dev/null || true)"
if [ -z "$root_dev" ] || ! lsblk -n -r -s -o TYPE "$root_dev" 2>/dev/null | grep -qx crypt; then
    warn "la racine (/) n'est pas sur un volume chiffré (dm-crypt/LUKS). Les données des" \
         "patients seraient lisibles sur un disque volé : réinstaller le poste avec" \
         "chiffrement complet du disque (docs/installation.md, « Chiffrement du disque »)."
fi

# --- Debian packages ----------------------------------------------------------------------
PKGS="python3 python3-venv cups cups-client cups-filters fonts-dejavu-core nftables"
[ -n "$NO_KIOSK" ] || PKGS="$PKGS cage chromium"
CHRONY=""
if [ -z "$ROOT" ] && dpkg -s chrony >/dev/null 2>&1; then CHRONY=oui; fi
[ -n "$CHRONY" ] || PKGS="$PKGS systemd-timesyncd"
# shellcheck disable=SC2086 # one word per package
run apt-get install -y --no-install-recommends $PKGS

# --- Users and folders --------------------------------------------------------------------
if ! user_exists "$SERVICE_USER"; then
    run useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "PC de sauvegarde" "$SERVICE_USER"
fi
make_dir() {  # make_dir PATH MODE OWNER: created, mode and owner set (again) every run
    mkdir -p "$ROOT$1"
    chmod "$2" "$ROOT$1"
    run chown "$3" "$1"
}
make_dir "$DATA_DIR" 0700 "$SERVICE_USER:$SERVICE_USER"
make_dir "$ETC_DIR" 0755 root:root
make_dir "$OPT_DIR" 0755 root:root

# --- The release: one virtualenv per release, /opt/pcsauvegarde/venv points to the current
build() {  # a build step: run for real, also in a staging root with --build-venv
    if [ -n "$ROOT" ] && [ -z "$BUILD_VENV" ]; then
        printf '[simulation] %s\n' "$*"
    else
        "$@"
    fi
}
REL_DIR="$OPT_DIR/releases/$RELEASE"
if [ -f "$ROOT$REL_DIR/.complete" ]; then
    say "version $RELEASE déjà construite : $REL_DIR"
else
    if [ -z "$ROOT" ] || [ -n "$BUILD_VENV" ]; then rm -rf "$ROOT$REL_DIR"; fi  # cut short
    say "construction de l'environnement Python $REL_DIR (requirements.lock)"
    # pip builds in the tree it is given: build from a copy, never in the release folder.
    STAGE="$(mktemp -d)"
    trap 'rm -rf "$STAGE"' EXIT
    for f in pyproject.toml README.md LICENSE pcsauvegarde; do
        [ ! -e "$SRC/$f" ] || cp -R "$SRC/$f" "$STAGE/"
    done
    build python3 -m venv "$ROOT$REL_DIR"
    build "$ROOT$REL_DIR/bin/pip" install --quiet -r "$SRC/requirements.lock"
    build "$ROOT$REL_DIR/bin/pip" install --quiet --no-deps "$STAGE"
    build "$ROOT$REL_DIR/bin/pcsauvegarde" --help > /dev/null  # the release starts
    if [ -z "$ROOT" ] || [ -n "$BUILD_VENV" ]; then
        printf '%s\n' "$RELEASE" > "$ROOT$REL_DIR/.complete"
    fi
fi
OLD_RELEASE="$(readlink "$ROOT$OPT_DIR/venv" 2>/dev/null || true)"
NEW_RELEASE="releases/$RELEASE"
RESTART=""
if [ "$OLD_RELEASE" != "$NEW_RELEASE" ]; then
    ln -s "$NEW_RELEASE" "$ROOT$OPT_DIR/venv.new"
    mv -T "$ROOT$OPT_DIR/venv.new" "$ROOT$OPT_DIR/venv"
    say "version en service : $RELEASE${OLD_RELEASE:+ (avant : ${OLD_RELEASE#releases/})}"
    RESTART=oui
fi
# Keep the current release and the one before (to go back by hand), remove older ones.
for old in "$ROOT$OPT_DIR"/releases/*; do
    [ -d "$old" ] || continue
    case "releases/${old##*/}" in
        "$NEW_RELEASE"|"$OLD_RELEASE") ;;
        *) remove "${old#"$ROOT"}" ;;
    esac
done
mkdir -p "$ROOT$OPT_DIR/docs" "$ROOT$OPT_DIR/install"
[ ! -f "$SRC/docs/installation.md" ] || copy "$SRC/docs/installation.md" "$OPT_DIR/docs/installation.md" 0644
copy "$HERE/uninstall.sh" "$OPT_DIR/install/uninstall.sh" 0755
copy "$HERE/lib.sh" "$OPT_DIR/install/lib.sh" 0644

# --- Configuration -------------------------------------------------------------------------
put "$CONF" 0644 <<EOF
# Choix de l'installation, relus quand install.sh est relancé (mise à jour).
STATION=$STATION
PRINTER_URI=$PRINTER_URI
PRINTER_PPD=$PRINTER_PPD
NO_PRINTER=$NO_PRINTER
NO_KIOSK=$NO_KIOSK
NTP=$NTP
RELEASE=$RELEASE
# Avant la première installation (remis par uninstall.sh) :
PREVIOUS_TARGET=$PREVIOUS_TARGET
NFT_ENABLED_BEFORE=$NFT_ENABLED_BEFORE
EOF
put "$ETC_DIR/pcsauvegarde.env" 0644 <<EOF
# Environnement du service pcsauvegarde (systemd EnvironmentFile).
PCSAUVEGARDE_DATA=$DATA_DIR
EOF
[ "$CHANGED" = 0 ] || RESTART=oui
copy "$HERE/files/wrapper.sh" /usr/local/bin/pcsauvegarde 0755
# Logs: the journal, bounded (the file and logrotate of earlier releases are no longer used).
copy "$HERE/files/journald.conf" /etc/systemd/journald.conf.d/pcsauvegarde.conf 0644
[ "$CHANGED" = 0 ] || run systemctl restart systemd-journald.service
remove /etc/logrotate.d/pcsauvegarde
if [ -d "$ROOT$LOG_DIR" ]; then
    say "anciens journaux gardés : $LOG_DIR (plus écrits ; le journal est maintenant :" \
        "journalctl -u pcsauvegarde)"
fi

# --- systemd units -------------------------------------------------------------------------
copy "$HERE/files/pcsauvegarde.service" "$UNIT_DIR/pcsauvegarde.service" 0644
[ "$CHANGED" = 0 ] || { CHANGED_UNITS=1; RESTART=oui; }
if [ -z "$NO_KIOSK" ]; then
    copy "$HERE/files/pcsauvegarde-kiosque.service" "$UNIT_DIR/pcsauvegarde-kiosque.service" 0644
    [ "$CHANGED" = 0 ] || CHANGED_UNITS=1
    copy "$HERE/files/pam-kiosque" /etc/pam.d/pcsauvegarde-kiosque 0644
    copy "$HERE/files/chromium-policy.json" /etc/chromium/policies/managed/pcsauvegarde.json 0644
elif [ -e "$ROOT$UNIT_DIR/pcsauvegarde-kiosque.service" ]; then
    run systemctl stop pcsauvegarde-kiosque.service
    run systemctl disable pcsauvegarde-kiosque.service
    remove "$UNIT_DIR/pcsauvegarde-kiosque.service"
    remove /etc/pam.d/pcsauvegarde-kiosque
    remove /etc/chromium/policies/managed/pcsauvegarde.json
    CHANGED_UNITS=1
fi
[ "$CHANGED_UNITS" = 0 ] || run systemctl daemon-reload

# --- Firewall: nothing inbound -------------------------------------------------------------
if [ -f "$ROOT$NFT_CONF" ] && ! grep -q 'table inet pcsauvegarde' "$ROOT$NFT_CONF" \
        && [ ! -e "$ROOT$NFT_BACKUP" ]; then
    cp -p "$ROOT$NFT_CONF" "$ROOT$NFT_BACKUP"
    say "pare-feu précédent gardé : $NFT_BACKUP"
fi
copy "$HERE/files/nftables.conf" "$NFT_CONF" 0755
run nft -c -f "$NFT_CONF"
run systemctl enable nftables.service
run nft -f "$NFT_CONF"

# --- Time: the station dates every print and judges data age by its clock ------------------
if [ -n "$NTP" ]; then
    if [ -n "$CHRONY" ]; then
        put /etc/chrony/sources.d/pcsauvegarde.sources 0644 <<EOF
# Serveur de temps de l'établissement (install.sh --ntp)
server $NTP iburst
EOF
        [ "$CHANGED" = 0 ] || run chronyc reload sources
    else
        put /etc/systemd/timesyncd.conf.d/pcsauvegarde.conf 0644 <<EOF
# Serveur de temps de l'établissement (install.sh --ntp)
[Time]
NTP=$NTP
EOF
        run systemctl enable systemd-timesyncd.service
        [ "$CHANGED" = 0 ] || run systemctl restart systemd-timesyncd.service
    fi
else
    warn "aucun serveur de temps (--ntp) : l'horloge du poste doit être synchronisée" \
         "(docs/installation.md, « Heure »)"
fi

# --- The station: data dir and keys, created once, as the service user ---------------------
AS_STATION="runuser -u $SERVICE_USER -- env PCSAUVEGARDE_DATA=$DATA_DIR $OPT_DIR/venv/bin/pcsauvegarde"
if [ ! -f "$ROOT$DATA_DIR/station.toml" ]; then
    # shellcheck disable=SC2086 # AS_STATION is a command line of fixed words
    run $AS_STATION init --data "$DATA_DIR" --station "$STATION"
else
    say "station existante gardée : $DATA_DIR (données, clés, journaux non modifiés)"
fi
# shellcheck disable=SC2086
run $AS_STATION keys --data "$DATA_DIR"

# --- Printer: a local CUPS queue for the USB printer ---------------------------------------
# enable then start, not `enable --now`: the same lines also work in a chroot (tests)
run systemctl enable cups.service
run systemctl start cups.service
if [ -z "$NO_PRINTER" ]; then
    if [ -z "$PRINTER_URI" ] && [ -z "$ROOT" ]; then
        usb="$(lpinfo --include-schemes usb -v 2>/dev/null | sed -n 's/^direct //p')"
        if [ "$(printf '%s' "$usb" | grep -c .)" = 1 ]; then PRINTER_URI="$usb"; fi
    fi
    if [ -z "$PRINTER_URI" ]; then
        warn "aucune imprimante USB trouvée (ou plusieurs) : brancher l'imprimante puis" \
             "relancer avec --printer-uri URI (voir « lpinfo -v »)"
    else
        if [ "$PRINTER_PPD" = everywhere ]; then model="-m everywhere"; else model="-P $PRINTER_PPD"; fi
        # shellcheck disable=SC2086 # model is two words on purpose
        run lpadmin -p "$QUEUE" -E -v "$PRINTER_URI" $model \
            -o media=A4 -o sides=one-sided -o printer-error-policy=retry-job
        run lpadmin -d "$QUEUE"
        run cupsenable "$QUEUE"
        run cupsaccept "$QUEUE"
        toml="$DATA_DIR/station.toml"
        if [ -f "$ROOT$toml" ] && grep -q '^printer *=' "$ROOT$toml"; then
            say "imprimante de la station : $(sed -n 's/^printer *= *//p' "$ROOT$toml") (réglage gardé)"
        else
            run runuser -u "$SERVICE_USER" -- sed -i "1i printer = \"cups:$QUEUE\"" "$toml"
        fi
    fi
fi

# --- Kiosk ---------------------------------------------------------------------------------
if [ -z "$NO_KIOSK" ]; then
    if ! user_exists "$KIOSK_USER"; then
        # Screen and input devices come with the logind session; these groups are a fallback,
        # taken only where they exist (useradd refuses an unknown group).
        groups=""
        for g in video render input; do
            if [ -n "$ROOT" ] || getent group "$g" >/dev/null; then groups="$groups${groups:+,}$g"; fi
        done
        run useradd --system --user-group --create-home --home-dir "$KIOSK_HOME" \
            --shell /usr/sbin/nologin ${groups:+--groups "$groups"} \
            --comment "PC de sauvegarde (kiosque)" "$KIOSK_USER"
    fi
    # The exports the admin downloads (patient data): the kiosk user's only, 0700.
    make_dir "$KIOSK_EXPORTS" 0700 "$KIOSK_USER:$KIOSK_USER"
    run systemctl set-default graphical.target
    run systemctl enable pcsauvegarde-kiosque.service
fi

# --- Start, or restart on a new release / changed unit -------------------------------------
run systemctl enable pcsauvegarde.service
# The station refuses to start without a pinned publisher key: until IT has placed one, the
# service is enabled but not started (it would fail and restart every 5 s).
toml="$ROOT$DATA_DIR/station.toml"
if [ ! -f "$ROOT$DATA_DIR/keys/publisher.pub" ] \
        && ! { [ -f "$toml" ] && grep -q '^publisher_keys *=' "$toml"; }; then
    warn "service activé mais pas démarré : aucune clé publique d'émetteur épinglée." \
         "Déposer la clé de l'émetteur dans $DATA_DIR/keys/publisher.pub (propriétaire" \
         "$SERVICE_USER, mode 0600), puis : systemctl start pcsauvegarde"
elif [ -n "$RESTART" ]; then
    run systemctl restart pcsauvegarde.service
    [ -n "$NO_KIOSK" ] || run systemctl start pcsauvegarde-kiosque.service
else
    run systemctl start pcsauvegarde.service
    [ -n "$NO_KIOSK" ] || run systemctl start pcsauvegarde-kiosque.service
fi

say "Installation terminée en $(( $(date +%s) - STARTED )) s : pcsauvegarde $RELEASE."
say "Suite (docs/installation.md, 4.2) : déposer la clé publique de l'émetteur dans"
say "$DATA_DIR/keys/publisher.pub, déclarer le point de dépôt ([[sources]], heartbeat = true) et"
say "ipp_assigning_authority dans $DATA_DIR/station.toml, créer un compte administrateur"
say "(pcsauvegarde users add admin --role admin --unit '*'), démarrer (systemctl start pcsauvegarde) puis vérifier : pcsauvegarde doctor"
