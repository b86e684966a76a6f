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

# shellcheck source=../module-files.sh
. "$(dirname "${BASH_SOURCE[0]}")/../module-files.sh"

start=$(date +%s)
fetch "istio-$ISTIO_API_VERSION" istio.io/api "$ISTIO_API_VERSION" kubernetes/customresourcedefinitions.gen.yaml
fetch "gateway-api-$GATEWAY_API_VERSION" sigs.k8s.io/gateway-api "$GATEWAY_API_VERSION" \
  config/crd/standard config/crd/experimental
fetch "smi-$SMI_SDK_VERSION" github.com/servicemeshinterface/smi-sdk-go "$SMI_SDK_VERSION" crds/split.yaml
log "traffic CRDs ready in $CRDS ($(( $(date +%s) - start ))s)"
