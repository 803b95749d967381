#!/usr/bin/env bash
# Fleet time-to-patch: builds the operator and the benchmark, then runs it (options: --help).
#   scripts/bench-fleet.sh                     # 100 and 1,000 pods
#   scripts/bench-fleet.sh --pods 50,500,2000  # other fleet sizes
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

log="$(mktemp "${TMPDIR:-/tmp}/hotpatch-bench-build.XXXXXX")"
echo "building the operator and the benchmark (a few minutes the first time)..." >&2
if ! mvn -q -B -DskipTests install -pl bench -am >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "bench-fleet: the build failed (full log: $log): fix the error above and run again" >&2
  exit 1
fi
rm -f "$log"
exec java -Dhotpatch.operator.jar="$root/operator/target/quarkus-app/quarkus-run.jar" \
  -jar "$root/bench/target/hotpatch-bench.jar" --work-dir "$root/bench/target/fleet-bench" "$@"
