#!/usr/bin/env bash
# Two builds of Flowtap against each other: the backfill of one capture, in pairs run in turns.
#
#   bench/ab-backfill.sh <capture.pcap> <git-ref> [pairs]
#
# A is <git-ref> (a commit, a branch, HEAD~3...) checked out in a scratch worktree and built there
# with `mvn package` (nothing is installed into the local Maven repository); B is this checkout's
# build as it stands (bin/flowtap builds one only if there is none: after changing sources, run
# `mvn -DskipTests install` first). Both run on JAVA_HOME (or the java on the PATH) with
# bin/flowtap's defaults; FLOWTAP_JAVA_OPTS applies to both. Needs git, Maven, GNU time and
# editcap (Debian package wireshark-common or tshark).
#
# On a shared or virtual machine the same run can vary by a quarter from one minute to the next,
# far more than most changes are worth, so single runs prove nothing: the pairs (default 16) take
# turns, A first in odd pairs and B first in even ones, so that a slow spell falls on both alike.
# Printed: each pair's CPU seconds (user + system, whole process), each side's mean, the mean
# difference, in how many pairs B took less CPU, and the two-sided sign test's p for that count
# (below 0.05: unlikely to be the machine alone). Also whether the two builds wrote the same
# records (the log file's lines, sorted, compared by digest).
set -euo pipefail
PCAP="$(readlink -f "${1:?usage: ab-backfill.sh <capture.pcap> <git-ref> [pairs]}")"
REF="${2:?usage: ab-backfill.sh <capture.pcap> <git-ref> [pairs]}"
PAIRS="${3:-16}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/flowtap-ab.XXXXXX)"
cleanup() {
  git -C "$ROOT" worktree remove --force "$WORK/a" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "building $REF ($(git -C "$ROOT" rev-parse --short "$REF")) in a scratch worktree..." >&2
git -C "$ROOT" worktree add --detach "$WORK/a" "$REF" >/dev/null 2>&1
(cd "$WORK/a" && mvn -B -q -Dstyle.color=never -DskipTests package >&2)

# One backfill of a side: prints its CPU seconds; its records stay in $WORK/out.<side>.
run() { # side root capture
  rm -rf "$WORK/out.$1"
  (cd "$2" && /usr/bin/time -f "%U %S" -o "$WORK/time" bin/flowtap backfill --pcap "$3" \
    --out "$WORK/out.$1" --quiet >/dev/null 2>"$WORK/err.$1") \
    || { echo "side $1 failed:" >&2; cat "$WORK/err.$1" >&2; exit 1; }
  awk '{ printf "%.2f\n", $1 + $2 }' "$WORK/time"
}

# Outside the measurement: each side's class-data archive (made by its first backfill after a
# build) and one run of the capture, which also brings it into the page cache.
editcap -r "$PCAP" "$WORK/one.pcap" 1 >/dev/null 2>&1 || cp "$PCAP" "$WORK/one.pcap"
for side in a b; do
  root="$WORK/a"; [[ $side == b ]] && root="$ROOT"
  run "$side" "$root" "$WORK/one.pcap" >/dev/null
  run "$side" "$root" "$PCAP" >/dev/null
done

echo "pair  A (${REF})  B (this checkout)"
for ((i = 1; i <= PAIRS; i++)); do
  if ((i % 2)); then
    a=$(run a "$WORK/a" "$PCAP"); b=$(run b "$ROOT" "$PCAP")
  else
    b=$(run b "$ROOT" "$PCAP"); a=$(run a "$WORK/a" "$PCAP")
  fi
  printf "%4d  %6s  %6s\n" "$i" "$a" "$b" | tee -a "$WORK/pairs"
done

awk '
  { a += $2; b += $3; n++; if ($3 < $2) lower++; else if ($3 > $2) higher++ }
  END {
    m = lower + higher; k = lower < higher ? lower : higher
    # Two-sided sign test: twice the probability of k or fewer of m fair coin flips.
    c = 1; tail = 0
    for (i = 0; i <= k; i++) { tail += c; c = c * (m - i) / (i + 1) }
    p = m ? 2 * tail / 2 ^ m : 1; if (p > 1) p = 1
    printf "mean CPU s: A %.2f, B %.2f, B - A %+.2f (%+.1f%%)\n", a / n, b / n, (b - a) / n,
      100 * (b - a) / a
    printf "B took less CPU in %d of %d pairs (%d ties); sign test p = %.3f\n", lower, n,
      n - m, p
  }' "$WORK/pairs"

digest() { cat "$WORK/out.$1"/log/* | LC_ALL=C sort | md5sum | cut -d" " -f1; }
if [[ "$(digest a)" == "$(digest b)" ]]; then
  echo "records: the same ($(digest a), sorted)"
else
  echo "records: DIFFERENT (A $(digest a), B $(digest b), sorted)"
fi
