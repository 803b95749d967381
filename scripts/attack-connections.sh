#!/usr/bin/env bash
# A flood of unfinished TLS connections against the built operator: builds the operator and the
# benchmark, then runs the attack and prints its figures (options: --help).
#   scripts/attack-connections.sh                        # 20,000 connections, the chart's settings
#   scripts/attack-connections.sh --connections 5000 --max-connections 1000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=lib/build-bench.sh
source "$root/scripts/lib/build-bench.sh"
build_bench attack-connections
exec java -Dhotpatch.operator.jar="$root/operator/target/quarkus-app/quarkus-run.jar" \
  -cp "$root/bench/target/hotpatch-bench.jar" io.hotpatch.bench.hostile.AttackConnections \
  --work-dir "$root/bench/target/attack-connections" "$@"
