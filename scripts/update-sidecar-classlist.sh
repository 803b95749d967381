#!/usr/bin/env bash
# Rewrites images/sidecar.classlist: the JDK classes a real sidecar loads while it starts, applies a
# patch and holds its long poll (the footprint benchmark's run). scripts/build-images.sh archives
# them (CDS) into the sidecar image. A stale list costs only speed: classes it misses load as usual.
#   MAVEN_ARGS=-o scripts/update-sidecar-classlist.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
loaded="$(mktemp "${TMPDIR:-/tmp}/sidecar-classlist.XXXXXX")"
trap 'rm -f "$loaded"' EXIT
rm -f "$loaded"
HOTPATCH_EXTRA_FLAGS="-XX:DumpLoadedClassList=$loaded" "$root/scripts/bench-sidecar-footprint.sh" 3 >/dev/null
[[ -s "$loaded" ]] || { echo "update-sidecar-classlist: the sidecar wrote no class list" >&2; exit 1; }
{
  echo "# JDK classes the sidecar loads; written by scripts/update-sidecar-classlist.sh, read by"
  echo "# scripts/build-images.sh (-Xshare:dump). Regenerate after changing what the sidecar uses."
  grep -E '^[a-z][A-Za-z0-9_/$]*$' "$loaded" | grep -v -e '^io/hotpatch/' -e '^com/fasterxml/' -e '^org/objectweb/'
} >"$root/images/sidecar.classlist"
echo "update-sidecar-classlist: $(grep -vc '^#' "$root/images/sidecar.classlist") classes in images/sidecar.classlist"
