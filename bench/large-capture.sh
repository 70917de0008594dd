#!/usr/bin/env bash
# Makes the benchmark capture: copies of the project's two recorded captures, each copy with LAN
# hosts, ephemeral ports and server names of its own, overlapping in time, merged into one pcap
# (io.flowtap.bench.CaptureMultiplier; testdata/README.md tells how the seeds were recorded).
#
#   bench/large-capture.sh <out.pcap> [intel copies] [sample copies]
#
# The defaults (120 and 788) give about 2.5 million packets and 200,000 flows in about three
# minutes of capture time, 2.1 GB: the intelligence capture's copies (a second apart) bring short
# flows (DNS, HTTPS page loads, scans, a tunnel), the sample's (0.2 s apart) bulk TCP and UDP,
# SSH, TLS 1.2 and 1.3, IPv6, fragments, VLAN and QinQ.
set -euo pipefail
OUT="${1:?usage: large-capture.sh <out.pcap> [intel copies] [sample copies]}"
INTEL="${2:-120}"
SAMPLE="${3:-788}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/bin/flowtap" --help >/dev/null  # build once
JOBS="$ROOT/flink-jobs/target"
JAR="$(ls "$JOBS"/flowtap-flink-jobs-*.jar | grep -v -e sources -e tests | head -n 1)"
exec java -Xmx4g -cp "$JAR:$JOBS/lib/*" io.flowtap.bench.CaptureMultiplier "$OUT" \
  "$ROOT/testdata/pcap/flowtap-intel.pcap:$INTEL:1" \
  "$ROOT/testdata/pcap/flowtap-sample.pcap:$SAMPLE:0.2"
