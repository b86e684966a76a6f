#!/usr/bin/env bash
# Builds Flux's own source-controller and kustomize-controller at the versions whose CRDs Slipway's Flux
# dialect serves (src/dev/flux-crds), from the Go module proxy, to run beside Slipway in bench/sync.ts
# (`--against flux`). Each build runs inside a copy of the published module, so its own go.mod (its
# replace directives: go-digest, the kustomize and yaml pins) and go.sum apply; the one replace that
# cannot apply is the module's `./api` (a nested module, not part of the published zip), so the
# required .../api at the same version comes from the proxy instead. A dependency version the proxy
# does not serve is pinned to the nearest served patch release below it (PINS; said in the log).
# Cached under $SLIPWAY_CACHE/bin as
# flux-source-controller-<version> and flux-kustomize-controller-<version>; a warm run does nothing.
set -euo pipefail

# Change them here and in src/dev/flux-controllers/binaries.ts (and src/dev/flux-crds) together.
SOURCE_CONTROLLER_VERSION="${SOURCE_CONTROLLER_VERSION:-v1.9.6}"
KUSTOMIZE_CONTROLLER_VERSION="${KUSTOMIZE_CONTROLLER_VERSION:-v1.9.6}"
BUILD_NAME="build-flux-controllers"
BUILD_WHAT="Flux's source-controller and kustomize-controller"
# shellcheck source=../go-build.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/go-build.sh"

# Dependency versions that source-controller v1.9.6 requires and the Go module proxy does not serve
# (403 "not available"): module@served-version, applied as replace directives.
PINS="github.com/fluxcd/pkg/artifact@v0.18.0"

# build_controller NAME VERSION: github.com/fluxcd/NAME at VERSION, its main package at the module root.
build_controller() {
  local name="$1" version="$2" pin
  cached "flux-$name" "$version" && return 0
  local start moddir src
  start=$(date +%s)
  log "fetching github.com/fluxcd/$name $version"
  moddir=$(cd "$work" && GOFLAGS= go mod download -json "github.com/fluxcd/$name@$version" \
    | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$moddir" ] && [ -f "$moddir/go.mod" ] || { log "cannot download github.com/fluxcd/$name"; exit 1; }
  src="$work/$name"
  cp -r "$moddir" "$src"
  chmod -R u+w "$src"
  [ -d "$src/api" ] || (cd "$src" && go mod edit -dropreplace "github.com/fluxcd/$name/api")
  for pin in $PINS; do
    grep -q "^[[:space:]]*${pin%@*} " "$src/go.mod" || continue
    log "pinning ${pin%@*} to ${pin##*@} (the version required is not served)"
    (cd "$src" && go mod edit -replace "${pin%@*}=$pin")
  done
  log "building flux-$name $version"
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$BIN/flux-$name-$version.tmp" .)
  mv "$BIN/flux-$name-$version.tmp" "$BIN/flux-$name-$version"
  log "flux-$name ready in $BIN ($(( $(date +%s) - start ))s)"
}

build_controller source-controller "$SOURCE_CONTROLLER_VERSION"
build_controller kustomize-controller "$KUSTOMIZE_CONTROLLER_VERSION"
