#!/usr/bin/env bash
# Browser-path throughput: refresh-token rotation and password logins, next to their ceilings
# (the raw signing rate for refresh, the raw Argon2id rate for logins), on the embedded default.
# Refresh: BrowserLoad.java signs in through the pages to get one refresh token per connection,
# then wrk (bench/refresh.lua) rotates them: each request uses the token the previous one returned.
# Logins: BrowserLoad.java opens the sign-in page and posts the password in a loop.
#
# Usage: bench/browser-load.sh [RS256|ES256|EdDSA ...]   (default: RS256 ES256)
# Env:   WARMUP, LOGIN_WARMUP (60 each: seconds of load before measuring; the JIT needs about that long),
#        SECONDS_REFRESH (20), SECONDS_LOGIN (20; 0 skips logins), THREADS (8: wrk connections and login threads),
#        PORT (18080), JAVA_OPTS, SCOPE (scope of the refreshed grants, default "openid offline_access").
#        Needs wrk (Debian package "wrk") and a built server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DUR_R=${SECONDS_REFRESH:-20}
DUR_L=${SECONDS_LOGIN:-20}
WARMUP=${WARMUP:-60}
THREADS=${THREADS:-8}
PORT=${PORT:-18080}
read -r -a ALGS <<< "${*:-RS256 ES256}"
JAR=target/quarkus-app/quarkus-run.jar
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk"; exit 1; }
[ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests"; exit 1; }
BCPROV=$(ls target/quarkus-app/lib/main/org.bouncycastle.bcprov-jdk18on-*.jar | head -n 1)
ADMIN_ID=bench-admin
ADMIN_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '=+/' | cut -c1-43)
BASE=http://127.0.0.1:$PORT
EMAIL=bench.user@example.com
PASSWORD=bench-password-$(head -c 6 /dev/urandom | base64 | tr -d '=+/')

for ALG in "${ALGS[@]}"; do
  DATA=$(mktemp -d)
  MELTANO_AUTH_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 MELTANO_AUTH_ISSUER=$BASE \
    MELTANO_AUTH_SIGNING_ALG=$ALG MELTANO_AUTH_ADMIN_CLIENT_ID=$ADMIN_ID MELTANO_AUTH_ADMIN_CLIENT_SECRET=$ADMIN_SECRET \
    java ${JAVA_OPTS:-} -jar "$JAR" >"$DATA/server.log" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -sf "$BASE/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  TOKEN=$(curl -sf -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$BASE/oauth2/token" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
  curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$BASE/admin/api/users" >/dev/null
  CLIENT=$(curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"bench web","redirect_uris":["https://bench.example.com/cb"],"grant_types":["authorization_code","refresh_token"],"first_party":true}' \
    "$BASE/admin/api/clients")
  CID=$(python3 -c 'import sys,json;print(json.loads(sys.argv[1])["client_id"])' "$CLIENT")
  CSECRET=$(python3 -c 'import sys,json;print(json.loads(sys.argv[1])["client_secret"])' "$CLIENT")
  # one token per connection for the warm-up (lines 1..THREADS), fresh ones for the measured run
  java -Dscope="${SCOPE:-openid offline_access}" bench/BrowserLoad.java seed "$BASE" "$CID" "$CSECRET" "$EMAIL" "$PASSWORD" \
    $((2 * THREADS)) >"$DATA/refresh-tokens"
  BASIC=$(printf '%s:%s' "$CID" "$CSECRET" | base64 -w0)
  wrk -t"$THREADS" -c"$THREADS" -d"${WARMUP}s" -s bench/refresh.lua "$BASE/oauth2/token" -- "$DATA/refresh-tokens" 1 "$BASIC" >/dev/null
  OUT=$(wrk -t"$THREADS" -c"$THREADS" -d"${DUR_R}s" --latency -s bench/refresh.lua "$BASE/oauth2/token" \
    -- "$DATA/refresh-tokens" $((THREADS + 1)) "$BASIC")
  REFRESH="refresh: $(echo "$OUT" | awk '/Requests\/sec/ {printf "%.0f/s", $2}') p50=$(echo "$OUT" | awk '$1=="50%" {print $2}')"
  REFRESH="$REFRESH p99=$(echo "$OUT" | awk '$1=="99%" {print $2}') errors=$(echo "$OUT" | awk -F= '/non2xx_or_errors/ {print $2}')"
  LOGIN="login: skipped"
  # the server's and PostgreSQL's CPU per login, next to the CPU of one raw hash below
  [ "$DUR_L" = 0 ] || LOGIN=$(java -Dwarmup.seconds="${LOGIN_WARMUP:-60}" -Dcpu.pids="$PID $(pgrep -d ' ' postgres)" bench/BrowserLoad.java login "$BASE" "$EMAIL" "$PASSWORD" "$THREADS" "$DUR_L")
  RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
  kill $PID; wait $PID 2>/dev/null || true
  trap - EXIT
  RAW_SIGN=$(java -cp "$BCPROV" bench/SignRate.java "$ALG" 2 10 | awk -F': ' '{print $2}')
  RAW_ARGON=-
  [ "$DUR_L" = 0 ] || RAW_ARGON=$(java -cp "$BCPROV" bench/Argon2Rate.java 2 10 | awk -F': ' '{print $2}')
  printf '%-6s %s | raw sign/s (2 threads)=%s\n       %s | raw argon2id/s (2 threads)=%s | peak_rss=%dMiB\n' \
    "$ALG" "$REFRESH" "$RAW_SIGN" "$LOGIN" "$RAW_ARGON" $((RSS_KB / 1024))
  rm -rf "$DATA"
done
