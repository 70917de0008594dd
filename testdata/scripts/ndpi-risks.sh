#!/usr/bin/env bash
# Lists the flows nDPI's ndpiReader (Debian's libndpi-bin) finds risks in: protocol, client
# address and port, server address and port, hostname or SNI, and the risks, tab-separated.
# Usage: ndpi-risks.sh <capture> > <capture>.ndpi-risks.tsv
set -euo pipefail
echo -e "proto\tclient\tclient_port\tserver\tserver_port\thostname\trisks"
ndpiReader -i "$1" -v 2 2>/dev/null | sed -n 's/^\t[0-9]*\t\(TCP\|UDP\) \([0-9.]*\):\([0-9]*\) <-> \([0-9.]*\):\([0-9]*\) .*/&/p' \
  | grep '\[Risk: ' | sed -E 's/^\t[0-9]+\t(TCP|UDP) ([0-9.]+):([0-9]+) <-> ([0-9.]+):([0-9]+) (.*)$/\1\t\2\t\3\t\4\t\5\t\6/' \
  | awk -F'\t' 'BEGIN { OFS = "\t" } {
      host = ""; if (match($6, /\[Hostname\/SNI: [^]]*\]/)) host = substr($6, RSTART + 15, RLENGTH - 16);
      risk = ""; if (match($6, /\[Risk: [^]]*\]/)) risk = substr($6, RSTART + 7, RLENGTH - 8);
      n = split(risk, parts, /\*\*/); risks = "";
      for (i = 1; i <= n; i++) { r = parts[i]; gsub(/^ +| +$/, "", r);
        if (r != "") risks = risks (risks == "" ? "" : ";") r }
      print $1, $2, $3, $4, $5, host, risks }'
