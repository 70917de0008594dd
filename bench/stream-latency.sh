#!/usr/bin/env bash
# End-to-end latency of the streaming path, from a packet's timestamp to the moment a consumer of
# the telemetry topics can read the record it led to: an agent replays a capture at its recorded
# pace with timestamps moved to the present, into a local broker, through the stream job.
#
#   bench/stream-latency.sh [capture] [passes] [checkpoint-ms] [exactly-once|at-least-once]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PCAP="${1:-$ROOT/testdata/pcap/flowtap-sample.pcap}"
PASSES="${2:-20}"
CHECKPOINT_MS="${3:-1000}"
GUARANTEE="${4:-exactly-once}"

"$ROOT/bin/flowtap" --help >/dev/null  # build once
JOBS="$ROOT/flink-jobs/target"
JAR="$(ls "$JOBS"/flowtap-flink-jobs-*.jar | grep -v -e sources -e tests | head -n 1)"
OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED)
exec java -Xmx2g "${OPENS[@]}" -cp "$JAR:$JOBS/lib/*" io.flowtap.bench.StreamLatencyBench \
  "$PCAP" "$PASSES" "$CHECKPOINT_MS" "$GUARANTEE" 2> >(grep -v -e WARN -e '^\s' >&2)
