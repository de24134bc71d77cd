#!/usr/bin/env bash
# Coming from dbmate: a database dbmate migrated is taken over by clipdex-migrate without
# running anything again. dbmate applies db/migrations (three migrations, one of them an index
# built concurrently outside a transaction) to a throwaway database; clipdex-migrate imports
# the directory as revisions, stamps what dbmate's schema_migrations says is applied after
# proving the schema matches, and then has nothing left to upgrade.
#
#   bash book/scenarios/import/run.sh            # from the repository root
#
# It starts a throwaway PostgreSQL cluster of its own (removed at the end) unless DATABASE_URL
# names an empty database; CLIPDEX_MIGRATE may name a built clipdex-migrate binary. dbmate is
# installed by scripts/install-tools.sh when missing. What it prints is a terminal transcript.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
work="$(mktemp -d)"
chmod 755 "$work" # the server runs as another user when started as root

if [[ -z "${CLIPDEX_MIGRATE:-}" ]]; then
  cargo build --quiet --manifest-path "$root/Cargo.toml" -p cli
  CLIPDEX_MIGRATE="$root/target/debug/clipdex-migrate"
fi
"$root/scripts/install-tools.sh" dbmate >/dev/null
dbmate_bin="$root/target/ci-tools/bin/dbmate"
if [[ -z "${DATABASE_URL:-}" ]]; then
  export CLIPDEX_DEV_DIR="$work/cluster"
  trap 'cargo run --quiet --manifest-path "$root/Cargo.toml" -p scratch -- destroy >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  DATABASE_URL="$(cargo run --quiet --manifest-path "$root/Cargo.toml" -p scratch -- up)"
else
  trap 'rm -rf "$work"' EXIT
fi
export DATABASE_URL

# dbmate's driver wants the socket directory as `?socket=`, not as a %2F-encoded host.
dbmate_url() {
  local rest host port db
  rest="${DATABASE_URL#postgresql://postgres@}"
  host="${rest%%:*}"
  rest="${rest#*:}"
  port="${rest%%/*}"
  db="${rest#*/}"
  if [[ "$host" == %2F* ]]; then
    printf 'postgres://postgres@:%s/%s?socket=%s&sslmode=disable' "$port" "$db" "${host//%2F//}"
  else
    printf 'postgres://postgres@%s:%s/%s?sslmode=disable' "$host" "$port" "$db"
  fi
}

cp -r "$here/db" "$work/db"
cd "$work"
# Each command as typed, then what it printed (stdout and stderr together).
show() {
  printf '$ %s\n' "$*"
  local status=0
  "$@" 2>&1 || status=$?
  [[ $status -eq 0 ]] || printf '[exit %s]\n' "$status"
  echo
}
clipdex-migrate() { "$CLIPDEX_MIGRATE" "$@"; }
dbmate() { "$dbmate_bin" --url "$(dbmate_url)" --no-dump-schema "$@"; }

show dbmate --migrations-dir db/migrations up
show clipdex-migrate import --from dbmate db/migrations
show clipdex-migrate stamp --from dbmate --verify
show clipdex-migrate upgrade
show clipdex-migrate history
