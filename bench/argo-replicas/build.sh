#!/usr/bin/env bash
# Builds an Argo Rollouts oracle (ORACLE=argo-replicas, the default, or argo-validation: the main.go in
# bench/$ORACLE) against the argo-rollouts
# module from the Go module proxy at ARGO_ROLLOUTS_VERSION, with that module's own replace directives
# (its k8s.io/* pins), so the code under test is exactly the published one. Cached under
# $SLIPWAY_CACHE/bin as $ORACLE-oracle-<version>-<hash of main.go>; a warm run does nothing.
set -euo pipefail

# v1.10.1: its utils/ and validation/ equal v1.10.2's, which needs Go >= 1.26.10 (1.10.1 needs 1.26.1).
ARGO_ROLLOUTS_VERSION="${ARGO_ROLLOUTS_VERSION:-v1.10.1}"
ORACLE="${ORACLE:-argo-replicas}"
BUILD_NAME="build-$ORACLE-oracle"
BUILD_WHAT="the Argo Rollouts oracle bench/$ORACLE (bench/$ORACLE-diff.ts)"
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$bench/$ORACLE"
# shellcheck source=../../src/dev/go-build.sh
. "$bench/../src/dev/go-build.sh"

name="$ORACLE-oracle"
version="$ARGO_ROLLOUTS_VERSION-$(sha256sum "$here/main.go" | cut -c1-12)"
cached "$name" "$version" && exit 0
start=$(date +%s)
dir="$work/$name"; mkdir -p "$dir"
cp "$here/main.go" "$dir/main.go"
log "fetching github.com/argoproj/argo-rollouts $ARGO_ROLLOUTS_VERSION"
gomod=$(cd "$dir" && GOFLAGS= go mod download -json "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION" \
  | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
{
  printf 'module slipway.local/%s\ngo 1.24\nrequire github.com/argoproj/argo-rollouts %s\n' "$name" "$ARGO_ROLLOUTS_VERSION"
  sed -n '/^replace (/,/^)/p' "$gomod"
} > "$dir/go.mod"
log "building $name $version"
(cd "$dir" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/$name-$version.tmp" .)
mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
echo "$BIN/$name-$version"
log "$name ready in $BIN ($(( $(date +%s) - start ))s)"
