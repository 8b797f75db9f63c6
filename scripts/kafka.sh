#!/usr/bin/env bash
# Runs a real single-node Apache Kafka broker (KRaft, broker+controller) as a plain Java process,
# built from Maven Central artifacts, because this kind of machine has no Docker engine.
#
#   scripts/kafka.sh start   resolve jars (once), format storage (once), start, wait until ready
#   scripts/kafka.sh start --own   the same, but refuse a broker this checkout did not start (the
#                            tests stop and restart theirs; another checkout's may vanish mid-run)
#   scripts/kafka.sh stop    stop the broker started by this script
#   scripts/kafka.sh status  exit 0 when a broker answers on $KAFKA_PORT
#   scripts/kafka.sh tool <MainClass> args...   run a Kafka CLI class (TopicCommand, ConsoleProducer, ...)
#
# Idempotent: "start" does nothing when something already listens on the port (with --own: when
# that is this checkout's broker).
set -euo pipefail

. "$(dirname "$0")/lib.sh"
RUN_DIR="${KAFKA_RUN_DIR:-$RUN/kafka}"
LIB="$RUN_DIR/lib"
DATA="$RUN_DIR/data"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HOST=127.0.0.1

resolve_jars() {
  if [ -f "$LIB/.complete" ]; then return; fi
  echo "kafka: resolving broker jars from Maven Central into $LIB" >&2
  mkdir -p "$LIB"
  # Maven's output goes to stderr: "tool" is used in pipelines and command substitutions, whose
  # stdout must carry the tool's output alone (a first use would otherwise put Maven's escape codes
  # into a captured request id)
  "$ROOT/mvnw" -q -B -Dstyle.color=never -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$LIB" -DincludeScope=runtime >&2
  touch "$LIB/.complete"
}

write_config() {
  mkdir -p "$DATA"
  cat > "$RUN_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$DATA
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
}

kafka_java() {
  java -Xms256m -Xmx1g -Dkafka.logs.dir="$RUN_DIR" \
       -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2.properties" \
       -cp "$LIB/*" "$@"
}

own() { [ -f "$RUN_DIR/pid" ] && kill -0 "$(cat "$RUN_DIR/pid")" 2>/dev/null; }

start() {
  if listening "$PORT"; then
    if [ "${1:-}" = "--own" ] && ! own; then
      echo "kafka: $HOST:$PORT is taken by a broker this checkout ($ROOT) did not start;" \
        "stop it (scripts/kafka.sh stop in the checkout that started it) or pick another port" \
        "with KAFKA_PORT" >&2
      return 1
    fi
    echo "kafka: already listening on $HOST:$PORT" >&2; return 0
  fi
  resolve_jars
  write_config
  if [ ! -f "$DATA/meta.properties" ]; then
    local id; id="$(kafka_java kafka.tools.StorageTool random-uuid)"
    kafka_java kafka.tools.StorageTool format -t "$id" -c "$RUN_DIR/server.properties" >/dev/null
  fi
  nohup java -Xms256m -Xmx1g -Dkafka.logs.dir="$RUN_DIR" \
       -Dlog4j2.configurationFile="$ROOT/scripts/kafka/log4j2.properties" \
       -cp "$LIB/*" kafka.Kafka "$RUN_DIR/server.properties" > "$RUN_DIR/stdout.log" 2>&1 &
  echo $! > "$RUN_DIR/pid"
  for _ in $(seq 1 120); do
    if listening "$PORT"; then echo "kafka: ready on $HOST:$PORT (pid $(cat "$RUN_DIR/pid"))" >&2; return 0; fi
    if ! kill -0 "$(cat "$RUN_DIR/pid")" 2>/dev/null; then
      echo "kafka: broker exited; see $RUN_DIR/stdout.log and $RUN_DIR/broker.log" >&2; tail -20 "$RUN_DIR/stdout.log" >&2; return 1
    fi
    sleep 0.5
  done
  echo "kafka: not ready after 60 s" >&2; return 1
}

stop() {
  if [ -f "$RUN_DIR/pid" ] && kill -0 "$(cat "$RUN_DIR/pid")" 2>/dev/null; then
    kill "$(cat "$RUN_DIR/pid")"
    for _ in $(seq 1 60); do kill -0 "$(cat "$RUN_DIR/pid")" 2>/dev/null || break; sleep 0.5; done
  fi
  rm -f "$RUN_DIR/pid"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  status) listening "$PORT" ;;
  tool) shift; resolve_jars; main="$1"; shift; kafka_java "$main" "$@" ;;
  *) echo "usage: $0 start|stop|status|tool <MainClass> args..." >&2; exit 2 ;;
esac
