#!/usr/bin/env bash
# Token endpoint throughput: starts the built server on the embedded default (fresh data dir),
# creates a confidential client through the admin API, drives /oauth2/token with
# client_credentials from wrk for a fixed time, and prints tokens/s, p50/p99 latency and the
# server's peak RSS, next to the raw signing rate of the same algorithm on this machine.
#
# Usage: bench/token-load.sh [RS256|ES256|EdDSA ...]   (default: all three)
#        HSM=softhsm bench/token-load.sh RS256 ES256: the signing keys in a fresh SoftHSM2 token (SPEC
#        section 15; Debian's softhsm2), to set next to the same run without HSM
# Env:   DURATION (default 30s), CONNECTIONS (default 16), THREADS (wrk threads, default 1),
#        PORT (default 18080), JAVA_OPTS (extra JVM flags for the server, e.g. -Xmx256m). Needs wrk (Debian package "wrk") and a built server
#        (./mvnw -B package -DskipTests).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
PORT=${PORT:-18080}
ALGS=("${@:-RS256 ES256 EdDSA}")
read -r -a ALGS <<< "${ALGS[*]}"
JAR=target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests"; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk"; exit 1; }
BCPROV=$(ls target/quarkus-app/lib/main/org.bouncycastle.bcprov-jdk18on-*.jar | head -n 1)

ADMIN_ID=bench-admin
ADMIN_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '=+/' | cut -c1-43)
BASE=http://127.0.0.1:$PORT

for ALG in "${ALGS[@]}"; do
  DATA=$(mktemp -d)
  LOG=$DATA/server.log
  HSM_ENV=()
  if [ -n "${HSM:-}" ]; then
    mkdir -p "$DATA/tokens"
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$DATA" >"$DATA/softhsm2.conf"
    SOFTHSM2_CONF=$DATA/softhsm2.conf softhsm2-util --init-token --free --label bench --pin 1234 --so-pin 5678 >/dev/null
    HSM_ENV=(SOFTHSM2_CONF="$DATA/softhsm2.conf" MELTANO_AUTH_PKCS11_LIBRARY=/usr/lib/softhsm/libsofthsm2.so
      MELTANO_AUTH_PKCS11_TOKEN_LABEL=bench MELTANO_AUTH_PKCS11_PIN=1234)
  fi
  env "${HSM_ENV[@]}" MELTANO_AUTH_DATA_DIR=$DATA QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
    MELTANO_AUTH_SIGNING_ALG=$ALG MELTANO_AUTH_ADMIN_CLIENT_ID=$ADMIN_ID MELTANO_AUTH_ADMIN_CLIENT_SECRET=$ADMIN_SECRET \
    java ${JAVA_OPTS:-} -jar "$JAR" >"$LOG" 2>&1 &
  PID=$!
  trap 'kill $PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    curl -sf "$BASE/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  ADMIN_TOKEN=$(curl -sf -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$BASE/oauth2/token" \
    | python3 -c 'import sys,json;print(json.load(sys.stdin)["access_token"])')
  curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"bench-role"}' "$BASE/admin/api/roles" >/dev/null
  curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d '{"type":"view:design","context":"finance.*"}' "$BASE/admin/api/roles/bench-role/permissions" >/dev/null
  CLIENT=$(curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"bench","redirect_uris":[],"grant_types":["client_credentials"],"roles":["bench-role"]}' "$BASE/admin/api/clients")
  CID=$(python3 -c 'import sys,json;print(json.loads(sys.argv[1])["client_id"])' "$CLIENT")
  CSECRET=$(python3 -c 'import sys,json;print(json.loads(sys.argv[1])["client_secret"])' "$CLIENT")
  BASIC=$(printf '%s:%s' "$CID" "$CSECRET" | base64 -w0)
  LUA=$DATA/post.lua
  cat >"$LUA" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $BASIC"
done = function(summary, latency, requests)
  io.write(string.format("non2xx_or_errors=%d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
  # warm-up (JIT), then the measured run
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$LUA" "$BASE/oauth2/token" >/dev/null
  OUT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$BASE/oauth2/token")
  RPS=$(echo "$OUT" | awk '/Requests\/sec/ {print $2}')
  P50=$(echo "$OUT" | awk '$1=="50%" {print $2}')
  P99=$(echo "$OUT" | awk '$1=="99%" {print $2}')
  ERRS=$(echo "$OUT" | awk -F= '/non2xx_or_errors/ {print $2}')
  RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$PID/status)
  kill $PID; wait $PID 2>/dev/null || true
  trap - EXIT
  RAW=$(java -cp "$BCPROV" bench/SignRate.java "$ALG" 2 10 | awk -F': ' '{print $2}')
  [ -n "${HSM:-}" ] && ALG="$ALG+$HSM"
  printf '%-6s tokens/s=%-8s p50=%-8s p99=%-8s errors=%-3s peak_rss=%dMiB raw_sign/s(2 threads)=%s ratio=%s\n' \
    "$ALG" "$RPS" "$P50" "$P99" "${ERRS:-0}" $((RSS_KB / 1024)) "$RAW" \
    "$(python3 -c "print(f'{float(\"$RPS\")/float(\"$RAW\"):.0%}')")"
  rm -rf "$DATA"
done
