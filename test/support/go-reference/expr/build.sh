#!/usr/bin/env bash
# Builds the expr-lang/expr + Argo Rollouts utils/evaluate reference (main.go beside this script) against
# the argo-rollouts module from the Go module proxy at ARGO_ROLLOUTS_VERSION (with that module's own
# replace directives) and expr-lang/expr at EXPR_VERSION, so the code under test is exactly the published
# one. Cached under $SLIPWAY_CACHE/bin as argo-expr-reference-<versions>-<hash of main.go>; prints the
# binary's path; a warm run only prints it.
set -euo pipefail

# v1.10.1: its utils/ and validation/ equal v1.10.2's, which needs Go >= 1.26.10 (1.10.1 needs 1.26.1).
ARGO_ROLLOUTS_VERSION="${ARGO_ROLLOUTS_VERSION:-v1.10.1}"
EXPR_VERSION="${EXPR_VERSION:-v1.17.7}"
BUILD_NAME=build-argo-expr-reference
BUILD_WHAT="the expr / Argo utils/evaluate reference (test/unit/expr/differential.test.ts)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../../src/dev/go-build.sh
. "$here/../../../../src/dev/go-build.sh"

name="argo-expr-reference"
version="$ARGO_ROLLOUTS_VERSION-expr-$EXPR_VERSION-$(sha256sum "$here/main.go" | cut -c1-12)"
if cached "$name" "$version"; then echo "$BIN/$name-$version"; exit 0; fi
start=$(date +%s)
dir="$work/$name"; mkdir -p "$dir"
cp "$here/main.go" "$dir/main.go"
log "fetching github.com/argoproj/argo-rollouts $ARGO_ROLLOUTS_VERSION"
gomod=$(cd "$dir" && GOFLAGS= go mod download -json "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION" \
  | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
{
  printf 'module slipway.local/%s\ngo 1.24\nrequire github.com/argoproj/argo-rollouts %s\nrequire github.com/expr-lang/expr %s\n' \
    "$name" "$ARGO_ROLLOUTS_VERSION" "$EXPR_VERSION"
  sed -n '/^replace (/,/^)/p' "$gomod"
} > "$dir/go.mod"
log "building $name $version"
(cd "$dir" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/$name-$version.tmp" .)
mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
echo "$BIN/$name-$version"
log "$name ready in $BIN ($(( $(date +%s) - start ))s)"
