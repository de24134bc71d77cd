# Sourced before every scenario, by `cargo xtask scenario NAME` and by the book's golden-file
# tests alike. A scenario runs in a temporary copy of the repository's project files
# (migrations/, schema/, queries/, scripts/, book/sql/, book/listings/, book/exercises/) with
# DATABASE_URL (and any other database it declares) naming a fresh, empty database, and the
# clipdex-migrate built from the checkout first on PATH. A scenario that says
# `# server: citus` runs on a Citus cluster instead: DATABASE_URL is a fresh distributed
# database's coordinator, WORKER_URL the same database on a worker.
#
# A scenario line that starts with `$ ` becomes `show '…'`: the command is printed as typed,
# then everything it prints, then `[exit N]` if it fails. Every other line sets the scene: its
# output goes to a log that is shown only if the line fails, which stops the scenario.

set -euo pipefail
# fd 3 is the transcript; the scene-setting lines write to the log.
exec 3>&1 1>>"$SCENARIO_LOG" 2>&1
trap 'printf "scenario stopped: the line at %s:%s failed\n" "${BASH_SOURCE[0]##*/}" "$LINENO" >&3' ERR
# Whatever a scenario left running in the background ends with it.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
# A reader's ~/.psqlrc must not change what psql prints.
export PSQLRC=/dev/null

# show COMMAND: runs COMMAND as typed and records it in the transcript.
show() {
    printf '$ %s\n' "$1" >&3
    local status=0
    eval "$1" >&3 2>&3 </dev/null || status=$?
    if ((status != 0)); then
        printf '[exit %d]\n' "$status" >&3
    fi
}

# redact VALUE PLACEHOLDER: VALUE differs on every run (a random revision id, a file name made
# from the clock); the transcript shows PLACEHOLDER instead.
redact() {
    printf '%s\t%s\n' "$1" "$2" >>"$SCENARIO_REDACTIONS"
}

# revision_id FILE: the id in a revision file's header.
revision_id() {
    sed -n 's/^-- revision: //p' "$1"
}

# only_revisions FILE…: keeps these revision files in migrations/ and removes the others, then
# rewrites the sum file; `only_revisions 20261126T0900_baseline.sql` is post 10's set.
only_revisions() {
    local file keep
    for file in migrations/*.sql; do
        keep=no
        for wanted in "$@"; do
            [[ "${file##*/}" == "$wanted" ]] && keep=yes
        done
        [[ $keep == yes ]] || rm "$file"
    done
    clipdex-migrate sum
}

# The throwaway cluster's role is `postgres`; a server of your own may log in as another.
role=$(psql -XAt -d "$DATABASE_URL" -c 'SELECT current_user')
if [[ "$role" != postgres ]]; then
    redact "by $role" "by postgres"
    redact "user $role" "user postgres"
fi

# two_branches_in_git: the project becomes a git repository whose main branch went from post
# 10's baseline to the repository's view_count revisions, while the branch guest-socials added
# book/sql/10/20261201T0930_guest_socials.sql on the baseline. Nothing is merged yet.
two_branches_in_git() {
    export GIT_AUTHOR_NAME=reader GIT_AUTHOR_EMAIL=reader@example.com
    export GIT_COMMITTER_NAME=reader GIT_COMMITTER_EMAIL=reader@example.com
    local later
    later=$(mktemp -d)
    git init --quiet --initial-branch=main
    mv migrations/20261126T1000_*.sql migrations/20261126T1030_*.sql "$later"
    clipdex-migrate sum
    git add --all && git commit --quiet -m "post 10: the baseline"
    git switch --quiet -c guest-socials
    cp book/sql/10/20261201T0930_guest_socials.sql migrations/
    clipdex-migrate sum
    git add --all && git commit --quiet -m "guests' socials"
    git switch --quiet main
    mv "$later"/*.sql migrations/
    clipdex-migrate sum
    git add --all && git commit --quiet -m "episodes.view_count"
}

# redact_new_revisions COUNT: the COUNT revisions a command just wrote (the newest by name,
# since their names start with the clock; autogenerate names a second one `…_online_…`, after
# the first): their random ids and clock-made names become placeholders, `<generated-id>` for
# the first and `<generated-id-2>` and on for the others.
redact_new_revisions() {
    local file name n=0
    for file in $(ls migrations/*.sql | sort | tail -n "$1"); do
        n=$((n + 1))
        name=${file#migrations/}
        if ((n == 1)); then
            redact "$(revision_id "$file")" '<generated-id>'
        else
            redact "$(revision_id "$file")" "<generated-id-$n>"
        fi
        redact "$name" "YYYYMMDDThhmm_${name#*_}"
    done
}
