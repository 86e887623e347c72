#!/bin/sh
# One-shot (docker-compose's `temporal-schema`, image temporalio/admin-tools): creates Temporal's
# two databases when missing and brings their schemas up to date. Safe to run on every start:
# `create` of an existing database and `setup-schema` of an existing schema fail harmlessly and
# `update-schema` is a no-op when current. scripts/start-temporal-postgres does the same natively.
set -eu
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" "$@"; }
for db in temporal temporal_visibility; do
  tool --db "$db" create || true
done
tool --db temporal setup-schema -v 0.0 || true
tool --db temporal update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned
tool --db temporal_visibility setup-schema -v 0.0 || true
tool --db temporal_visibility update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned
echo "Temporal schemas up to date."
