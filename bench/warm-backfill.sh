#!/usr/bin/env bash
# The backfill of one capture run several times in one JVM: what the first run costs (the JVM's
# start and its compilation of the job's code, as in every `bin/flowtap backfill`) against what
# the pipeline costs once its code is compiled.
#
#   bench/warm-backfill.sh <capture.pcap> [runs]
#
# Runs io.flowtap.bench.RepeatedBackfill through bin/flowtap (the backfill's JVM options and its
# class-data archive or AOT cache), on JAVA_HOME or the java on the PATH, `runs` times (default
# 5), and prints a Markdown table: each run's CPU seconds (user + system, whole process) and the
# part of them spent by the JIT compiler threads, the collector's threads and the rest (the job's
# task thread, the embedded cluster and the main thread), with packets per CPU second and their
# ratio to ndpiReader's on the same capture (its median of `runs` runs, made just before). Needs
# capinfos (Debian package wireshark-common or tshark), GNU time and ndpiReader (libndpi-bin).
# Linux only for the split by thread.
set -euo pipefail
PCAP="$(readlink -f "${1:?usage: warm-backfill.sh <capture.pcap> [runs]}")"
RUNS="${2:-5}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mktemp -d /tmp/flowtap-warm.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

packets="$(capinfos -M -c "$PCAP" | sed -n 's/^Number of packets: *//p')"
# Makes the archive of this build if there is none, so that the first run below is what a
# cold command costs and not the archive's recording.
"$ROOT/bin/flowtap" backfill --pcap "$PCAP" --out "$OUT/warm-up" --quiet >/dev/null \
  2>"$OUT/warm-up.err" || { cat "$OUT/warm-up.err" >&2; exit 1; }
rm -rf "$OUT/warm-up"
ndpi=()
for ((i = 0; i < RUNS; i++)); do
  # As bench/backfill-vs-ndpi.sh runs it: with its summary, which costs nothing measurable.
  /usr/bin/time -f "%U %S" -o "$OUT/time" ndpiReader -i "$PCAP" >/dev/null 2>&1
  ndpi+=("$(awk '{ printf "%.2f", $1 + $2 }' "$OUT/time")")
done
median="$(printf '%s\n' "${ndpi[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
echo "$("$java" -version 2>&1 | head -n 1), $packets packets, $(basename "$PCAP");" \
  "ndpiReader: ${ndpi[*]} CPU s, median $median"
echo
FLOWTAP_RUNS="$RUNS" FLOWTAP_MAIN=io.flowtap.bench.RepeatedBackfill "$ROOT/bin/flowtap" \
  backfill --pcap "$PCAP" --out "$OUT" --quiet 2>"$OUT/runs.err" \
  | awk -v p="$packets" -v n="$median" -F'|' '
      NR == 1 { print $0 " packets per CPU s | to ndpiReader |"; next }
      NR == 2 { print $0 "---|---|"; next }
      { printf "%s %.0f | %.2f |\n", $0, p / $3, n / $3 }' \
  || { cat "$OUT/runs.err" >&2; exit 1; }
