#!/usr/bin/env bash
# The console's users page at scale (issue 11): starts the built server on the embedded default
# (fresh data dir), seeds USERS users (role regular) straight into its database, signs in to the
# console as the bootstrap admin with curl (the ordinary sign-in page, its CSRF token and cookies),
# then times GET /admin/users for the first page, a prefix search and a deep "next page", as the
# median of RUNS requests after WARMUP requests (the JIT needs some). Also prints the query plans.
#
# Usage: bench/console-users.sh    Env: PORT (default 18082), USERS (100000), WARMUP (100), RUNS (20),
#                                       WITHOUT_INDEX=1 drops V11's index first (for comparison)
# Needs: a built server (./mvnw -B package -DskipTests), curl, python3, psql (Debian postgresql-client).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=${PORT:-18082}; USERS=${USERS:-100000}; WARMUP=${WARMUP:-100}; RUNS=${RUNS:-20}
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests"; exit 1; }
command -v psql >/dev/null || { echo "psql missing: apt-get install -y postgresql-client"; exit 1; }

DATA=$(mktemp -d)
ADMIN_EMAIL=bench-admin@example.com
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
BASE=http://127.0.0.1:$PORT
MELTANO_AUTH_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 MELTANO_AUTH_ISSUER=$BASE \
  MELTANO_AUTH_ADMIN_EMAIL=$ADMIN_EMAIL MELTANO_AUTH_ADMIN_PASSWORD=$ADMIN_PASSWORD \
  java -jar "$JAR" >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "$BASE/q/health/ready" >/dev/null 2>&1; do
  kill -0 $PID 2>/dev/null || { echo "the server stopped:"; tail -20 "$DATA/server.log"; exit 1; }
  sleep 0.5
done

PGPORT=$(sed -n 's/^port=//p' "$DATA/server.lock")
export PGPASSWORD=$(cat "$DATA/postgres-password")
sql() { psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
sql <<SQL
insert into app_user (id, email, email_normalized)
  select gen_random_uuid(), 'User-' || lpad(i::text, 6, '0') || '@example.com', 'user-' || lpad(i::text, 6, '0') || '@example.com'
  from generate_series(1, $USERS) i;
insert into user_role (user_id, role_name) select id, 'regular' from app_user where email_normalized like 'user-%@example.com';
analyze;
SQL
[ "${WITHOUT_INDEX:-}" = 1 ] && sql -c 'drop index app_user_email_c_idx' && echo "(without the index app_user_email_c_idx)"

# Sign in as a person does: the console sends to the sign-in page, whose form carries a CSRF token.
JAR_FILE=$DATA/cookies.txt
LOGIN=$(curl -s -L -c "$JAR_FILE" -b "$JAR_FILE" -o "$DATA/login.html" -w '%{url_effective}' "$BASE/admin/users")
case "$LOGIN" in */login*) ;; *) echo "expected the sign-in page, got $LOGIN"; exit 1 ;; esac
CSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$DATA/login.html" | head -1)
LANDED=$(curl -s -L -c "$JAR_FILE" -b "$JAR_FILE" -o "$DATA/users.html" -w '%{url_effective}' \
  --data-urlencode "email=$ADMIN_EMAIL" --data-urlencode "password=$ADMIN_PASSWORD" --data-urlencode "csrf=$CSRF" "$BASE/login")
case "$LANDED" in */admin/users) ;; *) echo "sign-in did not come back to the console: $LANDED"; exit 1 ;; esac

page() {
  local label=$1 q=$2 times=()
  for i in $(seq 1 $((WARMUP + RUNS))); do
    t=$(curl -s -b "$JAR_FILE" -o "$DATA/page.html" -w '%{http_code} %{time_total}' "$BASE/admin/users$q")
    [ "${t%% *}" = 200 ] || { echo "$label: HTTP ${t%% *}"; exit 1; }
    [ "$i" -gt "$WARMUP" ] && times+=("${t#* }")
  done
  python3 - "$DATA/page.html" "$label" "${times[@]}" <<'PY'
import re, statistics, sys
html = open(sys.argv[1], encoding="utf-8").read(); times = sorted(float(t) * 1000 for t in sys.argv[3:])
rows = len(re.findall(r'<a href="/admin/users/[0-9a-f-]{36}">', html))
first = re.search(r'<a href="/admin/users/[0-9a-f-]{36}">([^<]*)</a>', html)
print(f"{sys.argv[2]:<32} rows={rows:<3} first={first.group(1) if first else '-':<26} next={'yes' if 'Next page' in html else 'no ':<3}"
      f"  median={statistics.median(times):.1f} ms  max={times[-1]:.1f} ms")
PY
}
echo "$USERS users; median of $RUNS requests after $WARMUP:"
page "first page" ""
page "prefix search (user-0421)" "?email=user-0421"
page "next page after user-0900" "?after=user-0900"
page "prefix + next page" "?email=user-09&after=user-095000%40example.com"

echo; echo "Plans (the query UserRepository.searchByEmail sends, as a generic plan would see it):"
sql <<'SQL'
set plan_cache_mode = force_generic_plan;
prepare search(text, text, text) as select * from app_user where true and email_normalized collate "C" >= $1
  and email_normalized collate "C" < $2 and email_normalized collate "C" > $3 order by email_normalized collate "C" limit 51;
explain (analyze, costs off, timing off, summary off) execute search('user-09', 'user-0:', 'user-095000@example.com');
explain (analyze, costs off, timing off, summary off)
  select * from app_user where true and email_normalized collate "C" > 'user-0900' order by email_normalized collate "C" limit 51;
SQL
