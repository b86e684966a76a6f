#!/usr/bin/env bash
# Builds an Argo Rollouts oracle (ORACLE=argo-validation, the default: the main.go in bench/$ORACLE; the
# replica-math one is test/support/go-reference/replicas, a reference of `npm test`) against the
# argo-rollouts module from the Go module proxy at ARGO_ROLLOUTS_VERSION, with that module's own replace
# directives. Cached under $SLIPWAY_CACHE/bin as
# $ORACLE-oracle-<version>-<hash of main.go>; prints the binary's path.
set -euo pipefail

# v1.10.1: its utils/ and validation/ equal v1.10.2's, which needs Go >= 1.26.10 (1.10.1 needs 1.26.1).
ARGO_ROLLOUTS_VERSION="${ARGO_ROLLOUTS_VERSION:-v1.10.1}"
ORACLE="${ORACLE:-argo-validation}"
BUILD_NAME="build-$ORACLE-oracle"
BUILD_WHAT="the Argo Rollouts oracle bench/$ORACLE (bench/$ORACLE-diff.ts)"
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../../src/dev/go-build.sh
. "$bench/../src/dev/go-build.sh"

main="$bench/$ORACLE/main.go"
build_program "$ORACLE-oracle" "$ARGO_ROLLOUTS_VERSION-$(sha256sum "$main" | cut -c1-12)" "$main" \
  "github.com/argoproj/argo-rollouts@$ARGO_ROLLOUTS_VERSION"
