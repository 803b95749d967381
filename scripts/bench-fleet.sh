#!/usr/bin/env bash
# Fleet time-to-patch: builds the operator and the benchmark, then runs it (options: --help).
#   scripts/bench-fleet.sh                     # 100 and 1,000 pods
#   scripts/bench-fleet.sh --pods 50,500,2000  # other fleet sizes
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=lib/build-bench.sh
source "$root/scripts/lib/build-bench.sh"
build_bench bench-fleet
# The simulated fleet shares the operator's cores: C1 alone halves its CPU (at 1,000 pods a third of
# it was C2 compiling), which the operator under test then has. On 2 cores the common pool has one
# thread, so CompletableFuture's default executor starts a thread per task, and the JDK's HttpClient
# hands it every answer to a sendAsync: 5,000 long polls answered at once stalled the fleet's
# clients for 20 to 30 s, starting threads.
exec java -XX:TieredStopAtLevel=1 -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 \
  -Dhotpatch.operator.jar="$root/operator/target/quarkus-app/quarkus-run.jar" \
  -jar "$root/bench/target/hotpatch-bench.jar" --work-dir "$root/bench/target/fleet-bench" "$@"
