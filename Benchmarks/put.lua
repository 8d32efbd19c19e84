-- 5 MB raw PUT, a new object name per request: <prefix><run>-t<thread>-<n>.bin<suffix>.
-- Used for the node (Content-MD5 + token), nginx WebDAV and SeaweedFS S3 (anonymous write).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local body = read_file(env("BENCH_FILE"))
local prefix = env("BENCH_PREFIX", "/")
local suffix = env("BENCH_SUFFIX", "")
local run = env("BENCH_RUN", "r")
local headers = base_headers()
headers["Content-Type"] = "application/octet-stream"
local md5 = env("BENCH_MD5_B64", nil)
if md5 then headers["Content-MD5"] = md5 end
local n = 0

function request()
  n = n + 1
  return request_with_body("PUT", prefix .. run .. "-t" .. tid .. "-" .. n .. ".bin" .. suffix, headers, { body })
end
