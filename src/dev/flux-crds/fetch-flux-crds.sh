#!/usr/bin/env bash
# Fetches Flux's own CRDs for the dialect Slipway serves, from the Go module proxy at pinned versions
# (`go mod download` verifies every zip against the Go checksum database):
#   GitRepository  github.com/fluxcd/source-controller     config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml
#   Kustomization  github.com/fluxcd/kustomize-controller  config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml
#   HelmRepository, HelmChart  github.com/fluxcd/source-controller  config/crd/bases/source.toolkit.fluxcd.io_helm*.yaml
#   OCIRepository  github.com/fluxcd/source-controller  config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml
#   HelmRelease    github.com/fluxcd/helm-controller       config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml
#   ImageRepository, ImagePolicy  github.com/fluxcd/image-reflector-controller  config/crd/bases/image.toolkit.fluxcd.io_image{repositories,policies}.yaml
#   ImageUpdateAutomation  github.com/fluxcd/image-automation-controller  config/crd/bases/image.toolkit.fluxcd.io_imageupdateautomations.yaml
# Each file is copied as published to $SLIPWAY_CACHE/crds/<project>-<version>/ (default
# ~/.cache/slipway/crds) with a .complete marker naming the module and its checksum, so a warm run does
# nothing. Safe to run concurrently (a lock serialises fetches). Nothing is built.
set -euo pipefail

SOURCE_CONTROLLER_VERSION="${SOURCE_CONTROLLER_VERSION:-v1.9.6}"
KUSTOMIZE_CONTROLLER_VERSION="${KUSTOMIZE_CONTROLLER_VERSION:-v1.9.6}"
HELM_CONTROLLER_VERSION="${HELM_CONTROLLER_VERSION:-v1.6.4}"
IMAGE_REFLECTOR_CONTROLLER_VERSION="${IMAGE_REFLECTOR_CONTROLLER_VERSION:-v1.2.4}"
IMAGE_AUTOMATION_CONTROLLER_VERSION="${IMAGE_AUTOMATION_CONTROLLER_VERSION:-v1.2.4}"
BUILD_NAME=fetch-flux-crds
BUILD_WHAT="Flux's CRDs (GitRepository, Kustomization, HelmRepository, HelmChart, HelmRelease, OCIRepository, ImageRepository, ImagePolicy, ImageUpdateAutomation)"
# shellcheck source=../go-build.sh
. "$(dirname "${BASH_SOURCE[0]}")/../go-build.sh"

# shellcheck source=../module-files.sh
. "$(dirname "${BASH_SOURCE[0]}")/../module-files.sh"

start=$(date +%s)
fetch "flux-source-controller-$SOURCE_CONTROLLER_VERSION" github.com/fluxcd/source-controller \
  "$SOURCE_CONTROLLER_VERSION" config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml
fetch "flux-kustomize-controller-$KUSTOMIZE_CONTROLLER_VERSION" github.com/fluxcd/kustomize-controller \
  "$KUSTOMIZE_CONTROLLER_VERSION" config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml
fetch "flux-source-controller-helm-$SOURCE_CONTROLLER_VERSION" github.com/fluxcd/source-controller \
  "$SOURCE_CONTROLLER_VERSION" config/crd/bases/source.toolkit.fluxcd.io_helmrepositories.yaml \
  config/crd/bases/source.toolkit.fluxcd.io_helmcharts.yaml
fetch "flux-helm-controller-$HELM_CONTROLLER_VERSION" github.com/fluxcd/helm-controller \
  "$HELM_CONTROLLER_VERSION" config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml
fetch "flux-source-controller-oci-$SOURCE_CONTROLLER_VERSION" github.com/fluxcd/source-controller \
  "$SOURCE_CONTROLLER_VERSION" config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml
fetch "flux-image-reflector-controller-$IMAGE_REFLECTOR_CONTROLLER_VERSION" github.com/fluxcd/image-reflector-controller \
  "$IMAGE_REFLECTOR_CONTROLLER_VERSION" config/crd/bases/image.toolkit.fluxcd.io_imagerepositories.yaml \
  config/crd/bases/image.toolkit.fluxcd.io_imagepolicies.yaml
fetch "flux-image-automation-controller-$IMAGE_AUTOMATION_CONTROLLER_VERSION" github.com/fluxcd/image-automation-controller \
  "$IMAGE_AUTOMATION_CONTROLLER_VERSION" config/crd/bases/image.toolkit.fluxcd.io_imageupdateautomations.yaml
log "Flux CRDs ready in $CRDS ($(( $(date +%s) - start ))s)"
