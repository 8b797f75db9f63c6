#!/usr/bin/env bash
# A container registry on 127.0.0.1:5000 (the CNCF Distribution registry, Debian's docker-registry
# package), the one the suite's build pushes its Jib image to (scripts/test.sh) and
# packaging/ContainerImageIT reads back. Its storage is .run/registry of this checkout.
#   scripts/registry.sh start | stop
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RUN="$ROOT/.run/registry"
PORT="${REGISTRY_PORT:-5000}"
up() { curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null 2>&1; }
case "${1:-start}" in
  start)
    up && exit 0
    if ! command -v docker-registry >/dev/null; then
      echo "installing Debian's docker-registry (the container registry the suite's image build pushes to)"
      [ -n "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v lock)" ] || apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
    fi
    mkdir -p "$RUN/data"
    cat > "$RUN/config.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $RUN/data}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$PORT
YAML
    nohup docker-registry serve "$RUN/config.yml" > "$RUN/registry.log" 2>&1 &
    echo $! > "$RUN/pid"
    for _ in $(seq 1 50); do up && exit 0; sleep 0.2; done
    echo "the registry did not start; see $RUN/registry.log" >&2
    exit 1
    ;;
  stop)
    [ -f "$RUN/pid" ] && kill "$(cat "$RUN/pid")" 2>/dev/null || true
    rm -f "$RUN/pid"
    ;;
esac
