#!/usr/bin/env bash
# Builds logtide-benchmarks and runs every measurement of docs/performance.md, writing the
# tables to logtide-benchmarks/target/results.md.
#
#   logtide-benchmarks/run.sh                 short settings, a few minutes on 2 cores
#   logtide-benchmarks/run.sh --long          2 forks, 5 x 2 s warm-up, 10 x 2 s measurement
#   logtide-benchmarks/run.sh --only caller   a subset: caller,serializer,e2e,outage,exit,burst
#   logtide-benchmarks/run.sh --only burst    LogTide beside loki4j (issue 16), ~8 minutes on 2 cores
#   logtide-benchmarks/run.sh --events 200000 end-to-end size (default 1,000,000)
#   logtide-benchmarks/run.sh --burst-events N burst size (default 200,000)
#   logtide-benchmarks/run.sh --no-build ...  reuse target/benchmarks.jar
#
# Single JMH benchmarks: java -jar logtide-benchmarks/target/benchmarks.jar LogbackCaller -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--no-build" ]]; then
  shift
else
  ./mvnw -B -ntp -q -Pbenchmarks -pl logtide-benchmarks -am package -DskipTests
fi
cd logtide-benchmarks
exec java -cp target/benchmarks.jar dev.logtide.benchmarks.RunAll "$@"
