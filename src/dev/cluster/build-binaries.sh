#!/usr/bin/env bash
# Builds the local control plane used by tests and the demo from the Go module proxy:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok, at pinned versions.
# Binaries are cached outside the repo under $SLIPWAY_CACHE (default ~/.cache/slipway), keyed
# by version, so a warm run does nothing. Safe to run concurrently (a lock serialises builds).
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-v1.36.3}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
BUILD_NAME=build-binaries
BUILD_WHAT="the local control plane (etcd, kube-apiserver, kwok)"
# shellcheck source=../go-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/../go-build.sh"

build_k8s() {
  local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
  local staging="v0.${K8S_VERSION#v1.}"
  local need=()
  for c in kube-apiserver kube-controller-manager kube-scheduler; do
    cached "$c" "$K8S_VERSION" || need+=("$c")
  done
  [ ${#need[@]} -eq 0 ] && return 0
  local dir="$work/k8s"; mkdir -p "$dir"
  log "fetching k8s.io/kubernetes@$K8S_VERSION"
  local gomod
  gomod=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  # Every staging module the tag replaces with ./staging/src/k8s.io/X maps to the published k8s.io/X v0.<minor>.<patch>.
  {
    echo "module slipway.local/k8s-build"
    echo "go 1.24"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    grep -E '^\s*k8s.io/[A-Za-z0-9._-]+ => ./staging/src/' "$gomod" | awk -v v="$staging" '{print "replace " $1 " => " $1 " " v}'
  } > "$dir/go.mod"
  log "$(grep -c '^replace' "$dir/go.mod") staging modules pinned to $staging"
  local ld="-s -w"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld="$ld -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
  done
  for c in "${need[@]}"; do
    log "building $c $K8S_VERSION"
    (cd "$dir" && go build -trimpath -ldflags "$ld" -o "$BIN/$c-$K8S_VERSION.tmp" "k8s.io/kubernetes/cmd/$c")
    mv "$BIN/$c-$K8S_VERSION.tmp" "$BIN/$c-$K8S_VERSION"
  done
}

build_etcd() {
  build_tool etcd "$ETCD_VERSION" go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3 ""
}

build_kwok() {
  local stages="$BIN/kwok-$KWOK_VERSION-stages.yaml"
  cached kwok "$KWOK_VERSION" && [ -s "$stages" ] && return 0
  build_tool kwok "$KWOK_VERSION" sigs.k8s.io/kwok sigs.k8s.io/kwok/cmd/kwok \
    "-X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
  # kwok needs Stage objects to know how to fake node and pod lifecycles: take the "fast" set
  # (nodes initialise and heartbeat with leases, pods become Ready, complete and delete) from the
  # pinned module itself.
  local src
  src=$(cd "$work" && go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  : > "$stages.tmp"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    printf -- '---\n' >> "$stages.tmp"
    cat "$src/kustomize/stage/$f" >> "$stages.tmp"
  done
  mv "$stages.tmp" "$stages"
}

start=$(date +%s)
build_etcd
build_kwok
build_k8s
log "binaries ready in $BIN ($(( $(date +%s) - start ))s)"
