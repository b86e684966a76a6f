#!/usr/bin/env bash
# Builds Argo Rollouts' own binaries at ARGO_ROLLOUTS_VERSION from the Go module proxy, to run beside
# Slipway in tests and benchmarks: the kubectl plugin (cmd/kubectl-argo-rollouts) and the controller
# (cmd/rollouts-controller). The build runs inside a copy of the published module, so its own go.mod
# (replace directives: the k8s.io/* pins) and go.sum apply unchanged. Its dashboard embeds
# server/static/*; the published module ships only server/static/.gitkeep there (the UI is built by
# yarn in their release), which satisfies the embed: the plugin's `dashboard` command serves no UI, and
# nothing else changes. Cached under $SLIPWAY_CACHE/bin as kubectl-argo-rollouts-<version> and
# argo-rollouts-controller-<version>; a warm run does nothing.
set -euo pipefail

# Change it here and in src/dev/argo-rollouts/binaries.ts together.
ARGO_ROLLOUTS_VERSION="${ARGO_ROLLOUTS_VERSION:-v1.10.1}"
BUILD_NAME="build-argo-rollouts"
BUILD_WHAT="Argo Rollouts' kubectl plugin and controller"
# shellcheck source=../go-build.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/go-build.sh"

plugin="kubectl-argo-rollouts"
controller="argo-rollouts-controller"
if cached "$plugin" "$ARGO_ROLLOUTS_VERSION" && cached "$controller" "$ARGO_ROLLOUTS_VERSION"; then exit 0; fi
start=$(date +%s)
log "fetching github.com/argoproj/argo-rollouts $ARGO_ROLLOUTS_VERSION"
moddir=$(cd "$work" && GOFLAGS= go mod download -json "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION" \
  | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[ -n "$moddir" ] && [ -f "$moddir/go.mod" ] || { log "cannot download the module"; exit 1; }
src="$work/argo-rollouts"
cp -r "$moddir" "$src"
chmod -R u+w "$src"
[ -n "$(ls -A "$src/server/static")" ] || : > "$src/server/static/.gitkeep"

pkg=github.com/argoproj/argo-rollouts
ldflags="-X $pkg/utils/version.version=${ARGO_ROLLOUTS_VERSION#v} -X $pkg/utils/version.gitTreeState=clean"
export GOFLAGS=-mod=readonly
for target in "$plugin:./cmd/kubectl-argo-rollouts" "$controller:./cmd/rollouts-controller"; do
  name="${target%%:*}"
  cached "$name" "$ARGO_ROLLOUTS_VERSION" && continue
  log "building $name $ARGO_ROLLOUTS_VERSION"
  (cd "$src" && go build -trimpath -ldflags "-s -w $ldflags" -o "$BIN/$name-$ARGO_ROLLOUTS_VERSION.tmp" "${target#*:}")
  mv "$BIN/$name-$ARGO_ROLLOUTS_VERSION.tmp" "$BIN/$name-$ARGO_ROLLOUTS_VERSION"
done
log "ready in $BIN ($(( $(date +%s) - start ))s)"
