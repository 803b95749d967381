#!/usr/bin/env bash
# A flood of unfinished TLS connections against the built operator: builds the operator and the
# benchmark, then runs the attack and prints its figures (options: --help).
#   scripts/attack-connections.sh                        # 20,000 connections, the chart's settings
#   scripts/attack-connections.sh --connections 5000 --max-connections 1000
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log="$(mktemp "${TMPDIR:-/tmp}/hotpatch-attack-build.XXXXXX")"
echo "building the operator and the benchmark (a few minutes the first time)..." >&2
if ! mvn -q -B -DskipTests package -pl bench -am >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "attack-connections: the build failed (full log: $log): fix the error above and run again" >&2
  exit 1
fi
rm -f "$log"
exec java -Dhotpatch.operator.jar="$root/operator/target/quarkus-app/quarkus-run.jar" \
  -cp "$root/bench/target/hotpatch-bench.jar" io.hotpatch.bench.hostile.AttackConnections \
  --work-dir "$root/bench/target/attack-connections" "$@"
