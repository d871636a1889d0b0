#!/bin/sh
# Build a pcsauvegarde package with only gzip, age and minisign (see docs/package-format.md).
# Usage: make-package.sh PLAINTEXT.ndjson STATION DOMAIN KIND SEQUENCE RECIPIENTS.txt SECRET.key OUT_DIR
#   PLAINTEXT.ndjson  line 1 = manifest, other lines = records (UTF-8)
#   RECIPIENTS.txt    one age1... public key per line (every station that may open the package)
#   SECRET.key        the publisher's minisign secret key (made with "minisign -G -W")
set -eu
plain=$1 station=$2 domain=$3 kind=$4 sequence=$5 recipients=$6 seckey=$7 out=$8
name="$station.$domain.$kind.$(printf '%010d' "$sequence").age"
comment="file:$name station:$station domain:$domain kind:$kind sequence:$sequence"
# Temporary names start with a dot: stations only read files that match the naming rule.
gzip -c -n "$plain" | age -R "$recipients" -o "$out/.$name.tmp"
minisign -S -s "$seckey" -m "$out/.$name.tmp" -x "$out/.$name.minisig.tmp" -t "$comment"
sync "$out/.$name.tmp" "$out/.$name.minisig.tmp"  # on disk before they appear
# Signature first, then the package: a reader that sees the .age always finds its .minisig.
mv "$out/.$name.minisig.tmp" "$out/$name.minisig"
mv "$out/.$name.tmp" "$out/$name"
echo "$out/$name"
