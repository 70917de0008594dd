#!/usr/bin/env bash
# Runs the JMH benchmarks of the per-packet code (module benchmarks): frame decoding, flow keys
# and the reader's event assembly, each dissector alone, the flow lifecycle without Flink, and
# rendering a flow's records (JSON and the Parquet row object).
# Inputs are the project's captures, plus nDPI's where ../shared/pcaps is beside the repository.
#
#   bench/jmh.sh [JMH arguments...]     e.g. bench/jmh.sh DissectorBenchmark -p dissector=tls
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -Dstyle.color=never -DskipTests install -pl benchmarks -am >&2
CP_FILE="$ROOT/benchmarks/target/classpath.txt"
mvn -B -q -Dstyle.color=never -pl benchmarks dependency:build-classpath \
  -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >&2
exec java -Dflowtap.root="$ROOT" -cp "$ROOT/benchmarks/target/classes:$(cat "$CP_FILE")" \
  org.openjdk.jmh.Main -rf text -rff "$ROOT/benchmarks/target/jmh-result.txt" "$@"
