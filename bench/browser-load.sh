#!/usr/bin/env bash
# Browser-path throughput: refresh-token rotation and password logins, next to their ceilings
# (the raw signing rate for refresh, the raw Argon2id rate for logins), on the embedded default.
#
# Usage: bench/browser-load.sh [RS256|ES256|EdDSA ...]   (default: RS256 ES256)
# Env:   SECONDS_REFRESH (20), SECONDS_LOGIN (20), THREADS (8), PORT (18080), JAVA_OPTS,
#        SCOPE (scope of the refreshed grant, default "openid offline_access").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DUR_R=${SECONDS_REFRESH:-20}
DUR_L=${SECONDS_LOGIN:-20}
THREADS=${THREADS:-8}
PORT=${PORT:-18080}
read -r -a ALGS <<< "${*:-RS256 ES256}"
JAR=target/quarkus-app/quarkus-run.jar
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
  REFRESH=$(java -Dscope="${SCOPE:-openid offline_access}" bench/BrowserLoad.java refresh "$BASE" "$CID" "$CSECRET" "$EMAIL" "$PASSWORD" "$THREADS" "$DUR_R")
  LOGIN=$(java bench/BrowserLoad.java login "$BASE" "$EMAIL" "$PASSWORD" "$THREADS" "$DUR_L")
  RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
  kill $PID; wait $PID 2>/dev/null || true
  trap - EXIT
  RAW_SIGN=$(java -cp "$BCPROV" bench/SignRate.java "$ALG" 2 10 | awk -F': ' '{print $2}')
  RAW_ARGON=$(java -cp "$BCPROV" bench/Argon2Rate.java 2 10 | awk -F': ' '{print $2}')
  printf '%-6s %s | raw sign/s (2 threads)=%s\n       %s | raw argon2id/s (2 threads)=%s | peak_rss=%dMiB\n' \
    "$ALG" "$REFRESH" "$RAW_SIGN" "$LOGIN" "$RAW_ARGON" $((RSS_KB / 1024))
  rm -rf "$DATA"
done
