# Shell functions shared by the bench/ scripts (source it; it defines functions and JAR only).
# Our server is always started as the README says (bin/meltano-auth), on the embedded default with
# its durable settings, configured only through environment variables.

JAR=target/quarkus-app/quarkus-run.jar

# A random hex secret (HTTP Basic reads a "+" as a space, so no base64).
bench_secret() {
  head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

# The raw signing rate of ALG (RS256|ES256|EdDSA) on 2 threads for 10 s with the server's own
# signers, or with the portable ones when the second argument is "portable" (bench/SignRate.java).
raw_sign_rate() {
  local lib=target/quarkus-app/lib/main
  java --enable-native-access=ALL-UNNAMED -cp "$(ls $lib/org.bouncycastle.bcprov-jdk18on-*.jar):$(ls $lib/software.amazon.cryptools.*.jar)" \
    bench/SignRate.java "$1" 2 10 ${2:-} | awk -F': ' '{print $2}'
}

# Fails with one line when a command is missing: need CMD "how to get it".
need() {
  command -v "$1" >/dev/null || { echo "$1 missing: $2" >&2; exit 1; }
}

# Starts our server in the background: start_ours DATA_DIR PORT ALG ADMIN_ID ADMIN_SECRET.
# Sets OURS_PID; the log goes to DATA_DIR/server.log. JAVA_OPTS adds JVM flags (after the launcher's,
# so they win); PLAIN_JAVA=1 starts the jar with a bare `java -jar` instead, for comparison.
# OURS_ENV (an optional array of NAME=value) adds settings, e.g. the PKCS#11 ones of HSM=softhsm.
start_ours() {
  local data=$1 port=$2 alg=$3 admin_id=$4 admin_secret=$5
  env ${OURS_ENV[@]+"${OURS_ENV[@]}"} MELTANO_AUTH_DATA_DIR=$data QUARKUS_HTTP_PORT=$port QUARKUS_HTTP_HOST=127.0.0.1 \
    MELTANO_AUTH_ISSUER=http://127.0.0.1:$port MELTANO_AUTH_SIGNING_ALG=$alg \
    MELTANO_AUTH_ADMIN_CLIENT_ID=$admin_id MELTANO_AUTH_ADMIN_CLIENT_SECRET=$admin_secret \
    $( [ -n "${PLAIN_JAVA:-}" ] && echo "java ${JAVA_OPTS:-} -jar $JAR" || echo bin/meltano-auth ) >>"$data/server.log" 2>&1 &
  OURS_PID=$!
}

# Waits until URL answers 2xx (at most TIMEOUT seconds, default 180) while PID lives; prints the
# seconds since START (a `date +%s.%N` taken before the launch). Fails when it never becomes ready.
wait_ready() {
  local url=$1 pid=$2 start=$3 timeout=${4:-180} deadline
  deadline=$(( $(date +%s) + timeout ))
  until curl -sf -o /dev/null "$url"; do
    kill -0 "$pid" 2>/dev/null || { echo "process $pid ended before $url was ready" >&2; return 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "$url not ready after ${timeout}s" >&2; return 1; }
    sleep 0.1
  done
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)"
}

# Stops a process and waits for it (our server stops its embedded PostgreSQL on SIGTERM).
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# Resident set size in MiB of PID: rss_mib PID [VmRSS|VmHWM] (VmHWM: the peak so far).
rss_mib() {
  awk -v k="${2:-VmRSS}:" '$1 == k {printf "%d", $2 / 1024}' "/proc/$1/status"
}

# Prints one field of a JSON object given as text: json_field JSON NAME.
json_field() {
  python3 -c 'import sys,json;print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}

# An access token from a token endpoint by client_credentials: cc_token TOKEN_URL ID SECRET.
cc_token() {
  local answer
  answer=$(curl -sf -u "$2:$3" -d grant_type=client_credentials "$1") || { echo "no token from $1 for $2" >&2; return 1; }
  json_field "$answer" access_token
}

# POSTs JSON with a bearer token and prints the answer: post_json URL TOKEN JSON.
post_json() {
  curl -sf -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3" "$1"
}

# On our server: a role allowing view:design on finance.* and a confidential client_credentials
# client holding it. Prints "CLIENT_ID CLIENT_SECRET": ours_cc_client BASE ADMIN_TOKEN.
ours_cc_client() {
  local base=$1 token=$2 client
  post_json "$base/admin/api/roles" "$token" '{"name":"bench-role"}' >/dev/null
  post_json "$base/admin/api/roles/bench-role/permissions" "$token" '{"type":"view:design","context":"finance.*"}' >/dev/null
  client=$(post_json "$base/admin/api/clients" "$token" \
    '{"name":"bench","redirect_uris":[],"grant_types":["client_credentials"],"roles":["bench-role"]}')
  echo "$(json_field "$client" client_id) $(json_field "$client" client_secret)"
}

# Writes a wrk script posting client_credentials with Basic credentials: cc_lua FILE ID SECRET.
cc_lua() {
  cat >"$1" <<LUA
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic $(printf '%s:%s' "$2" "$3" | base64 -w0)"
done = function(summary, latency, requests)
  io.write(string.format("non2xx_or_errors=%d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
}

# Writes a wrk script that counts failed requests into a plain GET: get_lua FILE.
get_lua() {
  cat >"$1" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("non2xx_or_errors=%d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
}

# Reads wrk --latency output on stdin; prints "REQUESTS_PER_S P50 P99 ERRORS".
wrk_figures() {
  awk '/Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
       /non2xx_or_errors=/ {split($0, e, "="); errs = e[2]}
       END {printf "%s %s %s %s\n", rps, p50, p99, (errs == "" ? 0 : errs)}'
}

# Fails with one line when something already listens on a port: port_free NAME PORT.
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then
    echo "$1: port $2 is in use" >&2
    exit 1
  fi
}

# Memory of the embedded PostgreSQL of DATA_DIR, in MiB: the proportional set size (PSS: each
# shared page divided among the processes mapping it, so shared_buffers is counted once) summed
# over the postmaster and its children. Prints 0 when it is not running: pg_pss_mib DATA_DIR.
pg_pss_mib() {
  local pm pids
  pm=$(head -n 1 "$1/postgres/postmaster.pid" 2>/dev/null) || { echo 0; return; }
  pids="$pm $(pgrep -P "$pm" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  for p in $pids; do awk '$1 == "Pss:" {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null; done |
    awk '{s += $1} END {printf "%d", s / 1024}'
}
