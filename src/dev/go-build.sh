# Shared by Slipway's `go build` scripts; sourced, not run. Set BUILD_NAME (log prefix, lock and temp
# names) and BUILD_WHAT (what needs Go, for the error message) first. Binaries go to $SLIPWAY_CACHE/bin
# (default ~/.cache/slipway/bin) as NAME-VERSION; a lock serialises concurrent builds.

CACHE="${SLIPWAY_CACHE:-$HOME/.cache/slipway}"
BIN="$CACHE/bin"

if ! command -v go >/dev/null 2>&1; then
  echo "slipway: Go is required to build $BUILD_WHAT." >&2
  echo "         Install Go 1.24 or newer (https://go.dev/doc/install) and make sure 'go' is on PATH." >&2
  exit 3
fi

mkdir -p "$BIN"
exec 9>"$CACHE/$BUILD_NAME.lock"
flock 9

log() { printf '[%s] %s\n' "$BUILD_NAME" "$*" >&2; }
cached() { [ -x "$BIN/$1-$2" ]; }

work=$(mktemp -d "${TMPDIR:-/tmp}/slipway-$BUILD_NAME.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0

# build_tool NAME VERSION MODULE PACKAGE LDFLAGS: builds PACKAGE from a wrapper module that requires
# MODULE at VERSION, so `go build` resolves the module's published dependency graph (replace
# directives in its own go.mod, which `go install` refuses, do not apply). Does nothing when cached.
build_tool() {
  local name="$1" version="$2" module="$3" pkg="$4" ldflags="$5"
  cached "$name" "$version" && return 0
  local dir="$work/$name"; mkdir -p "$dir"
  printf 'module slipway.local/%s-build\ngo 1.24\nrequire %s %s\n' "$name" "$module" "$version" > "$dir/go.mod"
  log "building $name $version"
  (cd "$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$BIN/$name-$version.tmp" "$pkg")
  mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
}

# build_program NAME VERSION MAIN_GO MODULE@VERSION [MODULE@VERSION…]: builds the single-file program
# MAIN_GO (a test reference or bench oracle) from a wrapper module that requires each MODULE at its
# VERSION and copies the first module's own `replace (…)` block (its k8s.io pins), so the code under test
# is exactly the published one. Cached as NAME-VERSION; prints the binary's path either way.
build_program() {
  local name="$1" version="$2" main="$3"; shift 3
  if cached "$name" "$version"; then echo "$BIN/$name-$version"; return 0; fi
  local start dir first gomod spec
  start=$(date +%s)
  dir="$work/$name"; mkdir -p "$dir"
  cp "$main" "$dir/main.go"
  first="$1"
  log "fetching $first"
  gomod=$(cd "$dir" && GOFLAGS= go mod download -json "$first" | sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
  {
    printf 'module slipway.local/%s\ngo 1.24\n' "$name"
    for spec in "$@"; do printf 'require %s %s\n' "${spec%@*}" "${spec##*@}"; done
    sed -n '/^replace (/,/^)/p' "$gomod"
  } > "$dir/go.mod"
  log "building $name $version"
  (cd "$dir" && go mod tidy >/dev/null && go build -trimpath -ldflags "-s -w" -o "$BIN/$name-$version.tmp" .)
  mv "$BIN/$name-$version.tmp" "$BIN/$name-$version"
  echo "$BIN/$name-$version"
  log "$name ready in $BIN ($(( $(date +%s) - start ))s)"
}
