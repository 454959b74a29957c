#!/usr/bin/env bash
# README's "Verifying tokens in a downstream service", tried as a downstream developer would (issue 9,
# item 11): the real server (README's run command, a temporary data dir, a bootstrap admin client),
# and three downstream services configured exactly as README says: Spring Boot (spring/), Quarkus
# with quarkus-oidc (quarkus/) and Node with jose (node/). Each answers GET /reports/{name}: 200 when
# the token allows view:reports on the name, 403 when not, 401 for a bad, expired or ID token.
# For RS256, ES256 and EdDSA: those cases, then a rotation with activate_now, after which the first
# tokens of the new key must be accepted at once (within ACCEPT_WITHIN seconds).
# Run from anywhere: bash downstream/run.sh. Exits non-zero with a message on the first failure.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

ACCEPT_WITHIN=3          # seconds a service may take to accept the first token of a new key
TOKEN_TTL=15             # access token lifetime on the test server, so that one expires during the run
WORK=$(mktemp -d)
PIDS=()
START=$(date +%s)
PASSED=0

log() { echo "downstream: $*"; }

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "downstream: FAIL: $*" >&2
  local f
  for f in "$WORK"/*.log; do
    [ -f "$f" ] || continue
    echo "----- last lines of $(basename "$f")" >&2
    tail -n 25 "$f" >&2
  done
  echo "downstream: $PASSED passed, 1 failed" >&2
  exit 1
}

# A port no one listens on, taken below the kernel's ephemeral range (32768 and up): a port the
# kernel hands out meanwhile (the embedded PostgreSQL's, an outgoing connection's source port) is
# never the same. Each port is handed out once per run (the services start before they listen).
HANDED_OUT=" "
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    case "$HANDED_OUT" in *" $port "*) continue ;; esac
    if python3 -c 'import socket, sys; socket.socket().bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null; then
      HANDED_OUT+="$port "
      FREE_PORT=$port
      return
    fi
  done
  fail "no free port between 20000 and 31999"
}

# the HTTP status of GET url with an optional bearer token
status() {
  if [ -n "${2:-}" ]; then
    curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $2" "$1" || true
  else
    curl -s -o /dev/null -w '%{http_code}' "$1" || true
  fi
}

wait_for_status() { # url expected seconds what
  local deadline=$(( $(date +%s) + $3 ))
  until [ "$(status "$1")" = "$2" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "$4 did not answer $2 at $1 within $3 s"
    sleep 0.5
  done
}

b64url_json() { # the decoded JSON of a JWT part (1 = header, 2 = payload)
  local part
  part=$(cut -d. -f"$2" <<<"$1" | tr '_-' '/+')
  while [ $(( ${#part} % 4 )) -ne 0 ]; do part="$part="; done
  base64 -d <<<"$part"
}
kid_of() { b64url_json "$1" 1 | jq -r .kid; }

# ---------------------------------------------------------------- builds
log "building (server jar if missing, verifier library, Spring and Quarkus services, Node packages)"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
./mvnw -B -q -f verifier/pom.xml install -DskipTests
./mvnw -B -q -f downstream/spring/pom.xml package -DskipTests
./mvnw -B -q -f downstream/quarkus/pom.xml package -DskipTests
(cd downstream/node && npm ci --no-audit --no-fund --silent)

# README's snippets are copies of these tested files: fail when one drifted
python3 downstream/snippets.py --check || fail "README.md's downstream snippets differ from downstream/ (python3 downstream/snippets.py --write)"

# ---------------------------------------------------------------- the server
ADMIN_ID=bootstrap-admin
ADMIN_SECRET=$(openssl rand -hex 32)   # hex: client_secret_basic form-decodes "+" (RFC 6749 2.3.1)

start_server() { # alg
  free_port
  SERVER_PORT=$FREE_PORT
  ISSUER="http://127.0.0.1:$SERVER_PORT"
  # README's run command; MELTANO_AUTHENTICATION=false so that the test gets an ID token without a page
  env MELTANO_AUTH_ISSUER="$ISSUER" QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$SERVER_PORT" \
    MELTANO_AUTH_DATA_DIR="$WORK/data-$1" MELTANO_AUTH_SIGNING_ALG="$1" MELTANO_AUTHENTICATION=false \
    MELTANO_AUTH_ACCESS_TOKEN_TTL="PT${TOKEN_TTL}S" \
    MELTANO_AUTH_ADMIN_CLIENT_ID="$ADMIN_ID" MELTANO_AUTH_ADMIN_CLIENT_SECRET="$ADMIN_SECRET" \
    bin/meltano-auth >"$WORK/server-$1.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_for_status "$ISSUER/q/health/ready" 200 180 "the server ($1)"
}

stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

admin_token() {
  curl -sf -u "$ADMIN_ID:$ADMIN_SECRET" -d grant_type=client_credentials "$ISSUER/oauth2/token" | jq -r .access_token
}

admin_post() { # path json
  curl -sf -H "Authorization: Bearer $(admin_token)" -H 'Content-Type: application/json' -d "$2" "$ISSUER$1" \
    || fail "POST $1 was refused"
}

READER_ID=""; READER_SECRET=""
setup_clients() {
  admin_post /admin/api/roles '{"name":"reader"}' >/dev/null
  admin_post /admin/api/roles/reader/permissions '{"type":"view:reports","context":"sales.*"}' >/dev/null
  local client
  client=$(admin_post /admin/api/clients \
    '{"name":"reports-reader","redirect_uris":[],"grant_types":["client_credentials"],"roles":["reader"]}')
  READER_ID=$(jq -r .client_id <<<"$client")
  READER_SECRET=$(jq -r .client_secret <<<"$client")
}

reader_token() {
  curl -sf -u "$READER_ID:$READER_SECRET" -d grant_type=client_credentials "$ISSUER/oauth2/token" | jq -r .access_token
}

# an ID token of the built-in admin, through the code flow with PKCE (MELTANO_AUTHENTICATION=false)
id_token() {
  local client cid verifier challenge redirect code
  client=$(admin_post /admin/api/clients \
    '{"name":"web","redirect_uris":["http://127.0.0.1:9/cb"],"grant_types":["authorization_code"],"token_endpoint_auth_method":"none","first_party":true}')
  cid=$(jq -r .client_id <<<"$client")
  verifier=$(openssl rand -hex 32)
  challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
  redirect=$(curl -s -o /dev/null -w '%{redirect_url}' "$ISSUER/oauth2/authorize?response_type=code&client_id=$cid&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&scope=openid&state=s1&code_challenge=$challenge&code_challenge_method=S256")
  code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$redirect")
  [ -n "$code" ] || fail "no authorization code (redirect: $redirect)"
  curl -sf -d grant_type=authorization_code -d "code=$code" -d "client_id=$cid" \
    -d redirect_uri=http://127.0.0.1:9/cb -d "code_verifier=$verifier" "$ISSUER/oauth2/token" | jq -r .id_token
}

# ---------------------------------------------------------------- the downstream services
SERVICES=()  # "label url-base pid"
start_service() { # label command...
  local label=$1 port
  shift
  free_port
  port=$FREE_PORT
  env MELTANO_ISSUER="$ISSUER" PORT="$port" "$@" >"$WORK/$label.log" 2>&1 &
  PIDS+=("$!")
  SERVICES+=("$label http://127.0.0.1:$port $!")
}

wait_services() {
  local s label url
  for s in "${SERVICES[@]}"; do
    read -r label url _ <<<"$s"
    wait_for_status "$url/reports/x" 401 120 "$label"
  done
}

stop_services() {
  local s pid
  for s in "${SERVICES[@]}"; do
    read -r _ _ pid <<<"$s"
    stop_pid "$pid"
  done
  SERVICES=()
}

expect() { # what token report-name expected-status
  local s label url got
  for s in "${SERVICES[@]}"; do
    read -r label url _ <<<"$s"
    got=$(status "$url/reports/$3" "$2")
    [ "$got" = "$4" ] || fail "$label: $1: GET /reports/$3 answered $got, expected $4"
    PASSED=$((PASSED + 1))
  done
  log "  $1 -> $4 ($(echo "${SERVICES[@]}" | tr ' ' '\n' | sed -n '1~3p' | paste -sd, -))"
}

service_url() { # label
  local s label url
  for s in "${SERVICES[@]}"; do
    read -r label url _ <<<"$s"
    [ "$label" = "$1" ] && echo "$url"
  done
  return 0
}

expect_one() { # label what token report-name expected-status
  local s label url got
  for s in "${SERVICES[@]}"; do
    read -r label url _ <<<"$s"
    [ "$label" = "$1" ] || continue
    got=$(status "$url/reports/$4" "$3")
    [ "$got" = "$5" ] || fail "$label: $2: GET /reports/$4 answered $got, expected $5"
    PASSED=$((PASSED + 1))
    log "  $2 -> $5 ($label)"
  done
}

start_services() { # alg
  if [ "$1" = EdDSA ]; then
    # Spring Security's own decoder cannot verify EdDSA: README's library-backed JwtDecoder instead
    start_service spring-library java -jar downstream/spring/target/reports-spring.jar --reports.verifier=library
  else
    start_service spring java -jar downstream/spring/target/reports-spring.jar
  fi
  start_service quarkus java -jar downstream/quarkus/target/quarkus-app/quarkus-run.jar
  start_service node node downstream/node/server.mjs
  wait_services
}

forge() { # the token with its signature's first characters changed
  local sig
  sig=$(cut -d. -f3 <<<"$1")
  printf '%s.%s.%s' "$(cut -d. -f1 <<<"$1")" "$(cut -d. -f2 <<<"$1")" "AAAA${sig:4}"
}

# the first tokens of a key made by POST /admin/api/keys/rotate {"activate_now": true} are accepted at once
rotation() {
  local old_kid token kid deadline s label url t0 got
  old_kid=$(kid_of "$(reader_token)")
  admin_post /admin/api/keys/rotate '{"activate_now": true}' >"$WORK/rotate.json"
  log "  rotated: $(jq -c . "$WORK/rotate.json")"
  deadline=$(( $(date +%s) + 60 ))
  while :; do # activate_now signs at once or after a short fixed delay: wait for the first new kid
    token=$(reader_token)
    kid=$(kid_of "$token")
    [ "$kid" != "$old_kid" ] && break
    [ "$(date +%s)" -lt "$deadline" ] || fail "no token with a new kid within 60 s of the rotation"
    sleep 0.2
  done
  for s in "${SERVICES[@]}"; do
    read -r label url _ <<<"$s"
    t0=$(date +%s%N)
    while :; do
      got=$(status "$url/reports/sales.q1" "$token")
      [ "$got" = 200 ] && break
      [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt "$ACCEPT_WITHIN" ] \
        || fail "$label refused the first token of the new key $kid ($got) for $ACCEPT_WITHIN s"
      sleep 0.2
    done
    log "  $label accepted the first token of the new key after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
    PASSED=$((PASSED + 1))
  done
}

phase() { # alg
  local alg=$1 token expired_token expired_at id
  log "== $alg: server"
  start_server "$alg"
  setup_clients
  log "== $alg: downstream services"
  start_services "$alg"
  token=$(reader_token)
  [ "$(b64url_json "$token" 1 | jq -r .alg)" = "$alg" ] || fail "the server signed with $(b64url_json "$token" 1 | jq -r .alg), not $alg"
  expired_token=$token
  expired_at=$(b64url_json "$token" 2 | jq -r .exp)
  expect "token with view:reports on sales.*, report sales.q1" "$token" sales.q1 200
  expect "same token, report finance.q1" "$token" finance.q1 403
  expect "no token" "" sales.q1 401
  expect "forged signature" "$(forge "$token")" sales.q1 401
  if [ "$alg" = RS256 ]; then
    id=$(id_token)
    [ -n "$id" ] && [ "$id" != null ] || fail "no ID token"
    expect "an ID token (RS256, aud = client_id)" "$id" sales.q1 401
  fi
  rotation
  if [ "$alg" = RS256 ]; then
    # README says Spring Boot's YAML alone (no JwtDecoder bean) refuses valid tokens (typ at+jwt)
    start_service spring-yaml-only java -jar downstream/spring/target/reports-spring.jar --reports.verifier=yaml
    wait_services
    token=$(reader_token)
    expect_one spring-yaml-only "a valid token, Spring Boot's YAML alone (README: refused)" "$token" sales.q1 401
    curl -s -D - -o /dev/null -H "Authorization: Bearer $token" "$(service_url spring-yaml-only)/reports/sales.q1" \
      | grep -qi '^WWW-Authenticate:.*typ' || fail "spring-yaml-only refused a valid token, but not for its typ"
    # Spring allows 60 s of clock skew, the others none: wait until every one must refuse it
    local now wait_s
    now=$(date +%s)
    wait_s=$(( expired_at + 61 - now ))
    if [ "$wait_s" -gt 0 ]; then log "  waiting ${wait_s} s for a token to be past exp + 60 s"; sleep "$wait_s"; fi
    expect "expired token" "$expired_token" sales.q1 401
  fi
  if [ "$alg" = EdDSA ]; then
    # README says Spring's own decoder cannot verify EdDSA: show that it refuses a valid token
    stop_services
    start_service spring java -jar downstream/spring/target/reports-spring.jar
    wait_services
    expect "EdDSA token with Spring's own decoder (README: not supported)" "$(reader_token)" sales.q1 401
  fi
  stop_services
  stop_pid "$SERVER_PID"
}

# README's "A first token", as written (it uses port 8080: skipped, and said so, when that is taken)
first_token() {
  if (exec 3<>/dev/tcp/127.0.0.1/8080) 2>/dev/null; then
    log "== SKIPPED README's first token: port 8080 is taken here"
    return
  fi
  log "== README's first token, as written"
  MELTANO_AUTH_DATA_DIR="$WORK/data-first" timeout 300 bash -c \
    'trap "kill \$(jobs -p) 2>/dev/null; wait" EXIT; source downstream/first-token.sh; echo; echo "token length: ${#TOKEN}"' \
    >"$WORK/first-token.log" 2>&1 || fail "README's first token did not run through (see first-token.log)"
  grep -q '"client_secret"' "$WORK/first-token.log" || fail "README's first token created no client"
  grep -q '^token length: [1-9]' "$WORK/first-token.log" || fail "README's first token got an empty token"
  PASSED=$((PASSED + 1))
  log "  a token, a role, a permission and a client"
}

first_token
phase RS256
phase ES256
phase EdDSA

log "done in $(( $(date +%s) - START )) s"
echo "downstream: $PASSED passed, 0 failed"
