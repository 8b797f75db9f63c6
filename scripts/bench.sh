#!/usr/bin/env bash
# The benchmark suite (docs/PERFORMANCE.md), not part of .ci/run (which runs BenchmarksSmokeIT, a
# tiny size of the same code): starts the broker and prepares the database as scripts/test.sh
# does, packages the service and runs every *Bench class against the packaged service. Figures:
# target/reliability/bench.md. Sizes: -Dbench.burst=10000 -Dbench.in-flight=10000
# -Dbench.window-seconds=60 -Dbench.others=10000 -Dbench.requests=20 -Dbench.starts=3; one
# benchmark: -Dit.test=PerformanceBench#intakeAgainstTheSingleRowInsertCeiling
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
exec "$ROOT/scripts/test.sh" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='*Bench' "$@"
