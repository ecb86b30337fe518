-- Shared by every bench/wrk script (loaded with dofile). Collects the per-thread counters in the
-- main Lua state and prints one machine-readable line, "BENCH_RESULT {json}", read by
-- bench/lib/wrk.mjs. Counters each thread keeps as globals:
--   bad    responses with the wrong status or without the expected body marker
--   flows    completed units of work when one unit is several requests (auth_code, refresh)
--   limited  bad responses that were 429 (rate limited)
local common = {}
local threads = {}

-- Parses the "key=value" arguments given after `--` on the wrk command line.
function common.parse_args(args)
  local out = {}
  for _, a in ipairs(args or {}) do
    local k, v = a:match("^([^=]+)=(.*)$")
    if k then out[k] = v end
  end
  return out
end

function common.setup(thread)
  threads[#threads + 1] = thread
  thread:set("thread_index", #threads)
end

function common.header(headers, name)
  return headers[name] or headers[name:lower()] or headers[name:gsub("^%l", string.upper)]
end

local function num(v) return tonumber(v) or 0 end

function common.done(summary, latency, requests)
  local bad, flows, limited = 0, 0, 0
  for _, t in ipairs(threads) do
    bad = bad + num(t:get("bad"))
    flows = flows + num(t:get("flows"))
    limited = limited + num(t:get("limited"))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"flows":%d,"bad":%d,"limited":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"mean":%.1f,"max":%d,"stdev":%.1f,"p50":%d,"p90":%d,"p99":%d}}\n',
    summary.requests, summary.duration, summary.bytes, flows, bad, limited,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end

return common
