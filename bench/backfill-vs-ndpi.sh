#!/usr/bin/env bash
# End-to-end backfill throughput of Flowtap next to nDPI's ndpiReader on the same capture, in
# the same run. Reports CPU seconds, packets and flows per CPU second and peak RSS for each, the
# ratio of packets per CPU second, and the state Flowtap keeps per flow.
#
#   bench/backfill-vs-ndpi.sh <capture.pcap> [parallelism...]
#
# Needs GNU time (/usr/bin/time), capinfos or tcpdump, and ndpiReader (Debian package
# libndpi-bin).
set -euo pipefail
PCAP="${1:?usage: backfill-vs-ndpi.sh <capture.pcap> [parallelism...]}"
shift
PARALLELISMS=("${@:-1 2}")
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mktemp -d /tmp/flowtap-bench.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

packets=$(capinfos -c -M "$PCAP" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
[[ -n "$packets" ]] || packets=$(tcpdump -r "$PCAP" 2>/dev/null | wc -l)

measure() { # name, command...; $packets is the packet count, flows are read from the output
  local name="$1"; shift
  /usr/bin/time -f "%U %S %M %e" -o "$OUT/time" "$@" >"$OUT/stdout" 2>"$OUT/stderr"
  read -r user sys rss wall < "$OUT/time"
  # Flowtap's summary line ("..., 200,126 flows, ...") or ndpiReader's "Unique flows:" line.
  local flows
  flows=$(sed -n -e 's/.* \([0-9,]*\) flows,.*/\1/p' "$OUT/stderr" | tr -d , | head -n 1)
  [[ -n "$flows" ]] || flows=$(sed -n -e 's/.*Unique flows: *\([0-9]*\).*/\1/p' "$OUT/stdout" \
    | head -n 1)
  awk -v n="$name" -v u="$user" -v s="$sys" -v r="$rss" -v w="$wall" -v p="$packets" \
    -v f="${flows:-0}" 'BEGIN {
    cpu = u + s;
    printf "| %s | %d | %d | %.2f | %.2f | %.0f | %.0f | %.0f |\n", n, p, f, w, cpu, p / cpu,
      f / cpu, r / 1024 }'
  echo "$user $sys" > "$OUT/cpu.$name"
}

# Build once and make the class-data archive (bin/flowtap) outside the measurement.
editcap -r "$PCAP" "$OUT/one.pcap" 1 >/dev/null 2>&1
"$ROOT/bin/flowtap" backfill --pcap "$OUT/one.pcap" --out "$OUT/warm" --quiet 2>/dev/null
echo "| tool | packets | flows | wall s | CPU s | packets per CPU s | flows per CPU s | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|"
for p in ${PARALLELISMS[@]}; do
  rm -rf "$OUT/flowtap"
  measure "flowtap backfill, parallelism $p" \
    "$ROOT/bin/flowtap" backfill --pcap "$PCAP" --out "$OUT/flowtap" --parallelism "$p" --quiet
done
# The fixed cost of starting a JVM and an embedded Flink cluster, on a one-packet capture.
packets=1 measure "flowtap backfill, 1 packet (fixed cost)" \
  "$ROOT/bin/flowtap" backfill --pcap "$OUT/one.pcap" --out "$OUT/one" --parallelism 1 --quiet
version=$(dpkg-query -W -f '${Version}' libndpi-bin 2>/dev/null || echo "?")
# Its summary (flow count, memory per flow) costs nothing measurable beside the reading.
measure "ndpiReader (libndpi-bin $version)" ndpiReader -i "$PCAP"
grep -E "Flow Memory \(per flow\)" "$OUT/stdout" | sed 's/^[[:space:]]*/ndpiReader: /' > "$OUT/ndpi-memory"

first="flowtap backfill, parallelism ${PARALLELISMS[0]}"
read -r fu fs < "$OUT/cpu.$first"
read -r nu ns < "$OUT/cpu.ndpiReader (libndpi-bin $version)"
awk -v f="$fu $fs" -v n="$nu $ns" 'BEGIN { split(f, a); split(n, b);
  printf "\nratio of packets per CPU second, flowtap (first parallelism) to ndpiReader: %.2f\n",
    (b[1] + b[2]) / (a[1] + a[2]) }'

# What the flow tracker holds per flow, after the capture's last packet.
JOBS="$ROOT/flink-jobs/target"
JAR="$(ls "$JOBS"/flowtap-flink-jobs-*.jar | grep -v -e sources -e tests | head -n 1)"
echo
java -Xmx4g -XX:+UseParallelGC -cp "$JAR:$JOBS/lib/*" io.flowtap.bench.StateSize "$PCAP" 2>/dev/null
cat "$OUT/ndpi-memory"
