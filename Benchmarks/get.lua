-- GET of one fixed object (cache hit once warm): BENCH_PATH, with the token if set.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

wrk.method = "GET"
wrk.path = env("BENCH_PATH")
wrk.headers = base_headers()
