#!/usr/bin/env bash
# End-to-end backfill throughput of Flowtap next to nDPI's ndpiReader on the same capture, in
# the same run. Reports CPU seconds, packets and flows per CPU second and peak RSS for each, the
# ratio of packets per CPU second, and the state Flowtap keeps per flow.
#
#   bench/backfill-vs-ndpi.sh <capture.pcap> [parallelism...]
#
# Each command runs RUNS times (default 3), the commands taking turns so that a slow spell of the
# machine falls on all of them alike; the table gives each command's median run (by CPU
# seconds) and the CPU seconds of every run; the ratio is of the medians, and also of each
# command's least run, the one the machine disturbed least. JAVA_HOMES (space-separated JDK
# directories) runs Flowtap on each of them in the same run; by default on JAVA_HOME, or the java
# on the PATH. The report starts with a description of the machine; APPEND=<file.md> (e.g.
# docs/performance.md) also inserts it, dated and with the command that made it, as a new section
# before the file's first "## " heading, the newest measurement first.
# Needs GNU time (/usr/bin/time), capinfos or tcpdump, and ndpiReader (Debian package
# libndpi-bin).
set -euo pipefail
PCAP="${1:?usage: backfill-vs-ndpi.sh <capture.pcap> [parallelism...]}"
shift
PARALLELISMS=("${@:-1 2}")
if [[ -n "${APPEND:-}" && ! -w "$APPEND" ]]; then
  echo "backfill-vs-ndpi.sh: APPEND=$APPEND: not a writable file" >&2
  exit 2
fi
RUNS="${RUNS:-3}"
if [[ -n "${JAVA_HOMES:-}" ]]; then
  read -r -a JDKS <<< "$JAVA_HOMES"
else
  JDKS=("${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}")
fi
# A JDK's major version, from its release file.
java_major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$(mktemp -d /tmp/flowtap-bench.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

packets=$(capinfos -c -M "$PCAP" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}')
[[ -n "$packets" ]] || packets=$(tcpdump -r "$PCAP" 2>/dev/null | wc -l)

# One run of a command: appends "cpu wall rss_kb flows" to $OUT/runs.<id>.
run() { # id, command...
  local id="$1"; shift
  rm -rf "$OUT/flowtap"
  /usr/bin/time -f "%U %S %M %e" -o "$OUT/time" "$@" >"$OUT/stdout" 2>"$OUT/stderr"
  read -r user sys rss wall < "$OUT/time"
  # Flowtap's summary line ("..., 200,126 flows, ...") or ndpiReader's "Unique flows:" line.
  local flows
  flows=$(sed -n -e 's/.* \([0-9,]*\) flows,.*/\1/p' "$OUT/stderr" | tr -d , | head -n 1)
  [[ -n "$flows" ]] || flows=$(sed -n -e 's/.*Unique flows: *\([0-9]*\).*/\1/p' "$OUT/stdout" \
    | head -n 1)
  echo "$user $sys $wall $rss ${flows:-0}" | awk '{ printf "%.2f %s %s %s\n", $1 + $2, $3, $4, $5 }' \
    >> "$OUT/runs.$id"
}

# The row of a command: its median run by CPU seconds, then every run's CPU seconds.
row() { # id, name, packets
  sort -n "$OUT/runs.$1" | awk -v n="$2" -v p="$3" '
    { cpu[NR] = $1; wall[NR] = $2; rss[NR] = $3; flows[NR] = $4 }
    END {
      m = int((NR + 1) / 2); all = cpu[1];
      for (i = 2; i <= NR; i++) all = all ", " cpu[i];
      printf "| %s | %d | %d | %.2f | %.2f | %.0f | %.0f | %.0f | %s |\n", n, p, flows[m],
        wall[m], cpu[m], p / cpu[m], flows[m] / cpu[m], rss[m] / 1024, all
    }'
}

median_cpu() { sort -n "$OUT/runs.$1" | awk '{ c[NR] = $1 } END { print c[int((NR + 1) / 2)] }'; }
least_cpu() { sort -n "$OUT/runs.$1" | head -n 1 | awk '{ print $1 }'; }

# Build once and make each JDK's class-data archive (bin/flowtap) outside the measurement.
editcap -r "$PCAP" "$OUT/one.pcap" 1 >/dev/null 2>&1
for j in "${JDKS[@]}"; do
  rm -rf "$OUT/warm"
  JAVA_HOME="$j" "$ROOT/bin/flowtap" backfill --pcap "$OUT/one.pcap" --out "$OUT/warm" --quiet \
    2>"$OUT/warm.err" || { echo "flowtap on $j failed:" >&2; cat "$OUT/warm.err" >&2; exit 1; }
done
version=$(dpkg-query -W -f '${Version}' libndpi-bin 2>/dev/null || echo "?")
for ((r = 1; r <= RUNS; r++)); do
  for j in "${JDKS[@]}"; do
    v=$(java_major "$j")
    for p in ${PARALLELISMS[@]}; do
      JAVA_HOME="$j" run "p$p-j$v" "$ROOT/bin/flowtap" backfill --pcap "$PCAP" \
        --out "$OUT/flowtap" --parallelism "$p" --quiet
    done
    # The fixed cost of starting a JVM and an embedded Flink cluster, on a one-packet capture.
    JAVA_HOME="$j" run "one-j$v" "$ROOT/bin/flowtap" backfill --pcap "$OUT/one.pcap" \
      --out "$OUT/flowtap" --parallelism 1 --quiet
  done
  # Its summary (flow count, memory per flow) costs nothing measurable beside the reading.
  run ndpi ndpiReader -i "$PCAP"
done
grep -E "Flow Memory \(per flow\)" "$OUT/stdout" | sed 's/^[[:space:]]*/ndpiReader: /' > "$OUT/ndpi-memory"

# The machine: CPU model and count, memory, OS, kernel, JDKs, ndpiReader.
machine() {
  local cpu mem os jdks="" j
  cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)
  mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
  os=$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}")
  for j in "${JDKS[@]}"; do
    jdks+="${jdks:+, }Java $(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$j/release")"
    jdks+=" ($(sed -n 's/^IMPLEMENTOR="\(.*\)"/\1/p' "$j/release"))"
  done
  echo "Machine: $(nproc) CPUs (${cpu:-?}), $mem, $os, Linux $(uname -r); $jdks;" \
    "ndpiReader from libndpi-bin $version."
}

report() {
  echo "$(machine)"
  echo
  echo "$RUNS runs of each command, the median run shown"
  echo
  echo "| tool | packets | flows | wall s | CPU s | packets per CPU s | flows per CPU s | peak RSS MiB | CPU s of each run |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for j in "${JDKS[@]}"; do
    v=$(java_major "$j")
    for p in ${PARALLELISMS[@]}; do
      row "p$p-j$v" "flowtap backfill, parallelism $p, Java $v" "$packets"
    done
    row "one-j$v" "flowtap backfill, 1 packet (fixed cost), Java $v" 1
  done
  row ndpi "ndpiReader (libndpi-bin $version)" "$packets"

  echo
  for j in "${JDKS[@]}"; do
    v=$(java_major "$j")
    awk -v f="$(median_cpu "p${PARALLELISMS[0]}-j$v")" -v n="$(median_cpu ndpi)" -v v="$v" \
      -v fl="$(least_cpu "p${PARALLELISMS[0]}-j$v")" -v nl="$(least_cpu ndpi)" \
      -v p="${PARALLELISMS[0]}" '
      BEGIN { printf "- ratio of packets per CPU second, flowtap (parallelism %s, Java %s)", p, v
              printf " to ndpiReader: %.2f (of the least runs: %.2f)\n", n / f, nl / fl }'
  done

  # What the flow tracker holds per flow, after the capture's last packet.
  JOBS="$ROOT/flink-jobs/target"
  JAR="$(ls "$JOBS"/flowtap-flink-jobs-*.jar | grep -v -e sources -e tests | head -n 1)"
  echo
  java -Xmx4g -XX:+UseParallelGC -cp "$JAR:$JOBS/lib/*" io.flowtap.bench.StateSize "$PCAP" 2>/dev/null \
    | sed -n 's/^./- &/p'
  sed -e 's/^/- /' -e 's/[[:space:]]*$//' "$OUT/ndpi-memory"
}

report | tee "$OUT/report"

if [[ -n "${APPEND:-}" ]]; then
  {
    echo "## Backfill benchmark, $(date -u +%Y-%m-%d)"
    echo
    echo "\`RUNS=$RUNS${JAVA_HOMES:+ JAVA_HOMES=\"$JAVA_HOMES\"} bench/backfill-vs-ndpi.sh $PCAP" \
      "${PARALLELISMS[*]}\` on a capture of $packets packets."
    echo
    cat "$OUT/report"
    echo
  } > "$OUT/section"
  # Before the first second-level heading, or at the end of a file without one.
  awk -v section="$OUT/section" '
    !done && /^## / { while ((getline l < section) > 0) print l; done = 1 }
    { print }
    END { if (!done) while ((getline l < section) > 0) print l }' "$APPEND" > "$OUT/appended"
  cat "$OUT/appended" > "$APPEND"
  echo "appended to $APPEND"
fi
