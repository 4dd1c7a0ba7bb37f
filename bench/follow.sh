#!/usr/bin/env bash
# Several instances on one bucket (docs/BENCHMARKS.md section 10): lag from a commit on the writer
# to searchable on a follower, bytes a follower downloads per change over the changed segments'
# bytes, search throughput with 1, 2 and 3 instances, and failover after SIGKILL of the writer.
# Real `serve` child JVMs on S3Proxy (filesystem store) started in the benchmark JVM, so this runs
# on the test class path.
# Usage: bench/follow.sh [--rounds 50] [--files 100] [--seconds 15] [--clients 8] [--series 2]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
JAVA_HOME=$(ancla_find_java) || exit 1
export JAVA_HOME
./mvnw -q -B -o test-compile >&2
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Xlog:disable -Xlog:all=warning:stderr \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  dev.ancla.runtime.FollowBench "$@"
