# Coming from another tool: a database dbmate migrated is taken over by clipdex-migrate without
# running anything again. dbmate applies three migrations (one an index built concurrently
# outside a transaction); clipdex-migrate imports the directory as revisions, stamps what
# dbmate's schema_migrations says is applied after proving the schema matches, and then has
# nothing left to upgrade. The project is a new directory of its own, with no revisions yet.
scripts/install-tools.sh dbmate
dbmate_bin="$PWD/target/ci-tools/bin/dbmate"
podcast_app=$(mktemp -d) && cp -r book/sql/10/dbmate "$podcast_app/db" && cd "$podcast_app"
# dbmate's driver wants the socket directory as `?socket=`, not as a %2F-encoded host; its
# durations vary from run to run.
dbmate_url() {
    local rest host port db
    rest="${DATABASE_URL#postgresql://*@}"
    host="${rest%%:*}" rest="${rest#*:}" port="${rest%%/*}" db="${rest#*/}"
    db="${db%%\?*}"
    if [[ "$host" == %2F* ]]; then
        printf 'postgres://postgres@:%s/%s?socket=%s&sslmode=disable' "$port" "$db" "${host//%2F//}"
    else
        printf 'postgres://postgres@%s:%s/%s?sslmode=disable' "$host" "$port" "$db"
    fi
}
dbmate() {
    "$dbmate_bin" --url "$(dbmate_url)" --no-dump-schema "$@" | sed -E 's/ in [0-9.]+(µs|ms|s)$/ in …/'
}
$ dbmate --migrations-dir db/migrations up
$ clipdex-migrate import --from dbmate db/migrations
$ clipdex-migrate stamp --from dbmate --verify
$ clipdex-migrate upgrade
$ clipdex-migrate history
cd / && rm -rf "$podcast_app"
