-- Refresh token rotation: each connection (wrk runs one connection per thread for this script)
-- starts from its own seeded refresh token and every request uses the refresh token the previous
-- response returned. A failed refresh leaves the chain broken, so every later request of that
-- connection counts as bad: the run is then reported invalid rather than fast.
-- Arguments: path, client_id, tokens (a file with one seeded refresh token per line).
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local seeded = nil
setup = function(thread)
  if not seeded then
    seeded = {}
    local file = assert(io.open(os.getenv("BENCH_REFRESH_TOKENS"), "r"))
    for line in file:lines() do if line ~= "" then seeded[#seeded + 1] = line end end
    file:close()
  end
  common.setup(thread)
  thread_count = (thread_count or 0) + 1
  local token = assert(seeded[thread_count], "fewer seeded tokens than threads")
  thread:set("refresh_token", token)
end
done = function(s, l, r) common.done(s, l, r) end

local cfg = nil
bad = 0
flows = 0

function init(args)
  cfg = common.parse_args(args)
end

-- Idempotent: wrk calls request() once before the run to check for pipelining; the state only
-- advances in response().
function request()
  return wrk.format("POST", cfg.path, { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=refresh_token&client_id=" .. cfg.client_id .. "&refresh_token=" .. refresh_token)
end

function response(status, headers, body)
  local next_token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
  if next_token then
    refresh_token = next_token
    flows = flows + 1
  else
    bad = bad + 1
  end
end
