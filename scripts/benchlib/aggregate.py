"""Pure functions over the per-point results: the median of rounds, where p95 crosses a limit,
and the millisecond format of the tables."""

import math


def median_rounds(results):
    """One result per (scenario, case, connections): the round with the median throughput, with the
    median p50/p95/p99 and CPU of all rounds, the largest peak RSS and the summed errors; the
    rounds themselves are kept under "rounds"."""
    groups = {}
    for x in results:
        groups.setdefault((x["scenario"], x["case"], x["conns"]), []).append(x)
    out = []
    for xs in groups.values():
        if len(xs) == 1:
            out.append(xs[0])
            continue
        mid = lambda vals: sorted(vals)[len(vals) // 2]
        agg = dict(sorted(xs, key=lambda x: x["mibps"])[len(xs) // 2])
        for k in ("p50_us", "p95_us", "p99_us"):
            agg[k] = mid([x[k] for x in xs])
        for k in ("err_connect", "err_read", "err_write", "err_timeout", "err_status"):
            agg[k] = sum(x[k] for x in xs)
        agg["cpu_ms_per_req"] = {k: mid([x["cpu_ms_per_req"][k] for x in xs if x["cpu_ms_per_req"][k] is not None])
                                 if any(x["cpu_ms_per_req"][k] is not None for x in xs) else None
                                 for k in agg["cpu_ms_per_req"]}
        agg["peak_rss_mib"] = {k: max(x["peak_rss_mib"][k] for x in xs) for k in agg["peak_rss_mib"]}
        agg["rounds"] = [{k: x[k] for k in ("rps", "mibps", "p95_us", "ok")} for x in xs]
        out.append(agg)
    return out


def crossing(results, sc, case, limit_us=4_000_000):
    """Where the p95 of `case` in scenario `sc` crosses `limit_us` as connections grow:
    (estimate, text). The estimate is log-interpolated between the last point under and the first
    over the limit; `math.inf` when never crossed, `None` (text "n/a") without points."""
    # A point with no completed request: every latency exceeded the point's duration.
    pts = sorted((x["conns"], x["p95_us"] if x["ok"] else max(x["duration_s"] * 1e6, limit_us * 1.01))
                 for x in results if x["scenario"] == sc and x["case"] == case)
    prev = None
    for c, p in pts:
        if p > limit_us:
            if prev is None:
                return c, f"≤ {c} (already at the first point)"
            if not any(x["ok"] for x in results if x["scenario"] == sc and x["case"] == case and x["conns"] == c):
                return c, f"between {prev[0]} and {c} (no request completed within the {c}-connection point)"
            pc, pp = prev
            # log-linear interpolation of p95 against log(connections)
            f = (math.log(limit_us) - math.log(max(pp, 1))) / (math.log(p) - math.log(max(pp, 1)))
            est = math.exp(math.log(pc) + f * (math.log(c) - math.log(pc)))
            return est, f"≈ {est:.0f} (between {pc} and {c}, log interpolation)"
        prev = (c, p)
    if not pts:
        return None, "n/a"
    return math.inf, f"> {pts[-1][0]} (not crossed)"


def ms(us):
    """Microseconds as milliseconds for the tables: no decimals from 10 ms up, one below."""
    return f"{us / 1000:.0f}" if us >= 10000 else f"{us / 1000:.1f}"
