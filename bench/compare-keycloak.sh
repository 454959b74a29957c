#!/usr/bin/env bash
# Meltano Auth next to Keycloak on this machine (issue 13): the same loads, each server alone in
# turn (ours first, stopped before Keycloak starts), then one table with each figure and our ratio
# to Keycloak.
#
# Ours: started by the README's command (bin/meltano-auth; built with
#   ./mvnw -B package -DskipTests when the jar is missing) on a fresh data directory, embedded
#   PostgreSQL with its durable defaults (fsync on, synchronous_commit on, a token answered only
#   once its audit count has committed).
# Keycloak: org.keycloak:keycloak-quarkus-dist (KC_VERSION, default 26.7.3) fetched through Maven
#   (./mvnw dependency:copy) and unpacked into bench/.keycloak/ (ignored by git), built once for
#   PostgreSQL (kc.sh build --db=postgres --health-enabled=true), then run as production
#   (kc.sh start --optimized, HTTP on loopback, its own default heap -Xms64m -Xmx512m).
#   Durable settings: Keycloak's own dev-file H2 does not flush each commit to disk, so it is not
#   used; Keycloak gets a PostgreSQL of its own (Debian's postgresql package, installed with apt
#   when missing), a fresh cluster on PostgreSQL's defaults, which are durable (fsync on,
#   synchronous_commit on) like ours. Its user sessions are persisted there (Keycloak 26 default).
#   Keycloak needs a JDK 21 or newer: KC_JAVA_HOME, else the newest one under /usr/lib/jvm.
#   Passwords are hashed at the same Argon2id cost on both sides: ours, m=7 MiB, t=5, p=1, which is
#   also Keycloak 26's default, given to it explicitly all the same, so the login figure compares
#   the flows, not the hash settings.
#
# Loads (wrk, CONNECTIONS connections, WARMUP of load before each measured DURATION):
#   client_credentials, RS256 then ES256: a confidential client with Basic credentials (ours: a
#     client holding a role with one permission; Keycloak: a client with service accounts). For
#     ES256 ours restarts on a fresh data directory with MELTANO_AUTH_SIGNING_ALG=ES256; Keycloak's
#     realm gets an ECDSA P-256 key provider and defaultSignatureAlgorithm ES256. The script checks
#     the alg of a token before each load.
#   refresh grants, RS256 and ES256 (bench/refresh.lua, REFRESH_CONNECTIONS connections, each
#     rotating its own token): ours through the code flow (bench/BrowserLoad.java seed); Keycloak
#     from direct-access (password grant) user sessions, with revokeRefreshToken on so each
#     refresh token is single use, as ours. Keycloak's refreshes ask no "openid" scope, so neither
#     side signs an ID token on refresh: one access token signature per grant on both.
#   password logins (LOGIN_THREADS threads of bench/BrowserLoad.java, one account per thread):
#     each side's login form, a new login per iteration without cookies: ours opens /login and
#     posts the password (303 to /account, session stored); Keycloak gets an authorization request
#     (new authentication session), and the password is posted to its form (302 with a code, user
#     session stored). Both verify one Argon2id hash and store a session; neither signs a token.
#     The refresh lines also show, per grant, the commits, WAL bytes and WAL flushes of each side's
#     PostgreSQL (pg_stat_database, pg_stat_wal): what each side makes durable per refresh.
#   JWKS: GET of the key set (RS256 phase; ours /oauth2/jwks, Keycloak .../certs).
#   Start: time from launch to ready (ours /q/health/ready, Keycloak's /health/ready on its
#     management port) on a second start of an initialised data directory; ours includes starting
#     its embedded PostgreSQL, Keycloak's PostgreSQL is already running. RSS (of the JVM only, not
#     PostgreSQL) at ready, and the peak (VmHWM) after all loads.
#
# Usage: bench/compare-keycloak.sh
# Env:   DURATION (20s), WARMUP (20s; both whole seconds), CONNECTIONS (16), REFRESH_CONNECTIONS (8),
#        LOGIN_THREADS (4), PORT (18080), KC_PORT (18090), KC_MANAGEMENT_PORT (19000),
#        KC_PG_PORT (15433), KC_VERSION (26.7.3), KC_JAVA_HOME, JAVA_OPTS (our JVM only).
# Needs: wrk, curl, python3, JDK 17 (ours) and 21+ (Keycloak), PostgreSQL server binaries.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh

DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-20s}
CONNECTIONS=${CONNECTIONS:-16}
REFRESH_CONNECTIONS=${REFRESH_CONNECTIONS:-8}
LOGIN_THREADS=${LOGIN_THREADS:-4}
PORT=${PORT:-18080}
KC_PORT=${KC_PORT:-18090}
KC_MANAGEMENT_PORT=${KC_MANAGEMENT_PORT:-19000}
KC_PG_PORT=${KC_PG_PORT:-15433}
KC_VERSION=${KC_VERSION:-26.7.3}
CACHE=bench/.keycloak
KC_HOME=$CACHE/keycloak-$KC_VERSION
REDIRECT=https://bench.example.com/cb
PASSWORD=bench-password-$(bench_secret)
ADMIN_ID=bench-admin
ADMIN_SECRET=$(bench_secret)

need wrk "apt-get install -y wrk"
need curl "apt-get install -y curl"
need python3 "apt-get install -y python3"
need java "a JDK 17"
[ -f "$JAR" ] || ./mvnw -B package -DskipTests
port_free PORT "$PORT"; port_free KC_PORT "$KC_PORT"; port_free KC_MANAGEMENT_PORT "$KC_MANAGEMENT_PORT"; port_free KC_PG_PORT "$KC_PG_PORT"

# --- Keycloak's JDK, PostgreSQL binaries and distribution -------------------------------------
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1; }
if [ -z "${KC_JAVA_HOME:-}" ]; then
  for j in /usr/lib/jvm/*; do
    [ -x "$j/bin/java" ] && [ "$(java_major "$j")" -ge 21 ] 2>/dev/null || continue
    if [ -z "${KC_JAVA_HOME:-}" ] || [ "$(java_major "$j")" -gt "$(java_major "$KC_JAVA_HOME")" ]; then KC_JAVA_HOME=$j; fi
  done
fi
[ -n "${KC_JAVA_HOME:-}" ] || { echo "KC_JAVA_HOME: Keycloak $KC_VERSION needs a JDK 21 or newer" >&2; exit 1; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update && $SUDO apt-get install -y postgresql
fi
PG_BIN=$(pg_bin)
need psql "apt-get install -y postgresql-client"
# initdb and pg_ctl refuse to run as root; in a user namespace of its own (as our embedded
# database does) the same files belong to the running user
AS_PG=(); [ "$(id -u)" = 0 ] && AS_PG=(unshare -U)

if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
  mkdir -p "$CACHE"
  ./mvnw -q -B dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -DoutputDirectory="$CACHE"
  (cd "$CACHE" && unzip -q -o "keycloak-quarkus-dist-$KC_VERSION.zip" && rm "keycloak-quarkus-dist-$KC_VERSION.zip")
fi
if [ ! -f "$KC_HOME/.bench-built" ]; then
  JAVA_HOME=$KC_JAVA_HOME JAVA_OPTS= "$KC_HOME/bin/kc.sh" build --db=postgres --health-enabled=true >"$CACHE/build.log" 2>&1 \
    || { echo "kc.sh build failed, see $CACHE/build.log" >&2; exit 1; }
  touch "$KC_HOME/.bench-built"
fi

# --- shared measurement steps --------------------------------------------------------------------
declare -A OURS KC
WORK=$(mktemp -d)
OURS_PID= KC_SH= KC_PID= KC_PG=
cleanup() {
  local status=$?
  if [ "$status" != 0 ]; then
    for log in "$WORK"/ours-*/server.log "$WORK/keycloak.log" "$WORK/kc-pg.log"; do
      [ -f "$log" ] && { echo "--- last lines of ${log#"$WORK"/}:" >&2; tail -n 15 "$log" >&2; }
    done
  fi
  [ -z "$OURS_PID" ] || stop_pid "$OURS_PID"
  [ -z "$KC_PID" ] || kill "$KC_PID" 2>/dev/null || true
  [ -z "$KC_SH" ] || wait "$KC_SH" 2>/dev/null || true
  [ -z "$KC_PG" ] || "${AS_PG[@]}" "$PG_BIN/pg_ctl" stop -D "$KC_PG" -m fast -w >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# the signing algorithm in a JWT's header: jwt_alg TOKEN
jwt_alg() {
  python3 -c 'import sys,json,base64;h=sys.argv[1].split(".")[0];print(json.loads(base64.urlsafe_b64decode(h+"="*(-len(h)%4)))["alg"])' "$1"
}
expect_alg() {
  local alg; alg=$(jwt_alg "$2")
  [ "$alg" = "$1" ] || { echo "expected $1 tokens, got $alg" >&2; exit 1; }
}

# wrk for WARMUP, then DURATION measured; prints requests/s and logs the details:
# measure LABEL URL [wrk args...]
measure() {
  local label=$1 url=$2; shift 2
  wrk -d"$WARMUP" "$@" "$url" >/dev/null
  read -r rps p50 p99 errs < <(wrk -d"$DURATION" --latency "$@" "$url" | wrk_figures)
  printf '  %-34s %10s/s  p50=%-8s p99=%-8s errors=%s\n' "$label" "$rps" "$p50" "$p99" "$errs" >&2
  [ "$errs" = 0 ] || echo "  WARNING: $label had $errs failed requests" >&2
  printf '%.0f' "$rps"
}

# "COMMITS WAL_BYTES WAL_SYNCS" so far in the server's PostgreSQL (PG_ARGS: psql connection arguments)
db_counters() {
  psql "${PG_ARGS[@]}" -tA -F ' ' -c 'select (select xact_commit from pg_stat_database where datname = current_database()),
    wal_bytes, wal_sync from pg_stat_wal'
}

# refresh rotation: refresh_load LABEL TOKEN_URL TOKEN_FILE ID SECRET (2 x REFRESH_CONNECTIONS tokens);
# also logs per grant the database's commits, WAL bytes and WAL flushes: what each side makes durable
refresh_load() {
  local basic c0 c1; basic=$(printf '%s:%s' "$4" "$5" | base64 -w0)
  wrk -t"$REFRESH_CONNECTIONS" -c"$REFRESH_CONNECTIONS" -d"$WARMUP" -s bench/refresh.lua "$2" -- "$3" 1 "$basic" >/dev/null
  c0=$(db_counters)
  read -r rps p50 p99 errs < <(wrk -t"$REFRESH_CONNECTIONS" -c"$REFRESH_CONNECTIONS" -d"$DURATION" --latency -s bench/refresh.lua "$2" \
    -- "$3" $((REFRESH_CONNECTIONS + 1)) "$basic" | wrk_figures)
  c1=$(db_counters)
  printf '  %-34s %10s/s  p50=%-8s p99=%-8s errors=%s %s\n' "$1" "$rps" "$p50" "$p99" "$errs" \
    "$(python3 -c 'import sys
a, b = sys.argv[1].split(), sys.argv[2].split(); n = max(1.0, float(sys.argv[3]) * float(sys.argv[4]))
d = [(float(y) - float(x)) / n for x, y in zip(a, b)]
print(f"per grant: commits={d[0]:.2f} wal_bytes={d[1]:.0f} wal_flushes={d[2]:.2f}")' "$c0" "$c1" "$rps" "${DURATION%s}")" >&2
  [ "$errs" = 0 ] || echo "  WARNING: $1 had $errs failed requests" >&2
  printf '%.0f' "$rps"
}

# logins/s from BrowserLoad: login_load MODE BASE ACCOUNTS [java -D flags...]
login_load() {
  local mode=$1 base=$2 accounts=$3 out; shift 3
  out=$(java "$@" -Dwarmup.seconds="${WARMUP%s}" bench/BrowserLoad.java "$mode" "$base" "$accounts" "$PASSWORD" "$LOGIN_THREADS" "${DURATION%s}")
  echo "  $out" >&2
  echo "$out" | sed -n 's/^[a-z]*: \([0-9]*\)\/s.*/\1/p'
}

ACCOUNTS=$(for i in $(seq 1 "$LOGIN_THREADS"); do printf 'bench.user%d@example.com,' "$i"; done); ACCOUNTS=${ACCOUNTS%,}

# --- ours -----------------------------------------------------------------------------------------
echo "Meltano Auth ($JAR)" >&2
BASE=http://127.0.0.1:$PORT
OURS_PEAK=0
for ALG in RS256 ES256; do
  DATA=$WORK/ours-$ALG; mkdir -p "$DATA"
  T0=$(date +%s.%N); start_ours "$DATA" "$PORT" "$ALG" "$ADMIN_ID" "$ADMIN_SECRET"
  FIRST=$(wait_ready "$BASE/q/health/ready" "$OURS_PID" "$T0")
  TOKEN=$(cc_token "$BASE/oauth2/token" "$ADMIN_ID" "$ADMIN_SECRET")
  read -r CID CSECRET < <(ours_cc_client "$BASE" "$TOKEN")
  WEB=$(post_json "$BASE/admin/api/clients" "$TOKEN" \
    "{\"name\":\"bench web\",\"redirect_uris\":[\"$REDIRECT\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"first_party\":true}")
  WEB_ID=$(json_field "$WEB" client_id); WEB_SECRET=$(json_field "$WEB" client_secret)
  for EMAIL in ${ACCOUNTS//,/ }; do
    post_json "$BASE/admin/api/users" "$TOKEN" "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
  done
  if [ "$ALG" = RS256 ]; then
    stop_pid "$OURS_PID"
    T0=$(date +%s.%N); start_ours "$DATA" "$PORT" "$ALG" "$ADMIN_ID" "$ADMIN_SECRET"
    OURS[start]=$(wait_ready "$BASE/q/health/ready" "$OURS_PID" "$T0")
    OURS[rss]=$(rss_mib "$OURS_PID")
    echo "  first start ${FIRST}s, second start ${OURS[start]}s, RSS at ready ${OURS[rss]} MiB" >&2
  fi
  PG_ARGS=(-h 127.0.0.1 -p "$(sed -n 's/^port=//p' "$DATA/server.lock")" -U postgres -d postgres)
  export PGPASSWORD; PGPASSWORD=$(cat "$DATA/postgres-password")
  expect_alg "$ALG" "$(cc_token "$BASE/oauth2/token" "$CID" "$CSECRET")"
  cc_lua "$WORK/cc.lua" "$CID" "$CSECRET"
  OURS[cc_$ALG]=$(measure "client_credentials $ALG" "$BASE/oauth2/token" -t1 -c"$CONNECTIONS" -s "$WORK/cc.lua")
  java -Dscope="openid offline_access" bench/BrowserLoad.java seed "$BASE" "$WEB_ID" "$WEB_SECRET" "${ACCOUNTS%%,*}" "$PASSWORD" \
    $((2 * REFRESH_CONNECTIONS)) >"$WORK/ours-refresh"
  OURS[refresh_$ALG]=$(refresh_load "refresh $ALG" "$BASE/oauth2/token" "$WORK/ours-refresh" "$WEB_ID" "$WEB_SECRET")
  if [ "$ALG" = RS256 ]; then
    OURS[login]=$(login_load login "$BASE" "$ACCOUNTS")
    get_lua "$WORK/get.lua"
    OURS[jwks]=$(measure "JWKS" "$BASE/oauth2/jwks" -t1 -c"$CONNECTIONS" -s "$WORK/get.lua")
  fi
  PEAK=$(rss_mib "$OURS_PID" VmHWM); [ "$PEAK" -le "$OURS_PEAK" ] || OURS_PEAK=$PEAK
  stop_pid "$OURS_PID"; OURS_PID=
done
OURS[peak]=$OURS_PEAK

# --- Keycloak -------------------------------------------------------------------------------------
echo "Keycloak $KC_VERSION ($KC_JAVA_HOME, PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'))" >&2
KC_PG=$WORK/kc-pg
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$KC_PG" -U postgres -A trust >"$WORK/initdb.log" 2>&1
"${AS_PG[@]}" "$PG_BIN/pg_ctl" start -D "$KC_PG" -w -l "$WORK/kc-pg.log" \
  -o "-p $KC_PG_PORT -k $WORK -c listen_addresses=127.0.0.1" >/dev/null
psql -q -h 127.0.0.1 -p "$KC_PG_PORT" -U postgres -c 'create database keycloak' >/dev/null
[ "$(psql -tA -h 127.0.0.1 -p "$KC_PG_PORT" -U postgres -c 'show fsync')" = on ] || { echo "Keycloak's PostgreSQL has fsync off" >&2; exit 1; }

start_kc() {
  # JAVA_OPTS empty: kc.sh applies its own defaults (ours may be set for our JVM)
  KC_BOOTSTRAP_ADMIN_CLIENT_ID=$ADMIN_ID KC_BOOTSTRAP_ADMIN_CLIENT_SECRET=$ADMIN_SECRET JAVA_HOME=$KC_JAVA_HOME JAVA_OPTS= \
    JAVA_OPTS_APPEND="-Dbench.keycloak.port=$KC_PORT" \
    "$KC_HOME/bin/kc.sh" start --optimized \
    --db-url="jdbc:postgresql://127.0.0.1:$KC_PG_PORT/keycloak" --db-username=postgres --db-password=unused \
    --http-enabled=true --http-host=127.0.0.1 --http-port="$KC_PORT" --http-management-port="$KC_MANAGEMENT_PORT" \
    --hostname-strict=false \
    --spi-password-hashing--argon2--memory=7168 --spi-password-hashing--argon2--iterations=5 \
    --spi-password-hashing--argon2--parallelism=1 >>"$WORK/keycloak.log" 2>&1 &
  KC_SH=$!
}
kc_java_pid() {
  for _ in $(seq 1 50); do
    KC_PID=$(pgrep -f -- "java .*-Dbench.keycloak.port=$KC_PORT" || true)
    [ -z "$KC_PID" ] || return 0
    sleep 0.1
  done
  echo "no Keycloak JVM under kc.sh" >&2; exit 1
}
stop_kc() { kill "$KC_PID"; wait "$KC_SH" 2>/dev/null || true; KC_PID= KC_SH=; }

KC_BASE=http://127.0.0.1:$KC_PORT
KC_READY=http://127.0.0.1:$KC_MANAGEMENT_PORT/health/ready
REALM=$KC_BASE/realms/bench
KC_TOKEN_URL=$REALM/protocol/openid-connect/token
T0=$(date +%s.%N); start_kc; kc_java_pid
FIRST=$(wait_ready "$KC_READY" "$KC_PID" "$T0" 300)
TOKEN=$(cc_token "$KC_BASE/realms/master/protocol/openid-connect/token" "$ADMIN_ID" "$ADMIN_SECRET")
ADMIN=$KC_BASE/admin/realms
post_json "$ADMIN" "$TOKEN" '{"realm":"bench","enabled":true,"revokeRefreshToken":true,"refreshTokenMaxReuse":0}' >/dev/null
CSECRET=$(bench_secret); WEB_SECRET=$(bench_secret)
post_json "$ADMIN/bench/clients" "$TOKEN" "{\"clientId\":\"bench\",\"secret\":\"$CSECRET\",\"publicClient\":false,
  \"serviceAccountsEnabled\":true,\"standardFlowEnabled\":false,\"directAccessGrantsEnabled\":false}" >/dev/null
post_json "$ADMIN/bench/clients" "$TOKEN" "{\"clientId\":\"bench-web\",\"secret\":\"$WEB_SECRET\",\"publicClient\":false,
  \"standardFlowEnabled\":true,\"directAccessGrantsEnabled\":true,\"redirectUris\":[\"$REDIRECT\"]}" >/dev/null
for EMAIL in ${ACCOUNTS//,/ }; do
  post_json "$ADMIN/bench/users" "$TOKEN" "{\"username\":\"$EMAIL\",\"email\":\"$EMAIL\",\"emailVerified\":true,
    \"enabled\":true,\"firstName\":\"Bench\",\"lastName\":\"User\",
    \"credentials\":[{\"type\":\"password\",\"value\":\"$PASSWORD\",\"temporary\":false}]}" >/dev/null
done
stop_kc
T0=$(date +%s.%N); start_kc; kc_java_pid
KC[start]=$(wait_ready "$KC_READY" "$KC_PID" "$T0" 300)
KC[rss]=$(rss_mib "$KC_PID")
PG_ARGS=(-h 127.0.0.1 -p "$KC_PG_PORT" -U postgres -d keycloak)
echo "  first start ${FIRST}s, second start ${KC[start]}s, RSS at ready ${KC[rss]} MiB" >&2

kc_refresh_tokens() {
  for _ in $(seq 1 $((2 * REFRESH_CONNECTIONS))); do
    json_field "$(curl -sf -u "bench-web:$WEB_SECRET" -d grant_type=password --data-urlencode "username=${ACCOUNTS%%,*}" \
      --data-urlencode "password=$PASSWORD" "$KC_TOKEN_URL")" refresh_token
  done >"$WORK/kc-refresh"
}
for ALG in RS256 ES256; do
  if [ "$ALG" = ES256 ]; then
    TOKEN=$(cc_token "$KC_BASE/realms/master/protocol/openid-connect/token" "$ADMIN_ID" "$ADMIN_SECRET")
    REALM_ID=$(json_field "$(curl -sf -H "Authorization: Bearer $TOKEN" "$ADMIN/bench")" id)
    post_json "$ADMIN/bench/components" "$TOKEN" "{\"name\":\"bench-ecdsa\",\"providerId\":\"ecdsa-generated\",
      \"providerType\":\"org.keycloak.keys.KeyProvider\",\"parentId\":\"$REALM_ID\",\"config\":{\"priority\":[\"200\"],
      \"enabled\":[\"true\"],\"active\":[\"true\"],\"ecdsaEllipticCurveKey\":[\"P-256\"]}}" >/dev/null
    curl -sf -X PUT -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d '{"defaultSignatureAlgorithm":"ES256"}' "$ADMIN/bench" >/dev/null
  fi
  expect_alg "$ALG" "$(cc_token "$KC_TOKEN_URL" bench "$CSECRET")"
  cc_lua "$WORK/cc.lua" bench "$CSECRET"
  KC[cc_$ALG]=$(measure "client_credentials $ALG" "$KC_TOKEN_URL" -t1 -c"$CONNECTIONS" -s "$WORK/cc.lua")
  kc_refresh_tokens
  KC[refresh_$ALG]=$(refresh_load "refresh $ALG" "$KC_TOKEN_URL" "$WORK/kc-refresh" bench-web "$WEB_SECRET")
  if [ "$ALG" = RS256 ]; then
    KC[login]=$(login_load kclogin "$REALM" "$ACCOUNTS" -Dclient.id=bench-web)
    get_lua "$WORK/get.lua"
    KC[jwks]=$(measure "JWKS" "$REALM/protocol/openid-connect/certs" -t1 -c"$CONNECTIONS" -s "$WORK/get.lua")
  fi
done
KC[peak]=$(rss_mib "$KC_PID" VmHWM)
stop_kc

# --- the table ------------------------------------------------------------------------------------
echo
echo "$(date -u +%F), $(nproc) cores, wrk and the server on the same machine; DURATION=$DURATION WARMUP=$WARMUP"
printf '| %-40s | %9s | %9s | %-14s |\n' figure ours Keycloak "ours/Keycloak"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..42})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..16})"
row() {
  printf '| %-40s | %9s | %9s | %-14s |\n' "$1" "${OURS[$2]}" "${KC[$2]}" \
    "$(python3 -c 'import sys; k=float(sys.argv[2]); print(f"{float(sys.argv[1])/k:.2f}x" if k else "-")' "${OURS[$2]:-0}" "${KC[$2]:-0}")"
}
row "second start to ready, s (lower: better)" start
row "RSS at ready, MiB (lower: better)" rss
row "peak RSS under load, MiB (lower: better)" peak
row "client_credentials RS256, tokens/s" cc_RS256
row "client_credentials ES256, tokens/s" cc_ES256
row "refresh grants RS256, /s" refresh_RS256
row "refresh grants ES256, /s" refresh_ES256
row "password logins (login form), /s" login
row "JWKS, requests/s" jwks
