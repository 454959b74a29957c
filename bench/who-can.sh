#!/usr/bin/env bash
# "Who can" at scale (issue 11): starts the built server on the embedded default (fresh data dir),
# seeds 10,000 roles (two permissions each) and 100,000 users (two roles each) straight into its
# database, then times GET /admin/api/access for a question that a few roles allow and for one that
# only the admin role allows, as the median of 20 requests after WARMUP requests (the JIT needs some).
#
# Usage: bench/who-can.sh        Env: PORT (default 18081), ROLES (10000), USERS (100000), WARMUP (100)
# Needs: a built server (./mvnw -B package -DskipTests), curl, python3, psql (Debian postgresql-client).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=${PORT:-18081}; ROLES=${ROLES:-10000}; USERS=${USERS:-100000}; WARMUP=${WARMUP:-100}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests"; exit 1; }
command -v psql >/dev/null || { echo "psql missing: apt-get install -y postgresql-client"; exit 1; }

DATA=$(mktemp -d)
ADMIN_ID=bench-admin
ADMIN_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
BASE=http://127.0.0.1:$PORT
MELTANO_AUTH_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  MELTANO_AUTH_ADMIN_CLIENT_ID=$ADMIN_ID MELTANO_AUTH_ADMIN_CLIENT_SECRET=$ADMIN_SECRET \
  java -jar "$JAR" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "$BASE/q/health/ready" >/dev/null 2>&1; do sleep 0.5; done

PGPORT=$(sed -n 's/^port=//p' "$DATA/server.lock")
export PGPASSWORD=$(cat "$DATA/postgres-password")
psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
insert into role (name) select 'team-' || i from generate_series(1, $ROLES) i;
insert into role_permission (role_name, type, context)
  select 'team-' || i, 'view:design', 'dept' || i || '.*' from generate_series(1, $ROLES) i
  union all select 'team-' || i, 'view:reports', 'dept' || i || '.q?' from generate_series(1, $ROLES) i;
insert into role_permission (role_name, type, context) values ('team-7', 'view:design', 'finance.*'),
  ('team-4242', 'view:*', 'finance.month_*');
insert into app_user (id, email, email_normalized)
  select gen_random_uuid(), 'user' || i || '@example.com', 'user' || i || '@example.com' from generate_series(1, $USERS) i;
insert into user_role (user_id, role_name)
  select id, 'team-' || (1 + (abs(hashtext(email)) % $ROLES)) from app_user where email like 'user%@example.com'
  union select id, 'team-' || (1 + (abs(hashtext(email || 'b')) % $ROLES)) from app_user where email like 'user%@example.com';
analyze;
SQL

TOKEN=$(curl -sf -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$BASE/oauth2/token" \
  | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
ask() {
  local q=$1 times=()
  for i in $(seq 1 $((WARMUP + 20))); do
    t=$(curl -s -o "$DATA/answer.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$BASE/admin/api/access?$q")
    [ "$i" -gt "$WARMUP" ] && times+=("$t")
  done
  python3 - "$DATA/answer.json" "$q" "${times[@]}" <<'PY'
import json, statistics, sys
answer = json.load(open(sys.argv[1])); times = sorted(float(t) * 1000 for t in sys.argv[3:])
print(f"{sys.argv[2]}: roles={len(answer['roles'])} users={len(answer['users'])} clients={len(answer['clients'])}"
      f"  median={statistics.median(times):.1f} ms  max={times[-1]:.1f} ms")
PY
}
echo "$ROLES roles, $USERS users:"
ask 'type=view:design&resource=finance.month_over_month'
ask 'type=modify:acl&resource=anything'
