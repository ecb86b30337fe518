-- Gatehouse authorization code + PKCE flow through the headless API, one flow after another on
-- each connection (one connection per thread):
--   1. POST /v1/idp/oauth/authorize/start  (management Basic auth; validates the request, looks up
--      the user, describes consent)
--   2. POST /v1/idp/oauth/authorize        (consent_granted: true; issues the code, returns the
--      redirect_uri carrying it)
--   3. POST /v1/oauth2/token               (authorization_code, code_verifier; signs the tokens)
-- A flow counts once step 3 returns an access token. PKCE uses one fixed verifier/challenge pair
-- (the challenge is computed by bench/lib, Lua has no SHA-256); every code is still new.
-- Arguments: authorization, client_id, redirect_uri, user_id, scope, verifier, challenge.
local common = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
setup = function(thread) common.setup(thread) end
done = function(s, l, r) common.done(s, l, r) end

local cfg, step, code, authorize_body = nil, 1, nil, nil
bad = 0
flows = 0

local function json_string(s) return '"' .. s:gsub('[\\"]', '\\%0') .. '"' end

local function form_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function init(args)
  cfg = common.parse_args(args)
  local scopes = {}
  for s in cfg.scope:gmatch("%S+") do scopes[#scopes + 1] = json_string(s) end
  authorize_body = '"client_id":' .. json_string(cfg.client_id) ..
    ',"redirect_uri":' .. json_string(cfg.redirect_uri) ..
    ',"response_type":"code","scopes":[' .. table.concat(scopes, ",") .. ']' ..
    ',"user_id":' .. json_string(cfg.user_id) ..
    ',"state":"bench-state","code_challenge":' .. json_string(cfg.challenge) ..
    ',"code_challenge_method":"S256"'
end

local json_headers = nil
function request()
  if not json_headers then
    json_headers = { ["Content-Type"] = "application/json", ["Authorization"] = cfg.authorization }
  end
  if step == 1 then
    return wrk.format("POST", "/v1/idp/oauth/authorize/start", json_headers,
      "{" .. authorize_body .. "}")
  elseif step == 2 then
    return wrk.format("POST", "/v1/idp/oauth/authorize", json_headers,
      "{" .. authorize_body .. ',"consent_granted":true}')
  end
  return wrk.format("POST", "/v1/oauth2/token",
    { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "grant_type=authorization_code&code=" .. form_encode(code) ..
    "&redirect_uri=" .. form_encode(cfg.redirect_uri) ..
    "&client_id=" .. form_encode(cfg.client_id) .. "&code_verifier=" .. cfg.verifier)
end

function response(status, headers, body)
  if step == 1 and status == 200 then
    step = 2
    return
  elseif step == 2 and status == 200 then
    local c = body:match('[?&]code=([^&"#]+)')
    if c then
      code, step = c, 3
      return
    end
  elseif step == 3 and status == 200 and body:find('"access_token"', 1, true) then
    flows = flows + 1
    step = 1
    return
  end
  bad = bad + 1
  step = 1
end
