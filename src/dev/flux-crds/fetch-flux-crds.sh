#!/usr/bin/env bash
# Fetches Flux's own CRDs for the dialect Slipway serves, from the Go module proxy at pinned versions
# (`go mod download` verifies every zip against the Go checksum database):
#   GitRepository  github.com/fluxcd/source-controller     config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml
#   Kustomization  github.com/fluxcd/kustomize-controller  config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml
# Each file is copied as published to $SLIPWAY_CACHE/crds/<project>-<version>/ (default
# ~/.cache/slipway/crds) with a .complete marker naming the module and its checksum, so a warm run does
# nothing. Safe to run concurrently (a lock serialises fetches). Nothing is built.
set -euo pipefail

SOURCE_CONTROLLER_VERSION="${SOURCE_CONTROLLER_VERSION:-v1.9.6}"
KUSTOMIZE_CONTROLLER_VERSION="${KUSTOMIZE_CONTROLLER_VERSION:-v1.9.6}"
BUILD_NAME=fetch-flux-crds
BUILD_WHAT="Flux's CRDs (GitRepository, Kustomization)"
# shellcheck source=../go-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/../go-build.sh"

# shellcheck source=../module-files.sh
. "$(dirname "${BASH_SOURCE[0]}")/../module-files.sh"

start=$(date +%s)
fetch "flux-source-controller-$SOURCE_CONTROLLER_VERSION" github.com/fluxcd/source-controller \
  "$SOURCE_CONTROLLER_VERSION" config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml
fetch "flux-kustomize-controller-$KUSTOMIZE_CONTROLLER_VERSION" github.com/fluxcd/kustomize-controller \
  "$KUSTOMIZE_CONTROLLER_VERSION" config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml
log "Flux CRDs ready in $CRDS ($(( $(date +%s) - start ))s)"
