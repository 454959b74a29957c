#!/usr/bin/env bash
# Token endpoint throughput: starts the built server on the embedded default (fresh data dir),
# creates a confidential client through the admin API, drives /oauth2/token with
# client_credentials from wrk for a fixed time, and prints tokens/s, p50/p99 latency, the java
# process's peak RSS and the embedded PostgreSQL's memory (PSS of all its processes) at the end,
# next to the raw signing rate of the same algorithm on this machine.
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
. bench/lib.sh
[ -f "$JAR" ] || { echo "build first: ./mvnw -B package -DskipTests"; exit 1; }
need wrk "apt-get install -y wrk"

ADMIN_ID=bench-admin
ADMIN_SECRET=$(bench_secret)
BASE=http://127.0.0.1:$PORT

for ALG in "${ALGS[@]}"; do
  DATA=$(mktemp -d)
  OURS_ENV=()
  if [ -n "${HSM:-}" ]; then
    mkdir -p "$DATA/tokens"
    printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$DATA" >"$DATA/softhsm2.conf"
    SOFTHSM2_CONF=$DATA/softhsm2.conf softhsm2-util --init-token --free --label bench --pin 1234 --so-pin 5678 >/dev/null
    OURS_ENV=(SOFTHSM2_CONF="$DATA/softhsm2.conf" MELTANO_AUTH_PKCS11_LIBRARY=/usr/lib/softhsm/libsofthsm2.so
      MELTANO_AUTH_PKCS11_TOKEN_LABEL=bench MELTANO_AUTH_PKCS11_PIN=1234)
  fi
  start_ours "$DATA" "$PORT" "$ALG" "$ADMIN_ID" "$ADMIN_SECRET"
  PID=$OURS_PID
  trap 'kill $PID 2>/dev/null || true' EXIT
  wait_ready "$BASE/q/health/ready" "$PID" "$(date +%s.%N)" 60 >/dev/null
  ADMIN_TOKEN=$(cc_token "$BASE/oauth2/token" "$ADMIN_ID" "$ADMIN_SECRET")
  read -r CID CSECRET < <(ours_cc_client "$BASE" "$ADMIN_TOKEN")
  LUA=$DATA/post.lua
  cc_lua "$LUA" "$CID" "$CSECRET"
  # warm-up (JIT), then the measured run
  wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -s "$LUA" "$BASE/oauth2/token" >/dev/null
  read -r RPS P50 P99 ERRS < <(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$BASE/oauth2/token" | wrk_figures)
  PEAK=$(rss_mib "$PID" VmHWM)
  PG=$(pg_pss_mib "$DATA")
  stop_pid "$PID"
  trap - EXIT
  RAW=$(raw_sign_rate "$ALG")
  [ -n "${HSM:-}" ] && ALG="$ALG+$HSM"
  printf '%-6s tokens/s=%-8s p50=%-8s p99=%-8s errors=%-3s java_peak_rss=%dMiB postgres_pss=%dMiB raw_sign/s(2 threads)=%s ratio=%s\n' \
    "$ALG" "$RPS" "$P50" "$P99" "$ERRS" "$PEAK" "$PG" "$RAW" \
    "$(python3 -c "print(f'{float(\"$RPS\")/float(\"$RAW\"):.0%}')")"
  rm -rf "$DATA"
done
