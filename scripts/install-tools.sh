#!/usr/bin/env bash
# Installs the other migration tools that clipdex-migrate is tested and benchmarked against,
# each pinned, each skipped when the pinned version is already there:
#
#   sqlx    sqlx-cli from crates.io, built lean (PostgreSQL and rustls only)
#   diesel  diesel_cli from crates.io, PostgreSQL only (links libpq: apt-get install libpq-dev)
#   dbmate  dbmate from npm, whose platform package ships a static binary
#
# Usage: scripts/install-tools.sh [--prefix DIR] TOOL...
# Every binary ends up in DIR/bin (default: target/ci-tools/bin of this checkout), which is
# where the import round-trip tests and the bench look. The builds themselves go to a cache
# outside the checkout (CLIPDEX_TOOLS_CACHE, default ~/.cache/clipdex-migrate/tools), so a
# fresh clone on the same machine links them in seconds instead of building them again for
# minutes. One line per tool says what it cost.
set -euo pipefail

SQLX_VERSION=0.9.0
DIESEL_VERSION=2.3.14
DBMATE_VERSION=2.36.0

root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/target/ci-tools"
if [[ "${1:-}" == "--prefix" ]]; then
  prefix="$2"
  shift 2
fi
cache="${CLIPDEX_TOOLS_CACHE:-$HOME/.cache/clipdex-migrate/tools}"
mkdir -p "$prefix/bin" "$prefix/logs" "$cache/bin"
export PATH="$HOME/.cargo/bin:$PATH"

# `BINARY --version` on one line, or nothing when there is no binary.
version_of() { [[ -x "$1" ]] && "$1" --version 2>/dev/null | tr -s ' \n' ' ' | sed 's/ $//' || true; }

# cargo install into the shared prefix; the log keeps the build's output out of CI's.
cargo_install() {
  local log="$prefix/logs/install-$1.log"
  if ! cargo install "$@" --locked --root "$cache" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    return 1
  fi
}

install_sqlx() {
  [[ "$(version_of "$cache/bin/sqlx")" == "sqlx-cli $SQLX_VERSION" ]] && return 0
  cargo_install sqlx-cli --version "$SQLX_VERSION" --no-default-features --features rustls,postgres
}

install_diesel() {
  [[ "$(version_of "$cache/bin/diesel")" == "diesel Version: $DIESEL_VERSION"* ]] && return 0
  if ! pg_config --includedir >/dev/null 2>&1 || [[ ! -e "$(pg_config --includedir)/libpq-fe.h" ]]; then
    if [[ "$(id -u)" == 0 ]]; then
      apt-get install -y -qq libpq-dev >"$prefix/logs/install-libpq-dev.log" 2>&1 || {
        apt-get update -qq >/dev/null && apt-get install -y -qq libpq-dev >"$prefix/logs/install-libpq-dev.log" 2>&1
      }
    else
      echo "diesel_cli needs libpq's headers: apt-get install libpq-dev" >&2
      return 1
    fi
  fi
  cargo_install diesel_cli --version "$DIESEL_VERSION" --no-default-features --features postgres
}

install_dbmate() {
  [[ "$(version_of "$cache/bin/dbmate")" == "dbmate version $DBMATE_VERSION" ]] && return 0
  npm install --prefix "$cache/dbmate" --silent --no-audit --no-fund "dbmate@$DBMATE_VERSION" \
    >"$prefix/logs/install-dbmate.log" 2>&1
  # The platform package's binary, not the Node wrapper that would spawn it on every call.
  local binary
  binary=$(find "$cache/dbmate/node_modules/@dbmate" -path '*/bin/dbmate' -type f | head -n 1)
  [[ -n "$binary" ]] || { echo "npm installed dbmate without its binary" >&2; return 1; }
  ln -sf "$binary" "$cache/bin/dbmate"
}

[[ $# -gt 0 ]] || { echo "usage: $0 [--prefix DIR] sqlx|diesel|dbmate..." >&2; exit 2; }
for tool in "$@"; do
  started=$SECONDS
  case "$tool" in
    sqlx) install_sqlx ;;
    diesel) install_diesel ;;
    dbmate) install_dbmate ;;
    *) echo "unknown tool: $tool (sqlx, diesel or dbmate)" >&2; exit 2 ;;
  esac
  ln -sf "$cache/bin/$tool" "$prefix/bin/$tool"
  echo "$tool: $prefix/bin/$tool ($(version_of "$prefix/bin/$tool"); $((SECONDS - started))s)"
done
