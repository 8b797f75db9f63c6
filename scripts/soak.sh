#!/usr/bin/env bash
# The soak (docs/RELIABILITY.md, "Soak"): two replicas of the packaged service for SOAK_MINUTES
# (default 30) against the real broker, a PostgreSQL cluster of its own and the emnify simulator,
# with a kill -9, hanging lists and reads, lost create answers, 5xx and resets, 429 bursts, an
# authentication lock-out, a PostgreSQL restart and a broker restart, one after another, again and
# again. .ci/run runs the same scenario for 3 minutes (reliability/SoakIT). Figures are appended
# to target/reliability/report.md; each replica's log is in target/reliability/.
#   scripts/soak.sh            30 minutes
#   SOAK_MINUTES=60 scripts/soak.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
exec "$ROOT/scripts/test.sh" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=SoakIT -Dsoak.minutes="${SOAK_MINUTES:-30}" "$@"
