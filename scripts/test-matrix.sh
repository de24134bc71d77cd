#!/usr/bin/env bash
# Runs the tests on every supported PostgreSQL major version, one test group (crate) at a time,
# and prints which groups passed on which version.
#
# Usage: scripts/test-matrix.sh [MAJOR...]                 (default: 13 14 15 16 17 18)
#        TEST_GROUPS="runner schema check" scripts/test-matrix.sh 13 18
#
# The server binaries of each version come from scripts/install-postgres.sh (installed once,
# into a cache outside the checkout) and reach the tests through CLIPDEX_PG_BINDIR; psql and
# pg_dump are the system's. Each group's output goes to target/test-matrix/<major>-<group>.log.
# Exit 1 when any group failed on any version.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

majors=("$@")
[[ ${#majors[@]} -gt 0 ]] || majors=(13 14 15 16 17 18)
read -r -a groups <<<"${TEST_GROUPS:-core localpg scratch embed runner stamp schema shadow check import takeover cracks scenario cli xtask}"
logs="$root/target/test-matrix"
mkdir -p "$logs"

cargo test --locked --workspace --no-run --quiet
declare -A result
failed=0
for major in "${majors[@]}"; do
  bin_dir="$(scripts/install-postgres.sh --bindir "$major")"
  for group in "${groups[@]}"; do
    log="$logs/$major-$group.log"
    started=$SECONDS
    if CLIPDEX_PG_BINDIR="$bin_dir" cargo test --locked -p "$group" >"$log" 2>&1; then
      result[$major,$group]="ok ($((SECONDS - started))s)"
    else
      result[$major,$group]="FAILED ($((SECONDS - started))s, $log)"
      failed=1
    fi
    echo "PostgreSQL $major, $group: ${result[$major,$group]}"
  done
done

echo
printf '%-10s' group
printf ' | %-16s' "${majors[@]/#/PostgreSQL }"
echo
for group in "${groups[@]}"; do
  printf '%-10s' "$group"
  for major in "${majors[@]}"; do
    printf ' | %-16s' "${result[$major,$group]%% (*}"
  done
  echo
done
exit "$failed"
