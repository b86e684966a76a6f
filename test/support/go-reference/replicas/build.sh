#!/usr/bin/env bash
# Builds the Argo Rollouts replica-math reference (main.go beside this script: utils/replicaset's
# CalculateReplicaCountsForBasicCanary, CalculateReplicaCountsForTrafficRoutedCanary,
# GetCanaryReplicasOrWeight and GetCurrentSetWeight) against the argo-rollouts module from the Go module
# proxy at ARGO_ROLLOUTS_VERSION, with that module's own replace directives, so the code under test is
# exactly the published one. Cached under $SLIPWAY_CACHE/bin as argo-replicas-oracle-<version>-<hash of
# main.go>; prints the binary's path; a warm run only prints it.
set -euo pipefail

# v1.10.1: its utils/ and validation/ equal v1.10.2's, which needs Go >= 1.26.10 (1.10.1 needs 1.26.1).
ARGO_ROLLOUTS_VERSION="${ARGO_ROLLOUTS_VERSION:-v1.10.1}"
BUILD_NAME=build-argo-replicas-oracle
BUILD_WHAT="the Argo Rollouts replica-math reference (test/unit/rollouts/replicas-differential.test.ts)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../../src/dev/go-build.sh
. "$here/../../../../src/dev/go-build.sh"

build_program argo-replicas-oracle "$ARGO_ROLLOUTS_VERSION-$(sha256sum "$here/main.go" | cut -c1-12)" \
  "$here/main.go" "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION"
