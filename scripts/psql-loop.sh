#!/usr/bin/env bash
# Apply every numbered .sql file in DIR to $DATABASE_URL, in file-name order,
# stopping at the first error. Nothing records what has run: every file runs
# on every call, so every file must be safe to run again.
set -euo pipefail
shopt -s nullglob

dir="${1:?usage: psql-loop.sh DIR}"
: "${DATABASE_URL:?DATABASE_URL must be set}"
[ -d "$dir" ] || { echo "psql-loop.sh: no such directory: $dir" >&2; exit 1; }

for f in "$dir"/[0-9]*.sql; do
    echo "==> $f"
    # -X: a ~/.psqlrc must not change what a migration does.
    psql -X -d "$DATABASE_URL" -v ON_ERROR_STOP=1 -f "$f"
done
