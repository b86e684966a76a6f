#!/usr/bin/env bash
# Builds the manifest renderers the sync loop runs as real binaries, from the Go module proxy:
# kustomize (sigs.k8s.io/kustomize/kustomize/v5) and helm (helm.sh/helm/v4), at pinned versions.
# Binaries are cached outside the repo under $SLIPWAY_CACHE/bin (default ~/.cache/slipway/bin),
# keyed by version, so a warm run does nothing. Safe to run concurrently (a lock serialises builds).
set -euo pipefail

KUSTOMIZE_VERSION="${KUSTOMIZE_VERSION:-v5.8.2}"
HELM_VERSION="${HELM_VERSION:-v4.3.1}"
CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
BIN="$CACHE/bin"

if ! command -v go >/dev/null 2>&1; then
  echo "slipway: Go is required to build kustomize and helm for the sync loop." >&2
  echo "         Install Go 1.24 or newer (https://go.dev/doc/install) and make sure 'go' is on PATH." >&2
  exit 3
fi

mkdir -p "$BIN"
exec 9>"$CACHE/build-tools.lock"
flock 9

log() { printf '[build-tools] %s\n' "$*" >&2; }
cached() { [ -x "$BIN/$1-$2" ]; }

work=$(mktemp -d "${TMPDIR:-/tmp}/slipway-tools.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0

# A wrapper module that requires the tool's module at the pinned version, so `go build` resolves the
# tool's own dependency graph (its go.mod has no replace directives that would need copying).
build_tool() {
  local name="$1" version="$2" module="$3" pkg="$4" ldflags="$5"
  cached "$name" "$version" && return 0
  local dir="$work/$name"; mkdir -p "$dir"
  printf 'module slipway.local/%s-build\ngo 1.24\nrequire %s %s\n' "$name" "$module" "$version" > "$dir/go.mod"
  log "building $name $version"
  (cd "$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$BIN/$name-$version.tmp" "$pkg")
  mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
}

start=$(date +%s)
build_tool kustomize "$KUSTOMIZE_VERSION" sigs.k8s.io/kustomize/kustomize/v5 sigs.k8s.io/kustomize/kustomize/v5 \
  "-X sigs.k8s.io/kustomize/api/provenance.version=kustomize/$KUSTOMIZE_VERSION"
build_tool helm "$HELM_VERSION" helm.sh/helm/v4 helm.sh/helm/v4/cmd/helm \
  "-X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"
log "tools ready in $BIN ($(( $(date +%s) - start ))s)"
