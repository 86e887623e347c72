#!/bin/bash
# Runs once, when the PostgreSQL volume is created (docker-entrypoint-initdb.d): the roles and
# databases of the stack. Temporal gets its own role and two databases; Routekaart's own database
# is owned by a role that only the migration job uses, and the worker and API connect as an
# application role that cannot change or delete audit lines.
set -euo pipefail
# Passwords go in as psql variables (:'name' quotes them), so any character is safe.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v temporal_pw="$TEMPORAL_DB_PASSWORD" -v owner_pw="$ROUTEKAART_OWNER_PASSWORD" -v app_pw="$ROUTEKAART_APP_PASSWORD" <<'SQL'
CREATE ROLE temporal LOGIN PASSWORD :'temporal_pw' CREATEDB;
CREATE ROLE routekaart_owner LOGIN PASSWORD :'owner_pw';
CREATE ROLE routekaart_app LOGIN PASSWORD :'app_pw';
CREATE DATABASE routekaart OWNER routekaart_owner;
REVOKE ALL ON DATABASE routekaart FROM PUBLIC;
GRANT CONNECT ON DATABASE routekaart TO routekaart_app;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname routekaart <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO routekaart_app;
SQL
