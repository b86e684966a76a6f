#!/usr/bin/env bash
# Builds the sprig golden oracle (bench/sprig-golden/main.go) against sprig v3.3.0 from the Go module
# proxy. Cached under $SLIPWAY_CACHE/bin as sprig-golden-oracle-<version>-<hash of main.go>; prints
# the binary's path. Used only to regenerate test/golden/gotemplate/sprig/*.json (regen.ts).
set -euo pipefail

SPRIG_VERSION="${SPRIG_VERSION:-v3.3.0}"
BUILD_NAME="build-sprig-golden-oracle"
BUILD_WHAT="the sprig golden oracle bench/sprig-golden"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../src/dev/go-build.sh
. "$here/../../src/dev/go-build.sh"

name="sprig-golden-oracle"
version="$SPRIG_VERSION-$(sha256sum "$here/main.go" | cut -c1-12)"
if cached "$name" "$version"; then echo "$BIN/$name-$version"; exit 0; fi
dir="$work/$name"; mkdir -p "$dir"
cp "$here/main.go" "$dir/main.go"
printf 'module slipway.local/%s\ngo 1.24\nrequire github.com/Masterminds/sprig/v3 %s\n' "$name" "$SPRIG_VERSION" > "$dir/go.mod"
log "building $name $version"
(cd "$dir" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/$name-$version.tmp" .)
mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
echo "$BIN/$name-$version"
