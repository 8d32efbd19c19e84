-- 5 MB multipart/form-data POST (the seed's contract): an `md5` part (hex) and a `file` part
-- whose filename is new for every request, to BENCH_PATH (…/upload_download_service/upload).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local data = read_file(env("BENCH_FILE"))
local path = env("BENCH_PATH")
local run = env("BENCH_RUN", "r")
local boundary = "----udsbench5f0c2d9e7a41b3"
local headers = base_headers()
headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
local head = "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="md5"\r\n\r\n' .. env("BENCH_MD5_HEX") .. "\r\n" ..
  "--" .. boundary .. "\r\n" ..
  'Content-Disposition: form-data; name="file"; filename="'
local mid = '"\r\nContent-Type: application/octet-stream\r\n\r\n'
local tail = "\r\n--" .. boundary .. "--\r\n"
local n = 0

function request()
  n = n + 1
  local name = run .. "-t" .. tid .. "-" .. n .. ".bin"
  return request_with_body("POST", path, headers, { head, name, mid, data, tail })
end
