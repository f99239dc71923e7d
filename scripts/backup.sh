#!/usr/bin/env bash
# Back up or restore the Caseflow PostgreSQL database (pg_dump custom format).
#   scripts/backup.sh backup  [FILE]   default var/backups/caseflow-<UTC timestamp>.dump
#   scripts/backup.sh restore FILE     into the (empty) database at DATABASE_URL
# DATABASE_URL must point at PostgreSQL (make backup/restore start the `make serve`
# cluster in var/serve when it is unset).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must be set to a PostgreSQL database}"
BIN=${CASEFLOW_PG_BINDIR:-}
pg() { if [ -n "$BIN" ] && [ -x "$BIN/$1" ]; then "$BIN/$1" "${@:2}"; else "$@"; fi; }
URL=${DATABASE_URL/#postgres:/postgresql:}
case "${1:-}" in
  backup)
    out=${2:-var/backups/caseflow-$(date -u +%Y%m%dT%H%M%SZ).dump}
    mkdir -p "$(dirname "$out")"
    pg pg_dump --format=custom --no-owner --file="$out" "$URL"
    echo "Backup written: $out ($(du -h "$out" | cut -f1))"
    ;;
  restore)
    in=${2:?give the backup file: make restore FILE=...}
    [ -f "$in" ] || { echo "No such backup: $in" >&2; exit 2; }
    # Into an empty database only: restoring over live tables would fail part-way
    # through with a constraint error (rolled back, but saying nothing useful).
    tables=$(pg psql --no-psqlrc -tAc \
      "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')" \
      "$URL")
    if [ "$tables" != "0" ]; then
      echo "The database is not empty ($tables tables): restore into an empty one" \
        "(createdb, then DATABASE_URL=... make restore FILE=...; see README, Backups)." >&2
      exit 2
    fi
    pg pg_restore --exit-on-error --single-transaction --no-owner --dbname="$URL" "$in"
    echo "Restored $in into the database."
    ;;
  *) echo "usage: $0 backup [FILE] | restore FILE" >&2; exit 2 ;;
esac
