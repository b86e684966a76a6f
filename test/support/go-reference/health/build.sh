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

build_program gitops-health-reference "$GITOPS_ENGINE_VERSION-$(sha256sum "$here/main.go" | cut -c1-12)" \
  "$here/main.go" "github.com/argoproj/gitops-engine@$GITOPS_ENGINE_VERSION"
