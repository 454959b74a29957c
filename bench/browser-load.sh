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
. bench/lib.sh
need wrk "apt-get install -y wrk"
[ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests"; exit 1; }
BCPROV=$(ls target/quarkus-app/lib/main/org.bouncycastle.bcprov-jdk18on-*.jar | head -n 1)
ADMIN_ID=bench-admin
ADMIN_SECRET=$(bench_secret)
BASE=http://127.0.0.1:$PORT
EMAIL=bench.user@example.com
PASSWORD=bench-password-$(head -c 6 /dev/urandom | base64 | tr -d '=+/')

for ALG in "${ALGS[@]}"; do
  DATA=$(mktemp -d)
  start_ours "$DATA" "$PORT" "$ALG" "$ADMIN_ID" "$ADMIN_SECRET"
  PID=$OURS_PID
  trap 'kill $PID 2>/dev/null || true' EXIT
  wait_ready "$BASE/q/health/ready" "$PID" "$(date +%s.%N)" 60 >/dev/null
  TOKEN=$(cc_token "$BASE/oauth2/token" "$ADMIN_ID" "$ADMIN_SECRET")
  post_json "$BASE/admin/api/users" "$TOKEN" "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
  CLIENT=$(post_json "$BASE/admin/api/clients" "$TOKEN" \
    '{"name":"bench web","redirect_uris":["https://bench.example.com/cb"],"grant_types":["authorization_code","refresh_token"],"first_party":true}')
  CID=$(json_field "$CLIENT" client_id)
  CSECRET=$(json_field "$CLIENT" client_secret)
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
  PEAK=$(rss_mib "$PID" VmHWM)
  stop_pid "$PID"
  trap - EXIT
  RAW_SIGN=$(raw_sign_rate "$ALG")
  RAW_ARGON=-
  [ "$DUR_L" = 0 ] || RAW_ARGON=$(java -cp "$BCPROV" bench/Argon2Rate.java 2 10 | awk -F': ' '{print $2}')
  printf '%-6s %s | raw sign/s (2 threads)=%s\n       %s | raw argon2id/s (2 threads)=%s | peak_rss=%dMiB\n' \
    "$ALG" "$REFRESH" "$RAW_SIGN" "$LOGIN" "$RAW_ARGON" "$PEAK"
  rm -rf "$DATA"
done
