#!/usr/bin/env bash
# Proves the image tarballs from scripts/build-images.sh work, without Docker: unpacks each
# image's layers into a root filesystem and runs its own entrypoint there (`unshare --root` in
# private mount and PID namespaces, as the image's user, with only the image's environment, /proc,
# /dev and a tmpfs /tmp mounted) the way a container runtime would. Needs root (unshare, mount) and
# python3; about 35 s. Not part of `mvn verify`.
#
# Checks: image names match the chart's defaults; the sidecar's Java runs as 65532; the daemon
# refuses a missing setting with its one-line error; `--install-agent` copies the agent jar into a
# mounted /hotpatch; the sample image serves the v1 quote; the operator starts against a mock Kubernetes API (leader election included)
# and answers GET /q/health/live over HTTP (management port) and HTTPS with a mounted certificate.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
images="$root/images/target"
work="$(mktemp -d)"
failed=0
trap 'rm -rf "$work"' EXIT

die() { echo "test-images: $*" >&2; exit 1; }
[[ "$(id -u)" == 0 ]] || die "must run as root (unshare, mount)"
command -v python3 >/dev/null || die "python3 is missing: apt-get install -y python3"

# unpack NAME: the image's layers, in order, into $work/NAME/rootfs; config into $work/NAME/config.json.
unpack() {
  local tar="$images/hotpatch-$1.tar" dir="$work/$1"
  [[ -f "$tar" ]] || die "$tar is missing: run scripts/build-images.sh first"
  mkdir -p "$dir/image" "$dir/rootfs"
  tar -xf "$tar" -C "$dir/image"
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))[0]; print(m["Config"]); print("\n".join(m["Layers"]))' \
    "$dir/image/manifest.json" >"$dir/layers"
  cp "$dir/image/$(head -1 "$dir/layers")" "$dir/config.json"
  tail -n +2 "$dir/layers" | while read -r layer; do tar --warning=no-unknown-keyword -xzf "$dir/image/$layer" -C "$dir/rootfs"; done
}

# config NAME KEY: prints the image config value (lists one item per line).
config() {
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["config"].get(sys.argv[2]) or ""; print("\n".join(v) if isinstance(v,list) else v)' \
    "$work/$1/config.json" "$2"
}

# run NAME 'MOUNTS' ENV... -- ARGS...: runs the entrypoint plus ARGS (or the words of $RUN_COMMAND
# instead) as the image's user in its root filesystem. MOUNTS: "host:container ..." bind mounts.
run() {
  local name="$1" mounts="$2"; shift 2
  local envs=() args=() rootfs="$work/$name/rootfs" user
  while [[ $# -gt 0 && "$1" != "--" ]]; do envs+=("$1"); shift; done
  [[ "${1:-}" == "--" ]] && shift
  mapfile -t entry < <(config "$name" Entrypoint)
  args=("${entry[@]}" "$@")
  [[ -n "${RUN_COMMAND:-}" ]] && read -r -a args <<<"$RUN_COMMAND"
  user="$(config "$name" User)"
  local setup="set -e; mount -t proc proc '$rootfs/proc'; mount --rbind /dev '$rootfs/dev'; mount -t tmpfs -o mode=1777 tmpfs '$rootfs/tmp';"
  for m in $mounts; do
    mkdir -p "$rootfs${m#*:}"
    setup+=" mount --bind '${m%%:*}' '$rootfs${m#*:}';"
  done
  mkdir -p "$rootfs/proc" "$rootfs/dev"
  mapfile -t image_env < <(config "$name" Env)
  # env -i: only the image's environment plus the test's, as a container runtime passes it.
  timeout --kill-after=5 "${RUN_TIMEOUT:-60}" unshare --mount --pid --fork --kill-child sh -c \
    "$setup exec env -i \"\$@\"" sh "${image_env[@]}" "${envs[@]}" \
    "$(command -v unshare)" --root="$rootfs" --wd="$(config "$name" WorkingDir)" \
    --setuid="${user%%:*}" --setgid="${user##*:}" "${args[@]}" 2>&1
}

check() { # check DESCRIPTION COMMAND...: prints ok/FAILED and counts failures
  if "${@:2}"; then echo "ok      $1"; else echo "FAILED  $1"; failed=$((failed + 1)); fi
}

unpack sidecar
unpack operator
unpack sample
for name in sidecar operator sample; do
  echo "== hotpatch-$name: $(du -h "$images/hotpatch-$name.tar" | cut -f1) tarball," \
    "$(du -sh "$work/$name/rootfs" | cut -f1) unpacked, user $(config "$name" User)"
done

echo "== image names = the chart's defaults (values.yaml repositories, Chart.yaml appVersion)"
chart="$root/helm/hotpatch-operator"
app_version="$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$chart/Chart.yaml")"
for name in operator sidecar; do
  section="image"; [[ "$name" == sidecar ]] && section="sidecar"
  repo="$(awk -v s="^$section:" '$0 ~ s {f=1} f && /repository:/ {print $2; exit}' "$chart/values.yaml")"
  tag="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["RepoTags"][0])' "$work/$name/image/manifest.json")"
  check "hotpatch-$name.tar is $tag, the chart expects $repo:$app_version" test "$tag" = "$repo:$app_version"
done

echo "== sidecar: java -version"
out="$(RUN_COMMAND="/opt/java/bin/java -version" run sidecar "" || true)"
echo "$out" | sed 's/^/  | /'
check "sidecar runtime runs as 65532" grep -q 'OpenJDK 64-Bit Server VM' <<<"$out"

echo "== sidecar: entrypoint without settings"
set +e; out="$(run sidecar "")"; rc=$?; set -e
echo "$out" | sed 's/^/  | /'
check "daemon exits 2 naming the missing setting" test "$rc" = 2 -a -n "$(grep 'HOTPATCH_' <<<"$out")"

echo "== sidecar: --install-agent into a mounted /hotpatch"
shared="$work/shared" && mkdir -p "$shared" && chown 65532:65532 "$shared"
set +e; out="$(run sidecar "$shared:/hotpatch" HOTPATCH_DIR=/hotpatch -- --install-agent)"; rc=$?; set -e
echo "$out" | sed 's/^/  | /'
check "--install-agent exits 0" test "$rc" = 0
check "agent jar copied to /hotpatch/agent/hotpatch-agent.jar" \
  cmp -s "$shared/agent/hotpatch-agent.jar" "$work/sidecar/rootfs/opt/hotpatch/hotpatch-agent.jar"

echo "== operator: start against a mock Kubernetes API (Fabric8, CRUD mode)"
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
mvn -B -q ${MAVEN_ARGS:-} -f "$root/operator/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/mock.cp" 2>&1 | sed 's/\x1b\[0m//g'
[[ -s "$work/mock.cp" ]] || die "could not resolve the operator's test class path (Fabric8 mock server)"
api_port="$(freeport)"
java -cp "$(cat "$work/mock.cp")" "$root/images/src/it/MockApiServer.java" "$api_port" \
  "$root"/crds/*.yml \
  >"$work/mock.log" 2>&1 &
mock=$!
for _ in $(seq 1 60); do grep -qs 'mock Kubernetes API' "$work/mock.log" && break; sleep 1; done
tls="$work/tls" && mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=hotpatch-operator \
  -keyout "$tls/tls.key" -out "$tls/tls.crt" 2>/dev/null
chmod 644 "$tls"/*
# Free ports instead of 8080/8443 so that the check never collides with another process here.
port="$(freeport)"
ssl_port="$(freeport)"
log="$work/operator.log"
RUN_TIMEOUT=120 run operator "$tls:/etc/hotpatch/tls" QUARKUS_MANAGEMENT_PORT="$port" QUARKUS_HTTP_SSL_PORT="$ssl_port" \
  KUBERNETES_MASTER="http://127.0.0.1:$api_port" \
  KUBERNETES_NAMESPACE=hotpatch-system POD_NAMESPACE=hotpatch-system >"$log" 2>&1 &
pid=$!
live=""
tls_status=""
# Any HTTP status over HTTPS proves the TLS listener serves the mounted certificate (channel, webhook).
for _ in $(seq 1 90); do
  [[ -z "$live" ]] && live="$(curl -fsS "http://127.0.0.1:$port/q/health/live" 2>/dev/null || true)"
  [[ "$tls_status" =~ ^[1-5] ]] || tls_status="$(curl -ksS -o /dev/null -w '%{http_code}' \
    "https://127.0.0.1:$ssl_port/q/health/live" 2>/dev/null || true)"
  [[ -n "$live" && "$tls_status" =~ ^[1-5] ]] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
kill "$pid" "$mock" 2>/dev/null || true
wait "$pid" "$mock" 2>/dev/null || true
grep -v '^\s*at ' "$log" | cut -c1-200 | sed 's/^/  | /' | head -30
echo "  /q/health/live: ${live:-no answer}" | tr -s ' \n' ' '; echo
check "operator answers /q/health/live with UP" grep -q '"status": *"UP"' <<<"$live"
echo "  HTTPS port: HTTP status $tls_status"
check "operator serves HTTPS with the mounted certificate" grep -qE '^[1-5][0-9][0-9]$' <<<"$tls_status"

echo "== sample: the checkout service of examples/checkout.yaml"
sample_port="$(freeport)"
RUN_TIMEOUT=60 run sample "" -- "$sample_port" >"$work/sample.log" 2>&1 &
sample_pid=$!
quote=""
for _ in $(seq 1 60); do
  quote="$(curl -fsS "http://127.0.0.1:$sample_port/price?cents=1999" 2>/dev/null || true)"
  [[ -n "$quote" ]] && break
  kill -0 "$sample_pid" 2>/dev/null || break
  sleep 1
done
kill "$sample_pid" 2>/dev/null || true
wait "$sample_pid" 2>/dev/null || true
sed 's/^/  | /' "$work/sample.log" | head -5
check "sample answers the v1 quote (total=23.78 EUR), got '$quote'" test "$quote" = "total=23.78 EUR"

[[ "$failed" == 0 ]] && echo "test-images: all checks passed" || { echo "test-images: $failed check(s) failed"; exit 1; }
