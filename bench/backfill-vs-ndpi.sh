#!/usr/bin/env bash
# End-to-end backfill throughput of Flowtap next to nDPI's ndpiReader on the same capture, in
# the same run. Reports CPU seconds, packets per CPU second and peak RSS for each.
#
#   bench/backfill-vs-ndpi.sh <capture.pcap> [parallelism...]
#
# Needs GNU time (/usr/bin/time) and ndpiReader (Debian package libndpi-bin).
set -euo pipefail
PCAP="${1:?usage: backfill-vs-ndpi.sh <capture.pcap> [parallelism...]}"
shift
PARALLELISMS=("${@:-1 2}")
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mktemp -d /tmp/flowtap-bench.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

packets=$(capinfos -c -M "$PCAP" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
[[ -n "$packets" ]] || packets=$(tcpdump -r "$PCAP" 2>/dev/null | wc -l)

measure() { # name, command...; $packets is the packet count
  local name="$1"; shift
  /usr/bin/time -f "%U %S %M %e" -o "$OUT/time" "$@" >"$OUT/stdout" 2>"$OUT/stderr"
  read -r user sys rss wall < "$OUT/time"
  awk -v n="$name" -v u="$user" -v s="$sys" -v r="$rss" -v w="$wall" -v p="$packets" 'BEGIN {
    cpu = u + s;
    printf "| %s | %d | %.2f | %.2f | %.0f | %.0f |\n", n, p, w, cpu, p / cpu, r / 1024 }'
}

"$ROOT/bin/flowtap" --help >/dev/null  # build once, outside the measurement
echo "| tool | packets | wall s | CPU s | packets per CPU s | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
for p in ${PARALLELISMS[@]}; do
  rm -rf "$OUT/flowtap"
  measure "flowtap backfill, parallelism $p" \
    "$ROOT/bin/flowtap" backfill --pcap "$PCAP" --out "$OUT/flowtap" --parallelism "$p" --quiet
done
# The fixed cost of starting a JVM and an embedded Flink cluster, on a one-packet capture.
editcap -r "$PCAP" "$OUT/one.pcap" 1 >/dev/null 2>&1
packets=1 measure "flowtap backfill, 1 packet (fixed cost)" \
  "$ROOT/bin/flowtap" backfill --pcap "$OUT/one.pcap" --out "$OUT/one" --parallelism 1 --quiet
version=$(dpkg-query -W -f '${Version}' libndpi-bin 2>/dev/null || echo "?")
measure "ndpiReader (libndpi-bin $version)" ndpiReader -i "$PCAP" -q
