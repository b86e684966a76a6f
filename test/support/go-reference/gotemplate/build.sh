#!/usr/bin/env bash
# Builds the Go text/template + sprig reference (main.go beside this script) against
# github.com/Masterminds/sprig/v3 at SPRIG_VERSION from the Go module proxy, with the local Go toolchain's
# text/template, configured as notifications-engine configures it. Cached under $SLIPWAY_CACHE/bin as
# gotemplate-reference-<sprig version>-<go version>-<hash of main.go>; prints the binary's path; a warm run
# only prints it.
set -euo pipefail

# The version notifications-engine (and so Argo Rollouts v1.10 / Argo CD) pins.
SPRIG_VERSION="${SPRIG_VERSION:-v3.3.0}"
BUILD_NAME=build-gotemplate-reference
BUILD_WHAT="the Go text/template + sprig reference (test/unit/gotemplate/differential.test.ts)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../../src/dev/go-build.sh
. "$here/../../../../src/dev/go-build.sh"

name="gotemplate-reference"
goversion="$(go env GOVERSION)"
version="sprig-$SPRIG_VERSION-$goversion-$(sha256sum "$here/main.go" | cut -c1-12)"
if cached "$name" "$version"; then echo "$BIN/$name-$version"; exit 0; fi
start=$(date +%s)
dir="$work/$name"; mkdir -p "$dir"
cp "$here/main.go" "$dir/main.go"
printf 'module slipway.local/%s\ngo 1.24\nrequire github.com/Masterminds/sprig/v3 %s\n' "$name" "$SPRIG_VERSION" > "$dir/go.mod"
log "building $name $version"
(cd "$dir" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/$name-$version.tmp" .)
mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
echo "$BIN/$name-$version"
log "$name ready in $BIN ($(( $(date +%s) - start ))s)"
