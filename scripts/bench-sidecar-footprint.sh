#!/usr/bin/env bash
# Idle footprint of a real sidecar daemon that has applied a patch and holds its long poll
# (SidecarFootprintIT, kept out of `mvn verify`): builds the sidecar and what it needs, runs the
# benchmark and prints its figures (VmRSS, VmHWM, threads, CPU idle and to start and apply).
#   scripts/bench-sidecar-footprint.sh       # 10 s idle window per flag set
#   scripts/bench-sidecar-footprint.sh 60    # the window of the figures in sidecar/README.md
# Env: MAVEN_ARGS, e.g. -o to build offline; HOTPATCH_EXTRA_FLAGS="-Xint" adds a flag set to compare;
#      HOTPATCH_SIDECAR_JAVA, the Java home the sidecar runs on (default: the image's, Temurin 25, when
#      installed). After scripts/build-images.sh it also measures the staged sidecar image as it ships.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
idle="${1:-10}"
[[ "$idle" =~ ^[1-9][0-9]{0,3}$ ]] \
  || { echo "bench-sidecar-footprint: idle window '$idle' is not 1 to 9999 seconds: pass e.g. 60" >&2; exit 2; }

java="${HOTPATCH_SIDECAR_JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$java/bin/java" ]] || java="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
image=""
[[ -f "$root/images/target/stage/sidecar.entrypoint" ]] && image="$root/images/target/stage"

log="$root/sidecar/target/bench-sidecar-footprint.log"
mkdir -p "$root/sidecar/target"
if ! mvn -B -q -f "$root/pom.xml" -pl sidecar -am verify \
    -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=SidecarFootprintIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dmaven.test.redirectTestOutputToFile=true \
    -Dhotpatch.bench.idleSeconds="$idle" \
    -Dhotpatch.bench.java="$java" -Dhotpatch.bench.image="$image" \
    -Dhotpatch.bench.extraFlags="${HOTPATCH_EXTRA_FLAGS:-}" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "bench-sidecar-footprint: the build or the benchmark failed; full log: $log" >&2
  exit 1
fi
sed -n '/^sidecar idle footprint/,/flags shipped:/p' \
  "$root/sidecar/target/failsafe-reports/io.hotpatch.sidecar.it.SidecarFootprintIT-output.txt"
