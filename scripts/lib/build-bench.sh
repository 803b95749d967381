# Sourced by the benchmark scripts: builds the operator and the benchmark jar (no install, so no
# snapshot lands in the local Maven repository), or prints the build's last lines and exits.
#   build_bench NAME   # NAME is the calling command, for its error line; needs $root
build_bench() {
  local name="$1" log
  log="$(mktemp "${TMPDIR:-/tmp}/hotpatch-$name-build.XXXXXX")"
  echo "building the operator and the benchmark (a few minutes the first time)..." >&2
  if ! (cd "$root" && mvn -q -B -DskipTests package -pl bench -am) >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "$name: the build failed (full log: $log): fix the error above and run again" >&2
    exit 1
  fi
  rm -f "$log"
}
