#!/usr/bin/env bash
# Run once by the postgres image when it creates the cluster (docker-compose.yml mounts
# this directory at /docker-entrypoint-initdb.d). The database belongs to caseflow_owner
# (migrations run as it); the application connects as caseflow_app, which owns nothing
# and may only INSERT and SELECT the audit table (accounts/db_roles.py grants the rest
# after each migrate). The superuser POSTGRES_USER is for the operator only.
set -euo pipefail
: "${CASEFLOW_DB_OWNER_PASSWORD:?set CASEFLOW_DB_OWNER_PASSWORD in .env}"
: "${CASEFLOW_DB_APP_PASSWORD:?set CASEFLOW_DB_APP_PASSWORD in .env}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$CASEFLOW_DB_OWNER_PASSWORD" -v app_pw="$CASEFLOW_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE caseflow_owner LOGIN NOSUPERUSER NOCREATEROLE PASSWORD :'owner_pw';
CREATE ROLE caseflow_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'app_pw';
ALTER DATABASE caseflow OWNER TO caseflow_owner;
SQL
