#!/usr/bin/env bash
# Rewrites images/sidecar.classlist: the classes (the JDK's, the sidecar's, jackson-jr's) a real
# sidecar loads on the image's JDK while it starts, applies a patch and holds its long poll (the
# footprint benchmark's run). scripts/build-images.sh archives them (CDS) into the sidecar image. A
# stale list costs only memory and speed: classes it misses load as usual, names it lists but the
# jars lack are skipped with a warning.
#   MAVEN_ARGS=-o scripts/update-sidecar-classlist.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
loaded="$(mktemp "${TMPDIR:-/tmp}/sidecar-classlist.XXXXXX")"
trap 'rm -f "$loaded"' EXIT
rm -f "$loaded"
HOTPATCH_EXTRA_FLAGS="-XX:DumpLoadedClassList=$loaded" "$root/scripts/bench-sidecar-footprint.sh" 3 >/dev/null
[[ -s "$loaded" ]] || { echo "update-sidecar-classlist: the sidecar wrote no class list" >&2; exit 1; }
{
  echo "# Classes the sidecar loads; written by scripts/update-sidecar-classlist.sh, read by"
  echo "# scripts/build-images.sh (-Xshare:dump). Regenerate after changing what the sidecar uses."
  # Class names only (Java 25 appends " id: N"): no @lambda or @cp lines, whose constant pool
  # indexes go stale with every change to a class.
  grep -E '^[a-z][A-Za-z0-9_/$]*( id: [0-9]+)?$' "$loaded" | sed 's/ id: [0-9]*$//'
} >"$root/images/sidecar.classlist"
echo "update-sidecar-classlist: $(grep -vc '^#' "$root/images/sidecar.classlist") classes in images/sidecar.classlist"
