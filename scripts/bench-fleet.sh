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
exec java -Dhotpatch.operator.jar="$root/operator/target/quarkus-app/quarkus-run.jar" \
  -jar "$root/bench/target/hotpatch-bench.jar" --work-dir "$root/bench/target/fleet-bench" "$@"
