-- oidc-provider authorization code + PKCE flow, one flow after another on each connection (one
-- connection per thread). What each step costs the peer is in bench/peer/server.mjs:
--   1. GET /auth?...                     -> 303 /interaction/<uid>
--   2. POST /interaction/<uid>/complete  -> 303 /auth/<uid>   (login + consent grant)
--   3. GET /auth/<uid> + resume cookie   -> 303 redirect_uri?code=...
--   4. POST /token                       -> access token (JWT) and ID token
-- The resume cookie is unsigned (no cookie keys configured) and its value is the uid, so the
-- script sets it without a cookie jar. Same fixed PKCE pair as the Gatehouse script.
-- Arguments: client_id, redirect_uri, scope, verifier, challenge.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = function(thread) common.setup(thread) end
done = function(s, l, r) common.done(s, l, r) end

local cfg, step, uid, code, authorize_path = nil, 1, nil, nil, nil
bad = 0
flows = 0

local function form_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function init(args)
  cfg = common.parse_args(args)
  authorize_path = "/auth?response_type=code&client_id=" .. form_encode(cfg.client_id) ..
    "&redirect_uri=" .. form_encode(cfg.redirect_uri) .. "&scope=" .. form_encode(cfg.scope) ..
    "&state=bench-state&code_challenge=" .. cfg.challenge .. "&code_challenge_method=S256"
  if cfg.scope:find("offline_access", 1, true) then authorize_path = authorize_path .. "&prompt=consent" end
end

function request()
  if step == 1 then
    return wrk.format("GET", authorize_path)
  elseif step == 2 then
    return wrk.format("POST", "/interaction/" .. uid .. "/complete", { ["Content-Length"] = "0" })
  elseif step == 3 then
    return wrk.format("GET", "/auth/" .. uid, { ["Cookie"] = "_interaction_resume=" .. uid })
  end
  return wrk.format("POST", "/token", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=authorization_code&code=" .. form_encode(code) ..
    "&redirect_uri=" .. form_encode(cfg.redirect_uri) ..
    "&client_id=" .. form_encode(cfg.client_id) .. "&code_verifier=" .. cfg.verifier)
end

function response(status, headers, body)
  local location = common.header(headers, "Location") or ""
  if step == 1 and status == 303 then
    uid = location:match("/interaction/([^/?]+)")
    if uid then step = 2 return end
  elseif step == 2 and status == 303 then
    step = 3
    return
  elseif step == 3 and status == 303 then
    code = location:match("[?&]code=([^&]+)")
    if code then step = 4 return end
  elseif step == 4 and status == 200 and body:find('"access_token"', 1, true) then
    flows = flows + 1
    step = 1
    return
  end
  bad = bad + 1
  step = 1
end
