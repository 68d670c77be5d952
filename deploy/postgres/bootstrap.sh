#!/bin/sh
# Lucy's PostgreSQL roles: one login role per service, owning its schema and nothing else; no service
# connects as a superuser. Run it as a superuser (psql's usual PG* variables say where); run it again at
# will: it creates what is missing, sets the passwords given and hands over objects an earlier superuser-run
# service left in a schema. The official image runs it on its first start (/docker-entrypoint-initdb.d).
#
#   POSTGRES_PASSWORD_<SERVICE>       a service's password (GATEWAY, INGEST_SERVICE, TEAMS_SERVICE,
#   POSTGRES_PASSWORD_<SERVICE>_FILE  MOODLE_SERVICE, MAIL_SERVICE), or a file holding it; without either
#                                     the role keeps its password (a new one has none: it logs in only
#                                     where pg_hba trusts it, as a developer's local PostgreSQL does)
#   LUCY_DATABASE                     the database (default lucy; created if missing)
#   LUCY_ROLE_PREFIX                  role names are <prefix><schema> (default lucy_: lucy_gateway, ...)
#
#   PGHOST=127.0.0.1 PGUSER=postgres sh deploy/postgres/bootstrap.sh
set -eu

DB="${LUCY_DATABASE:-lucy}"
# In the image's first start, POSTGRES_USER is the superuser it just made.
export PGUSER="${PGUSER:-${POSTGRES_USER:-postgres}}"
PREFIX="${LUCY_ROLE_PREFIX:-lucy_}"
# service:schema — each service's DB_SCHEMA default (apps/<service>/src/config.ts).
SERVICES="gateway:gateway ingest-service:ingest teams-service:teams moodle-service:moodle mail-service:mail"

password_of() {
  var="POSTGRES_PASSWORD_$(echo "$1" | tr 'a-z-' 'A-Z_')"
  file=$(eval "printf '%s' \"\${${var}_FILE:-}\"")
  if [ -n "$file" ]; then
    # A trailing newline is the editor's, not the password's.
    tr -d '\n' <"$file"
  else
    eval "printf '%s' \"\${${var}:-}\""
  fi
}

# The database itself, owned by the superuser: the services own their schemas, not the database.
psql -v ON_ERROR_STOP=1 -q -X -d postgres -v db="$DB" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

for entry in $SERVICES; do
  service="${entry%%:*}"
  schema="${entry#*:}"
  role="${PREFIX}${schema}"
  LUCY_BOOTSTRAP_PASSWORD="$(password_of "$service")"
  export LUCY_BOOTSTRAP_PASSWORD
  [ -n "$LUCY_BOOTSTRAP_PASSWORD" ] || echo "bootstrap: no POSTGRES_PASSWORD_$(echo "$service" | tr 'a-z-' 'A-Z_'): $role keeps the password it has, if any" >&2
  psql -v ON_ERROR_STOP=1 -q -X -d "$DB" -v role="$role" -v schema="$schema" -v db="$DB" <<'SQL'
-- The password never reaches the server's log: this session logs no statement, not even a failed one.
SET log_statement = 'none';
SET log_min_duration_statement = -1;
SET log_min_error_statement = 'panic';
\getenv password LUCY_BOOTSTRAP_PASSWORD

SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
SELECT format('ALTER ROLE %I PASSWORD %L', :'role', :'password') WHERE :'password' <> '' \gexec

-- Only its own schema: it runs its migrations there; another service's schema it cannot even look into.
SELECT format('CREATE SCHEMA %I AUTHORIZATION %I', :'schema', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = :'schema') \gexec
ALTER SCHEMA :"schema" OWNER TO :"role";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
-- Tables, views and free-standing sequences a superuser-run service created before: the role's now
-- (a column's sequence follows its table).
SELECT format('ALTER %s %I.%I OWNER TO %I',
              CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
              n.nspname, c.relname, :'role')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = :'schema' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
   AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = :'role')
   AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))) \gexec

-- Into the database, and nothing more: no temporary tables, nothing in the public schema.
REVOKE CONNECT, TEMPORARY ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"role";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
done
echo "bootstrap: roles ${PREFIX}{gateway,ingest,teams,moodle,mail} own their schemas in $DB" >&2
