-- wrk script for bench/browser-load.sh: every wrk thread drives one connection and rotates its own
-- refresh token (grant_type=refresh_token), taking the successor from each response.
-- Arguments (after --): TOKEN_FILE FIRST_LINE BASIC_CREDENTIALS. Thread n uses line FIRST_LINE+n-1.

local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

function init(args)
  local wanted = tonumber(args[2]) + id - 1
  local line = 0
  for t in io.lines(args[1]) do
    line = line + 1
    if line == wanted then token = t end
  end
  assert(token, "no refresh token on line " .. wanted)
  auth = "Basic " .. args[3]
end

function request()
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = auth,
  }, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local successor = status == 200 and body:match('"refresh_token":"([^"]+)"')
  if successor then
    token = successor
  end
end

function done(summary, latency, requests)
  io.write(string.format("non2xx_or_errors=%d\n", summary.errors.status + summary.errors.connect
    + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
