#!/usr/bin/env bash
# Fails when the entities and the migrations disagree: migrates a scratch database, then asks
# TypeORM whether `migration:generate` would produce a new file.
set -euo pipefail
admin="${TEST_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="kelisim_schema_check_$$"
base="${admin%/*}"
psql "$admin" -qc "CREATE DATABASE $db" >/dev/null
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
export DATABASE_URL="$base/$db"
npm run --silent typeorm -- migration:run >/dev/null
npm run --silent typeorm -- migration:generate migrations/Pending --check
echo "migration:check: entities and migrations agree"
