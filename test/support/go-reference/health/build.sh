#!/usr/bin/env bash
# Builds the gitops-engine pkg/health reference (main.go beside this script) against the gitops-engine
# module from the Go module proxy at GITOPS_ENGINE_VERSION (the commit Argo CD's current releases pin),
# so the code under test is exactly the published one. Cached under $SLIPWAY_CACHE/bin as
# gitops-health-reference-<version>-<hash of main.go>; prints the binary's path; a warm run only prints it.
set -euo pipefail

GITOPS_ENGINE_VERSION="${GITOPS_ENGINE_VERSION:-v0.7.1-0.20251217140045-5baed5604d2d}"
BUILD_NAME=build-gitops-health-reference
BUILD_WHAT="the gitops-engine health reference (test/unit/sync/health-differential.test.ts)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../../src/dev/go-build.sh
. "$here/../../../../src/dev/go-build.sh"

name="gitops-health-reference"
version="$GITOPS_ENGINE_VERSION-$(sha256sum "$here/main.go" | cut -c1-12)"
if cached "$name" "$version"; then echo "$BIN/$name-$version"; exit 0; fi
start=$(date +%s)
dir="$work/$name"; mkdir -p "$dir"
cp "$here/main.go" "$dir/main.go"
log "fetching github.com/argoproj/gitops-engine $GITOPS_ENGINE_VERSION"
gomod=$(cd "$dir" && GOFLAGS= go mod download -json "github.com/argoproj/gitops-engine@$GITOPS_ENGINE_VERSION" \
  | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
{
  printf 'module slipway.local/%s\ngo 1.24\nrequire github.com/argoproj/gitops-engine %s\n' "$name" "$GITOPS_ENGINE_VERSION"
  sed -n '/^replace (/,/^)/p' "$gomod"
} > "$dir/go.mod"
log "building $name $version"
(cd "$dir" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/$name-$version.tmp" .)
mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
echo "$BIN/$name-$version"
log "$name ready in $BIN ($(( $(date +%s) - start ))s)"
