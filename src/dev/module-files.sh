# Sourced after go-build.sh (it needs $CACHE, $work and log): copies published files of a Go module into
# the cache, for the fetch-*-crds.sh scripts.
#
# fetch DEST MODULE VERSION PATH...: copies PATHs (files or folders) of MODULE@VERSION, as
# `go mod download` verified them against the Go checksum database, to $CRDS/DEST with a .complete marker
# naming the module and its checksum; a warm DEST is left as it is.
CRDS="$CACHE/crds"
mkdir -p "$CRDS"

fetch() {
  local dest="$CRDS/$1" module="$2" version="$3"
  shift 3
  [ -f "$dest/.complete" ] && return 0
  log "fetching $module@$version"
  local json
  if ! json=$(cd "$work" && go mod download -json "$module@$version"); then
    printf '%s\n' "$json" >&2
    return 1
  fi
  local dir sum
  dir=$(printf '%s\n' "$json" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  sum=$(printf '%s\n' "$json" | sed -n 's/.*"Sum": "\(.*\)".*/\1/p')
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  for p in "$@"; do cp -R "$dir/$p" "$dest.tmp/"; done
  chmod -R u+w "$dest.tmp" # the module cache is read-only; the copy must stay removable
  printf '%s %s %s\n' "$module" "$version" "$sum" > "$dest.tmp/.complete"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  log "$module@$version ready in $dest"
}
