-- Shared helpers for the wrk scripts in this folder (loaded with dofile from BENCH_LUA_DIR).
-- Configuration comes from environment variables set by scripts/bench:
--   BENCH_FILE        the payload file (uploads)
--   BENCH_TOKEN       bearer token (empty: no Authorization header, for the references)
--   BENCH_MD5_HEX     hex MD5 of BENCH_FILE;  BENCH_MD5_B64  base64 MD5 (Content-MD5)
--   BENCH_PREFIX      path before the object name, e.g. /upload_download_service/
--   BENCH_SUFFIX      path after the object name, e.g. /benchuser (node) or "" (nginx, S3)
--   BENCH_RUN         run tag that makes upload names unique across points
--   BENCH_PATH        fixed path (GET cache-hit scripts, multipart POST URL)
--   BENCH_NAMES       file with one object name per line (cold GET)
--   BENCH_HOST        Host header (through a load balancer with host rules, scripts/bench-fleet)

function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return v
end

function read_file(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

function base_headers()
  local h = {}
  local token = env("BENCH_TOKEN", nil)
  if token then h["Authorization"] = "Bearer " .. token end
  local host = env("BENCH_HOST", nil)
  if host then h["Host"] = host end
  return h
end

-- One HTTP/1.1 request as a single string, built with one copy of the body pieces, so every
-- upload script costs the load generator the same per request whatever its body is made of
-- (wrk.format plus a `..` of a 5 MB body would copy it twice). `pieces` are concatenated in order
-- to make the body; Content-Length is their total length.
function request_with_body(method, path, headers, pieces)
  local length = 0
  for _, piece in ipairs(pieces) do length = length + #piece end
  local head = { method .. " " .. path .. " HTTP/1.1" }
  if not headers["Host"] then head[#head + 1] = "Host: " .. wrk.headers["Host"] end
  for name, value in pairs(headers) do head[#head + 1] = name .. ": " .. value end
  head[#head + 1] = "Content-Length: " .. length
  local parts = { table.concat(head, "\r\n") .. "\r\n\r\n" }
  for _, piece in ipairs(pieces) do parts[#parts + 1] = piece end
  return table.concat(parts)
end

-- Numbers each thread so upload names are distinct per request.
local thread_counter = 0
function setup(thread)
  thread:set("tid", thread_counter)
  thread_counter = thread_counter + 1
end

-- One machine-readable line for scripts/bench: counts, errors by kind, latency percentiles (µs).
function done(summary, latency, requests)
  local e = summary.errors
  local parts = {
    string.format('"requests":%d', summary.requests),
    string.format('"duration_us":%d', summary.duration),
    string.format('"bytes_read":%d', summary.bytes),
    string.format('"err_connect":%d', e.connect),
    string.format('"err_read":%d', e.read),
    string.format('"err_write":%d', e.write),
    string.format('"err_status":%d', e.status),
    string.format('"err_timeout":%d', e.timeout),
    string.format('"lat_min_us":%d', latency.min),
    string.format('"lat_max_us":%d', latency.max),
    string.format('"lat_mean_us":%.0f', latency.mean),
    string.format('"p50_us":%d', latency:percentile(50)),
    string.format('"p95_us":%d', latency:percentile(95)),
    string.format('"p99_us":%d', latency:percentile(99)),
  }
  io.write("BENCHJSON {" .. table.concat(parts, ",") .. "}\n")
end
