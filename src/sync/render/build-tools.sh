#!/usr/bin/env bash
# Builds the manifest renderers the sync loop runs as real binaries, from the Go module proxy:
# kustomize (sigs.k8s.io/kustomize/kustomize/v5) and helm (helm.sh/helm/v4), at pinned versions.
# Binaries are cached outside the repo under $SLIPWAY_CACHE/bin (default ~/.cache/slipway/bin),
# keyed by version, so a warm run does nothing. Safe to run concurrently (a lock serialises builds).
set -euo pipefail

KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.8.2}"
HELM_VERSION="${HELM_VERSION:-v4.3.1}"
BUILD_NAME=build-tools
BUILD_WHAT="kustomize and helm for the sync loop"
# shellcheck source=../../dev/go-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../dev/go-build.sh"

start=$(date +%s)
build_tool kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 sigs.k8s.io/kustomize/kustomize/v5 \
  "-X sigs.k8s.io/kustomize/api/provenance.version=kustomize/$KUSTOMIZE_VERSION"
build_tool helm "$HELM_VERSION" helm.sh/helm/v4 helm.sh/helm/v4/cmd/helm \
  "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
log "tools ready in $BIN ($(( $(date +%s) - start ))s)"
