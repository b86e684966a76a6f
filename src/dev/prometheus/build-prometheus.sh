#!/usr/bin/env bash
# Builds Prometheus from the Go module proxy for machines without a system Prometheus (the demo and the
# analysis tests need a real one). Cached under $SLIPWAY_CACHE/bin (default ~/.cache/slipway/bin) as
# prometheus-<version>, so a warm run does nothing. Safe to run concurrently (a lock serialises builds).
# The web UI's assets are not embedded (no `builtinassets` tag): the HTTP API and scraping are complete.
set -euo pipefail

# Prometheus 3.7.3; its Go module is versioned v0.3MM.P for v3.MM.P.
PROMETHEUS_VERSION="${PROMETHEUS_VERSION:-v0.307.3}"
BUILD_NAME=build-prometheus
BUILD_WHAT="Prometheus (no system prometheus binary was found)"
# shellcheck source=../go-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/../go-build.sh"

rest="${PROMETHEUS_VERSION#v0.3}"
release="3.$((10#${rest%%.*})).${rest#*.}"
start=$(date +%s)
build_tool prometheus "$PROMETHEUS_VERSION" github.com/prometheus/prometheus \
  github.com/prometheus/prometheus/cmd/prometheus \
  "-X github.com/prometheus/common/version.Version=$release -X github.com/prometheus/common/version.Branch=HEAD"
log "prometheus ready in $BIN ($(( $(date +%s) - start ))s)"
