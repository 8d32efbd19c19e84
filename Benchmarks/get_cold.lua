-- Cold GET: every request names an object not yet read since the cache was emptied. The names
-- (BENCH_NAMES, one per line) are split between threads; a thread stops when its share is used
-- up, so no request of a point is a repeat (the point may end before its duration).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

local prefix = env("BENCH_PREFIX", "/")
local suffix = env("BENCH_SUFFIX", "")
local headers = base_headers()
local names = {}
local mine = {}
local i = 0

function init(args)
  local threads = tonumber(env("BENCH_THREADS", "1"))
  local k = 0
  for line in io.lines(env("BENCH_NAMES")) do
    if line ~= "" then
      if k % threads == tid then table.insert(mine, line) end
      k = k + 1
    end
  end
end

function request()
  i = i + 1
  if i > #mine then
    wrk.thread:stop()
    i = math.max(#mine, 1)  -- this last request is cut off by the stop
  end
  if #mine == 0 then return wrk.format("GET", "/", headers) end
  return wrk.format("GET", prefix .. mine[i] .. suffix, headers)
end
