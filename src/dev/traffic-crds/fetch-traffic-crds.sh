#!/usr/bin/env bash
# Fetches the upstream traffic-routing CRDs that Slipway's routers work against, from the Go module
# proxy at pinned versions (`go mod download` verifies every zip against the Go checksum database):
#   Istio        istio.io/api                               kubernetes/customresourcedefinitions.gen.yaml
#   Gateway API  sigs.k8s.io/gateway-api                    config/crd/{standard,experimental}/
#   SMI          github.com/servicemeshinterface/smi-sdk-go crds/split.yaml (the module Argo Rollouts uses)
# Each set is copied as published to $SLIPWAY_CACHE/crds/<project>-<version>/ (default
# ~/.cache/slipway/crds) with a .complete marker naming the module and its checksum, so a warm run does
# nothing. Safe to run concurrently (a lock serialises fetches). Nothing is built.
set -euo pipefail

ISTIO_API_VERSION="${ISTIO_API_VERSION:-v1.32.0}"
GATEWAY_API_VERSION="${GATEWAY_API_VERSION:-v1.6.3}"
SMI_SDK_VERSION="${SMI_SDK_VERSION:-v0.5.0}"
BUILD_NAME=fetch-traffic-crds
BUILD_WHAT="the upstream traffic CRDs (Istio, Gateway API, SMI)"
# shellcheck source=../go-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/../go-build.sh"

CRDS="$CACHE/crds"
mkdir -p "$CRDS"

# fetch DEST MODULE VERSION PATH...: copies PATHs (files or folders) of MODULE@VERSION to $CRDS/DEST.
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
  for p in "$@"; do cp -R "$dir/$p" "$dest.tmp/"; done
  chmod -R u+w "$dest.tmp" # the module cache is read-only; the copy must stay removable
  printf '%s %s %s\n' "$module" "$version" "$sum" > "$dest.tmp/.complete"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  log "$module@$version ready in $dest"
}

start=$(date +%s)
fetch "istio-$ISTIO_API_VERSION" istio.io/api "$ISTIO_API_VERSION" kubernetes/customresourcedefinitions.gen.yaml
fetch "gateway-api-$GATEWAY_API_VERSION" sigs.k8s.io/gateway-api "$GATEWAY_API_VERSION" \
  config/crd/standard config/crd/experimental
fetch "smi-$SMI_SDK_VERSION" github.com/servicemeshinterface/smi-sdk-go "$SMI_SDK_VERSION" crds/split.yaml
log "traffic CRDs ready in $CRDS ($(( $(date +%s) - start ))s)"
