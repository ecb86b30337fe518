-- One fixed request, repeated: jwks, discovery, client_credentials, introspect, register.
-- Arguments (after `--`): method, path, status (the accepted statuses, comma separated), marker
-- (a substring the body must contain), body, content_type, authorization. In the body "{n}" becomes a number unique per
-- request (thread index and counter), so register creates a new client each time.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = function(thread) common.setup(thread) end
done = function(s, l, r) common.done(s, l, r) end

local cfg, fixed, counter = nil, nil, 0
bad = 0
flows = 0
limited = 0

function init(args)
  cfg = common.parse_args(args)
  cfg.accepted = {}
  for code in (cfg.status or "200"):gmatch("%d+") do cfg.accepted[tonumber(code)] = true end
  cfg.headers = {}
  if cfg.content_type and cfg.content_type ~= "" then cfg.headers["Content-Type"] = cfg.content_type end
  if cfg.authorization and cfg.authorization ~= "" then cfg.headers["Authorization"] = cfg.authorization end
  if not (cfg.body and cfg.body:find("{n}", 1, true)) then
    fixed = wrk.format(cfg.method or "GET", cfg.path, cfg.headers, cfg.body)
  end
end

function request()
  if fixed then return fixed end
  counter = counter + 1
  local n = tostring(thread_index) .. "-" .. tostring(counter)
  return wrk.format(cfg.method, cfg.path, cfg.headers, (cfg.body:gsub("{n}", n)))
end

function response(status, headers, body)
  if not cfg.accepted[status] or (cfg.marker and not body:find(cfg.marker, 1, true)) then
    bad = bad + 1
    if status == 429 then limited = limited + 1 end
  end
end
