#!/usr/bin/env bash
# CPU the capture agent spends per 100,000 packets (decode, flow table, Avro, Kafka producer with
# lz4), replaying a capture as fast as it can into a local broker, next to two tools reading the
# same packets in the same run: tcpdump (libpcap reading only, a floor) and nDPI's ndpiReader
# (decoding and DPI, no output to a broker).
#
#   bench/agent-cpu.sh [capture] [copies]
#
# The capture is concatenated [copies] times (mergecap -a) to give enough packets. Needs GNU time,
# mergecap (wireshark-common), tcpdump and ndpiReader (libndpi-bin).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PCAP="${1:-$ROOT/testdata/pcap/flowtap-sample.pcap}"
COPIES="${2:-50}"
OUT="$(mktemp -d /tmp/flowtap-agent-bench.XXXXXX)"
trap 'kill "${KAFKA_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$OUT"' EXIT

files=(); for _ in $(seq "$COPIES"); do files+=("$PCAP"); done
mergecap -a -F pcap -w "$OUT/big.pcap" "${files[@]}"
packets=$(capinfos -c -M "$OUT/big.pcap" | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')

"$ROOT/bin/flowtap" --help >/dev/null  # build once, outside the measurement
"$ROOT/bin/flowtap" local-kafka >"$OUT/bootstrap" 2>"$OUT/kafka.err" &
KAFKA_PID=$!
for _ in $(seq 120); do [[ -s "$OUT/bootstrap" ]] && break; sleep 1; done
BOOTSTRAP="$(head -n 1 "$OUT/bootstrap")"

measure() { # name, command...
  local name="$1"; shift
  /usr/bin/time -f "%U %S %M %e" -o "$OUT/time" "$@" >"$OUT/stdout" 2>"$OUT/stderr" || {
    echo "$name failed:" >&2; tail -5 "$OUT/stderr" >&2; return 1; }
  read -r user sys rss wall < "$OUT/time"
  awk -v n="$name" -v u="$user" -v s="$sys" -v r="$rss" -v w="$wall" -v p="$packets" 'BEGIN {
    cpu = u + s;
    printf "| %s | %d | %.2f | %.2f | %.2f | %.0f |\n", n, p, w, cpu, cpu * 100000 / p, r / 1024 }'
}

echo "| tool | packets | wall s | CPU s | CPU s per 100k packets | peak RSS MiB |"
echo "|---|---|---|---|---|---|"
measure "flowtap agent (into Kafka)" "$ROOT/bin/flowtap" agent --kafka "$BOOTSTRAP" \
  --agent-id bench --replay "$OUT/big.pcap" --speed 0 --quiet
measure "flowtap agent, --coalesce-delay 50" "$ROOT/bin/flowtap" agent --kafka "$BOOTSTRAP" \
  --agent-id bench-50 --replay "$OUT/big.pcap" --speed 0 --coalesce-delay 50 --quiet
measure "flowtap agent, an event per packet" "$ROOT/bin/flowtap" agent --kafka "$BOOTSTRAP" \
  --agent-id bench-p --replay "$OUT/big.pcap" --speed 0 --coalesce-packets 1 --quiet
editcap -r "$OUT/big.pcap" "$OUT/one.pcap" 1
packets_all=$packets; packets=1
measure "flowtap agent, 1 packet (fixed cost)" "$ROOT/bin/flowtap" agent --kafka "$BOOTSTRAP" \
  --agent-id bench-1 --replay "$OUT/one.pcap" --speed 0 --quiet
packets=$packets_all
measure "tcpdump -r (read only)" tcpdump -r "$OUT/big.pcap" -w /dev/null
if command -v ndpiReader >/dev/null; then
  measure "ndpiReader (decode + DPI)" ndpiReader -i "$OUT/big.pcap" -q
fi
