-- One wrk script for every scenario (bench/run.py writes the files it reads):
--   wrk -t1 -c8 -d10s -s bench/wrk.lua http://127.0.0.1:PORT -- PATHS [SESSIONS|-] [get|post] [SEED]
-- PATHS: one path per line, each request takes one at random.
-- SESSIONS: "cookie<TAB>csrf token" per line (minted by run.py with the server's secret);
--   each request signs in as one at random, so a POST is a different patron almost every time.
-- post: POST the path as htmx does (HX-Request, the CSRF token in the form and the header).
-- At the end it prints one JSON line: requests, errors, latency percentiles (microseconds),
-- status codes, and the X-SQL-Count header summed over the responses.

local paths, sessions, post = {}, {}, false
sql_sum, sql_seen, sql_min, sql_max = 0, 0, -1, 0
-- Status classes as plain numbers: only numbers and strings cross from a thread to done().
c2xx, c3xx, c4xx, c429, c5xx = 0, 0, 0, 0, 0
local threads = {}
local agent = "commons-bench/1 (wrk)"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(paths, line) end
  end
  if args[2] and args[2] ~= "-" then
    for line in io.lines(args[2]) do
      local cookie, token = line:match("^([^\t]+)\t?(.*)$")
      if cookie then table.insert(sessions, { cookie, token }) end
    end
  end
  post = args[3] == "post"
  math.randomseed(tonumber(args[4] or "1"))
end

function request()
  local path = paths[math.random(#paths)]
  local headers = { ["User-Agent"] = agent }
  local session = nil
  if #sessions > 0 then
    session = sessions[math.random(#sessions)]
    headers["Cookie"] = "session=" .. session[1]
  end
  if post then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["HX-Request"] = "true"
    headers["X-CSRFToken"] = session[2]
    return wrk.format("POST", path, headers, "csrf_token=" .. session[2])
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status == 429 then c429 = c429 + 1
  elseif status >= 500 then c5xx = c5xx + 1
  elseif status >= 400 then c4xx = c4xx + 1
  elseif status >= 300 then c3xx = c3xx + 1
  else c2xx = c2xx + 1 end
  local count = tonumber(headers["X-SQL-Count"] or headers["x-sql-count"] or "")
  if count then
    sql_sum = sql_sum + count
    sql_seen = sql_seen + 1
    if sql_min < 0 or count < sql_min then sql_min = count end
    if count > sql_max then sql_max = count end
  end
end

function done(summary, latency, requests)
  local sum, seen, low, high = 0, 0, -1, 0
  local codes = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["429"] = 0, ["5xx"] = 0 }
  for _, thread in ipairs(threads) do
    sum = sum + thread:get("sql_sum")
    seen = seen + thread:get("sql_seen")
    local tmin, tmax = thread:get("sql_min"), thread:get("sql_max")
    if tmin >= 0 and (low < 0 or tmin < low) then low = tmin end
    if tmax > high then high = tmax end
    codes["2xx"] = codes["2xx"] + thread:get("c2xx")
    codes["3xx"] = codes["3xx"] + thread:get("c3xx")
    codes["4xx"] = codes["4xx"] + thread:get("c4xx")
    codes["429"] = codes["429"] + thread:get("c429")
    codes["5xx"] = codes["5xx"] + thread:get("c5xx")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}, ' ..
    '"sql": {"sum": %d, "responses": %d, "min": %d, "max": %d}, ' ..
    '"statuses": {"2xx": %d, "3xx": %d, "4xx": %d, "429": %d, "5xx": %d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean,
    latency.max, sum, seen, low, high,
    codes["2xx"], codes["3xx"], codes["4xx"], codes["429"], codes["5xx"]))
end
