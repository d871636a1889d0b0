#!/bin/sh
# pcsauvegarde for the IT team (installed by install/install.sh as /usr/local/bin/pcsauvegarde):
# runs the command as the station's user, on the installed data dir, so that a command typed
# as root never leaves root-owned files in the station's data.
set -eu
PCSAUVEGARDE_DATA=/var/lib/pcsauvegarde
export PCSAUVEGARDE_DATA
if [ "$(id -u)" = 0 ]; then
    exec runuser -u pcsauvegarde -- /opt/pcsauvegarde/venv/bin/pcsauvegarde "$@"
fi
exec /opt/pcsauvegarde/venv/bin/pcsauvegarde "$@"
