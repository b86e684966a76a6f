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

CRDS="$CACHE/crds"
mkdir -p "$CRDS"

# fetch DEST MODULE VERSION PATH...: copies PATHs (files) of MODULE@VERSION to $CRDS/DEST.
fetch() {
  local dest="$CRDS/$1" module="$2" version="$3"
  shift 3
  [ -f "$dest/.complete" ] && return 0
  log "fetching $module@$version"
  local json
  if ! json=$(cd "$work" && go mod download -json "$module@$version"); then
    printf '%s\n' "$json" >&2
    return 1
  fi
  local dir sum
  dir=$(printf '%s\n' "$json" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  sum=$(printf '%s\n' "$json" | sed -n 's/.*"Sum": "\(.*\)".*/\1/p')
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  for p in "$@"; do cp "$dir/$p" "$dest.tmp/"; done
  chmod -R u+w "$dest.tmp" # the module cache is read-only; the copy must stay removable
  printf '%s %s %s\n' "$module" "$version" "$sum" > "$dest.tmp/.complete"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  log "$module@$version ready in $dest"
}

start=$(date +%s)
fetch "flux-source-controller-$SOURCE_CONTROLLER_VERSION" github.com/fluxcd/source-controller \
  "$SOURCE_CONTROLLER_VERSION" config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml
fetch "flux-kustomize-controller-$KUSTOMIZE_CONTROLLER_VERSION" github.com/fluxcd/kustomize-controller \
  "$KUSTOMIZE_CONTROLLER_VERSION" config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml
log "Flux CRDs ready in $CRDS ($(( $(date +%s) - start ))s)"
