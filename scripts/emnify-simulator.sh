#!/usr/bin/env bash
# Runs the emnify simulator (test-scoped sources, io.cloudconnect.emnify.simulator) as its own
# process: the upstream for scripts/run-local.sh and for `mvn quarkus:dev`. It is never part of the
# service's artifact. Builds what it needs on first use (mvn package -DskipTests).
#
#   scripts/emnify-simulator.sh [--port 8089] [--host 127.0.0.1] [--status-step 60s] [--rate-limits true]
#
# emnify's API is served under /api/v1 (point the service's EMNIFY_API_URL at http://HOST:PORT);
# its control surface (faults, counts, token expiry) under /simulator/admin.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MAIN_CLASS=io/cloudconnect/emnify/simulator/EmnifySimulator.class
if [ ! -f "target/test-classes/$MAIN_CLASS" ] || [ ! -d target/quarkus-app/lib/main ]; then
  echo "emnify-simulator: building (mvn package -DskipTests)" >&2
  "$ROOT/mvnw" -q -B -ntp package -DskipTests
fi
# The simulator needs Vert.x Web and Jackson only, which the service's runtime libraries include.
exec java -cp "target/test-classes:target/quarkus-app/lib/main/*" \
  io.cloudconnect.emnify.simulator.EmnifySimulator "$@"
