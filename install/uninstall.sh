#!/bin/sh
# shellcheck source-path=SCRIPTDIR
# Removes what install.sh installed (services, code, configuration, kiosk, printer queue,
# firewall) and leaves the station's data, keys and logs, saying where they are and how to
# wipe them. `--root DIR` works on a staging root and only prints the system commands.
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT="$(cd "${2:?--root DOSSIER}" && pwd)"; shift ;;
        -h|--help) say "Usage : uninstall.sh [--root DOSSIER]"; exit 0 ;;
        *) die "option inconnue : $1 (usage : uninstall.sh [--root DOSSIER])" ;;
    esac
    shift
done
need_root_unless_staging
say "Désinstallation de pcsauvegarde${ROOT:+ (simulation dans $ROOT)}"

# Services first: nothing may run from the files removed below.
if [ -e "$ROOT$UNIT_DIR/pcsauvegarde-kiosque.service" ]; then
    run systemctl stop pcsauvegarde-kiosque.service
    run systemctl disable pcsauvegarde-kiosque.service
fi
if [ -e "$ROOT$UNIT_DIR/pcsauvegarde.service" ]; then
    run systemctl stop pcsauvegarde.service
    run systemctl disable pcsauvegarde.service
fi
remove "$UNIT_DIR/pcsauvegarde-kiosque.service"
remove "$UNIT_DIR/pcsauvegarde.service"
run systemctl daemon-reload

# The printer queue (the printer itself and CUPS stay).
if [ -n "$ROOT" ] || lpstat -p "$QUEUE" >/dev/null 2>&1; then
    run lpadmin -x "$QUEUE"
fi

# The kiosk user and its home (a browser profile could hold pages of the station).
if [ -n "$ROOT" ] || user_exists "$KIOSK_USER"; then
    run userdel --remove "$KIOSK_USER"
fi
remove "$KIOSK_HOME"

# The boot target and nftables.service as they were before the first install, when known.
CONF="$ROOT$ETC_DIR/installation.conf"
before() { [ ! -f "$CONF" ] || sed -n "s/^$1=//p" "$CONF" | tail -n 1; }
PREVIOUS_TARGET="$(before PREVIOUS_TARGET)" NFT_ENABLED_BEFORE="$(before NFT_ENABLED_BEFORE)"
LEFT_AS_IS=""
case "$PREVIOUS_TARGET" in
    ""|inconnu)
        LEFT_AS_IS="la cible de démarrage (graphical.target si le kiosque était installé ;"
        LEFT_AS_IS="$LEFT_AS_IS pour revenir à la console : systemctl set-default multi-user.target)" ;;
    *)
        run systemctl set-default "$PREVIOUS_TARGET"
        say "cible de démarrage d'avant l'installation remise : $PREVIOUS_TARGET" ;;
esac
case "$NFT_ENABLED_BEFORE" in
    non) run systemctl disable nftables.service
         say "nftables.service désactivé, comme avant l'installation" ;;
    oui) ;;
    *) LEFT_AS_IS="${LEFT_AS_IS:+$LEFT_AS_IS ; }nftables.service reste activé au démarrage"
       LEFT_AS_IS="$LEFT_AS_IS (systemctl disable nftables.service s'il ne l'était pas avant)" ;;
esac

# The firewall: the one before the install, when there was one.
if [ -e "$ROOT$NFT_BACKUP" ]; then
    mv "$ROOT$NFT_BACKUP" "$ROOT$NFT_CONF"
    say "pare-feu d'avant l'installation remis : $NFT_CONF"
    run nft -f "$NFT_CONF"
elif [ -e "$ROOT$NFT_CONF" ] && grep -q 'table inet pcsauvegarde' "$ROOT$NFT_CONF"; then
    remove "$NFT_CONF"
    run nft delete table inet pcsauvegarde
    say "ATTENTION : plus aucun pare-feu n'est chargé ; en remettre un avant de rebrancher le poste."
fi

remove /etc/pam.d/pcsauvegarde-kiosque
remove /etc/chromium/policies/managed/pcsauvegarde.json
remove /etc/logrotate.d/pcsauvegarde
if [ -e "$ROOT/etc/systemd/journald.conf.d/pcsauvegarde.conf" ]; then
    remove /etc/systemd/journald.conf.d/pcsauvegarde.conf
    run systemctl restart systemd-journald.service
fi
remove /etc/systemd/timesyncd.conf.d/pcsauvegarde.conf
remove /etc/chrony/sources.d/pcsauvegarde.sources
remove /usr/local/bin/pcsauvegarde
remove "$ETC_DIR"
remove "$OPT_DIR"

cat <<EOF

pcsauvegarde est désinstallé. Restent sur ce poste, volontairement :
  - $DATA_DIR : les données de la station (instantanés des patients, paquets reçus,
    quarantaine), ses clés ($DATA_DIR/keys : clé de déchiffrement et clé de signature
    des signaux de vie), le journal d'audit, le journal des documents émis et les PDF
    imprimés. Ils sont nécessaires à la reprise des données et à une réinstallation.
  - le journal du service dans le journal système (journalctl -u pcsauvegarde), effacé
    au fil de sa rotation, et $LOG_DIR s'il existe (journaux des anciennes versions).
  - l'utilisateur système « $SERVICE_USER », propriétaire de ces dossiers ;
  - les paquets Debian installés (cups, chromium, cage, nftables…).${LEFT_AS_IS:+
  - non connus de cette installation (faite par une version plus ancienne), donc laissés :
    $LEFT_AS_IS.}

Avant d'effacer : vérifier que tout ce qui a été émis sur papier a été ressaisi (journal
des documents émis par la station) et exporter les admissions provisoires
(pcsauvegarde admissions export).

Pour tout effacer (irréversible) :
  rm -rf --one-file-system $DATA_DIR $LOG_DIR
  userdel $SERVICE_USER
Sur un disque SSD, l'effacement de fichiers ne garantit pas la destruction des données :
pour un poste réformé, détruire la clé du volume chiffré (cryptsetup luksErase sur la
partition LUKS) puis réinitialiser le disque.
EOF
