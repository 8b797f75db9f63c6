#!/usr/bin/env bash
# Runs a pinned Maven (3.9.9), which `mvn quarkus:dev` of Quarkus 3.33 requires (the machine's Maven
# may be older). The distribution is an ordinary artifact (org.apache.maven:apache-maven:zip:bin),
# fetched once through the machine's own `mvn` from the configured repository and unpacked under
# .run/maven. Arguments go to Maven:  scripts/maven.sh quarkus:dev
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION=3.9.9
HOME_DIR="$ROOT/.run/maven/apache-maven-$VERSION"
if [ ! -x "$HOME_DIR/bin/mvn" ]; then
  echo "maven: fetching Maven $VERSION into .run/maven" >&2
  mvn -q -B -ntp dependency:copy -Dartifact="org.apache.maven:apache-maven:$VERSION:zip:bin" \
      -DoutputDirectory="$ROOT/.run/maven" >&2
  (cd "$ROOT/.run/maven" && unzip -q -o "apache-maven-$VERSION-bin.zip")
fi
cd "$ROOT"
exec "$HOME_DIR/bin/mvn" "$@"
