# Shared by install.sh and uninstall.sh (sourced, POSIX sh): the staging root, how a system
# command is run (or only printed), how a file is written idempotently, French messages.
# shellcheck shell=sh disable=SC2034 # the variables are used by the scripts sourcing this

# Paths on the installed system; every write goes under $ROOT ("" on a real install).
DATA_DIR=/var/lib/pcsauvegarde
LOG_DIR=/var/log/pcsauvegarde
ETC_DIR=/etc/pcsauvegarde
OPT_DIR=/opt/pcsauvegarde
UNIT_DIR=/etc/systemd/system
SERVICE_USER=pcsauvegarde
KIOSK_USER=pcsauvegarde-kiosque
KIOSK_HOME=/var/lib/pcsauvegarde-kiosque
# Where the kiosk's Chromium saves downloads (DownloadDirectory in chromium-policy.json).
KIOSK_EXPORTS=$KIOSK_HOME/exports
QUEUE=PCSAUVEGARDE
NFT_CONF=/etc/nftables.conf
NFT_BACKUP=/etc/nftables.conf.avant-pcsauvegarde
ROOT=""
CHANGED_UNITS=0

say() { printf '%s\n' "$*"; }
warn() { printf 'ATTENTION : %s\n' "$*" >&2; }
die() { printf 'ERREUR : %s\n' "$*" >&2; exit 1; }

# A system command: run it, or in a staging root only print it (tests read these lines).
run() {
    if [ -n "$ROOT" ]; then
        printf '[simulation] %s\n' "$*"
    else
        "$@"
    fi
}

# put DEST MODE < content: writes $ROOT$DEST only when its content or mode differs, so that
# a second run changes nothing; prints what it did. Sets CHANGED=1 when it wrote.
put() {
    dest="$ROOT$1"
    mode="$2"
    tmp="$(mktemp)"
    cat > "$tmp"
    mkdir -p "$(dirname "$dest")"
    CHANGED=0
    if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
        rm -f "$tmp"
    else
        mv "$tmp" "$dest"
        CHANGED=1
        say "écrit : $1"
    fi
    chmod "$mode" "$dest"
}

# copy SRC DEST MODE: put with a file of this repository as content.
copy() {
    put "$2" "$3" < "$1"
}

# remove PATH: deletes a file or folder under $ROOT, saying so (nothing when already gone).
remove() {
    if [ -e "$ROOT$1" ] || [ -L "$ROOT$1" ]; then
        rm -rf -- "$ROOT$1"
        say "supprimé : $1"
    fi
}

# Does a system user exist? In a staging root, the root's own /etc/passwd answers.
user_exists() {
    if [ -n "$ROOT" ]; then
        grep -q "^$1:" "$ROOT/etc/passwd" 2>/dev/null
    else
        getent passwd "$1" >/dev/null 2>&1
    fi
}

# Needs root on a real install; a staging root needs nothing.
need_root_unless_staging() {
    if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then
        die "à lancer en root (sudo), ou avec --root DOSSIER pour une simulation"
    fi
}
