#!/usr/bin/env bash
# The pod tier (*Pod tests in pods/): plays the project's images and the pods the webhook and the operator
# produce in podman (`podman kube play --network host`), with the operator image against the mock API server.
# Needs root, podman and runc (apt-get install -y podman runc) and the image tarballs of
# scripts/build-images.sh; podman reads pods/containers.conf (runtime runc, ulimits under this host's hard
# limits). Skips with one line where podman does not run. Not part of `mvn verify`.
#
# Usage: scripts/test-pods.sh [maven options, e.g. -Dit.test=InjectedPod]   Env: MAVEN_ARGS e.g. -o.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export CONTAINERS_CONF="$root/pods/containers.conf"

skip() { echo "hotpatch pods SKIPPED: $*; run scripts/test-pods.sh as root on a machine with podman and runc"; exit 0; }
[[ "$(id -u)" == 0 ]] || skip "not root"
command -v podman >/dev/null || skip "no podman (apt-get install -y podman runc)"
podman info >/dev/null 2>&1 || skip "\`podman info\` fails: $(podman info 2>&1 | tail -n1)"
for name in operator sidecar sample; do
  [[ -f "$root/images/target/hotpatch-$name.tar" ]] \
    || { echo "test-pods: images/target/hotpatch-$name.tar is missing: run scripts/build-images.sh first" >&2; exit 1; }
done

# -DskipTests skips the other modules' tests (mvn verify ran them); the pods module ignores it (-DskipPods).
mvn -B -ntp ${MAVEN_ARGS:-} -f "$root/pom.xml" -Ppods verify -pl pods -am -DskipTests "$@"
