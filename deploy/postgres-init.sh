#!/bin/bash
# Runs once, when the PostgreSQL volume is created (docker-entrypoint-initdb.d): the roles and
# databases of the stack. Temporal gets its own role and two databases; Routekaart's own database
# is owned by a role that only the migration job uses, and the worker and API connect as an
# application role that cannot change or delete audit lines.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE temporal LOGIN PASSWORD '${TEMPORAL_DB_PASSWORD}' CREATEDB;
CREATE ROLE routekaart_owner LOGIN PASSWORD '${ROUTEKAART_OWNER_PASSWORD}';
CREATE ROLE routekaart_app LOGIN PASSWORD '${ROUTEKAART_APP_PASSWORD}';
CREATE DATABASE routekaart OWNER routekaart_owner;
REVOKE ALL ON DATABASE routekaart FROM PUBLIC;
GRANT CONNECT ON DATABASE routekaart TO routekaart_app;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname routekaart <<SQL
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO routekaart_app;
SQL
