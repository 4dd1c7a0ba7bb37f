#!/usr/bin/env bash
# Snapshot and restore figures (docs/BENCHMARKS.md, "Snapshots and restore"): restore to ready vs a
# plain download, snapshot after a 1% change and after none, SIGTERM to exit of `ancla serve` with
# an unpublished commit. S3Proxy runs inside the benchmark JVM (it is a test dependency), so this
# runs on the test class path rather than as an `ancla bench` subcommand.
# Usage: bench/snapshots.sh --data DIR [--runs 7] [--threads 4] [--sigterm-runs 5] [--only all|restore|integrity|interrupted] [--scrub-mb 256]
#   --only integrity: post-publish verification per snapshot and the scrub per GB (section 6b)
#   --only interrupted [--seed 11] [--scenarios cut,lie,kill,damage,flip,flip-noscrub]: restorable
#     after --runs interrupted uploads per scenario (section 6c); DIR from `--n 1600` keeps it short
#   DIR holds the index `./ancla bench synthetic --n 13457 --out DIR` writes.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find-java.sh
JAVA_HOME=$(ancla_find_java) || exit 1
export JAVA_HOME
./mvnw -q -B -o test-compile >&2
./ancla --version >/dev/null # builds target/ancla.jar and its AOT cache if needed, for `serve`
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -Xlog:disable -Xlog:all=warning:stderr \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  dev.ancla.bench.SnapshotBench "$@"
