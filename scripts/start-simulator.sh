#!/usr/bin/env bash
# Starts the emnify simulator (scripts/emnify-simulator.sh) in the background at a 3 s status step,
# waits until it listens, and prints its process id (for the caller to stop it):
#   SIMULATOR="$(scripts/start-simulator.sh PORT LOG)"
# Used by scripts/run-local.sh and scripts/dev.sh; fails, naming the log, if the simulator exits.
# The wait covers the first use's build (emnify-simulator.sh packages what it needs).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
PORT="$1"
LOG="$2"
# something else listening there would pass for the simulator
require_free_port "$PORT" SIMULATOR_PORT
"$ROOT/scripts/emnify-simulator.sh" --port "$PORT" --status-step 3s > "$LOG" 2>&1 < /dev/null &
PID=$!
for _ in $(seq 1 600); do
  if listening "$PORT"; then
    echo "$PID"
    exit 0
  fi
  kill -0 "$PID" 2>/dev/null || { echo "the simulator exited; see $LOG" >&2; exit 1; }
  sleep 0.5
done
echo "the simulator did not listen on $PORT within 5 minutes; see $LOG" >&2
kill "$PID" 2>/dev/null || true
exit 1
