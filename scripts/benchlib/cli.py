"""scripts/bench's command line: the options, their quick/full defaults and the run."""

import argparse
import datetime
import json
import os
import resource
import shutil
import signal
import sys
import tempfile

from .constants import LUA_DIR, ROOT, SCRATCH
from .load import Bench
from .log import log
from .processes import Proc
from .report import Report


def warn_if_disk_too_small(args):
    """Upload points store every acknowledged upload until the point ends: warn when they may not fit."""
    if "uploads" not in args.parts:
        return
    seconds = max(args.duration_for(c) for c in args.conns)
    need = 200 * 5 * 2**20 * seconds  # up to ~200 uploads/s of 5 MiB on this class of box
    free = shutil.disk_usage(args.workdir or tempfile.gettempdir()).free
    if free < need:
        log(f"warning: {free / 2**30:.0f} GiB free for the work folder, and an upload point can store "
            f"~{need / 2**30:.0f} GiB (200 uploads/s x 5 MiB x {seconds} s); on a full disk the nodes answer "
            "503 and nginx 500, which the report shows as non-2xx errors")


def main(description):
    """Parses the command line (`description`: the entry script's docstring, shown by --help) and
    runs the benchmark or re-renders a report."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="CI mode: 1,10,100 connections, 3 s per point")
    ap.add_argument("--conns", help="comma-separated connection counts (default 1,10,100,1000; quick 1,10,100)")
    ap.add_argument("--duration", type=int, help="seconds per point (default 12; quick 3)")
    ap.add_argument("--duration-1000", type=int,
                    help="seconds per point at >= 1000 connections (default 60: with 1000 uploads sharing "
                         "~200 MiB/s the first one completes only after ~25 s)")
    ap.add_argument("--cold-duration", type=int, help="seconds per cold point (default 10; quick 3)")
    ap.add_argument("--pool", type=int, help="objects in the cold-read pool (default 1500; quick 150)")
    ap.add_argument("--rounds", type=int,
                    help="(a) runs of each hit point at 100/1000 and upload point at 100 connections, node and "
                         "reference alternating; the report keeps the median (default 3; quick 1)")
    ap.add_argument("--parts", default="uploads,downloads,tus",
                    help="uploads, downloads, tus (default all); hits or cold for one half of downloads; "
                         "tus = scenario (a) tus in one PATCH vs PUT and the resume cost")
    ap.add_argument("--scenarios", default="a,b", help="a (node only), b (SeaweedFS + Redis); default a,b")
    ap.add_argument("--out", help="output folder (default docs/; quick: .build-bench/bench-quick)")
    ap.add_argument("--workdir", default=None, help="parent of the scratch folder (default: system temp)")
    ap.add_argument("--package-path", default=ROOT,
                    help="package to build and measure (default: this checkout)")
    ap.add_argument("--skip-build", action="store_true", help="use the existing release binaries")
    ap.add_argument("--keep-store", dest="fresh_store", action="store_false",
                    help="(b) reuse one SeaweedFS for all upload points (default: fresh per point in full mode)")
    ap.add_argument("--report-from", help="re-render the report from a benchmarks.json (no load run)")
    ap.add_argument("--notes", default=os.path.join(LUA_DIR, "findings.md"),
                    help="markdown appended to the report (default Benchmarks/findings.md if present)")
    args = ap.parse_args()
    args.argv = sys.argv[1:]
    q = args.quick
    args.conns = [int(x) for x in (args.conns or ("1,10,100" if q else "1,10,100,1000")).split(",")]
    args.duration = args.duration or (3 if q else 12)
    args.duration_1000 = args.duration_1000 or (args.duration if q else 60)
    args.cold_duration = args.cold_duration or (3 if q else 10)
    args.pool = args.pool or (150 if q else 1500)
    args.rounds = args.rounds or (1 if q else 3)
    args.scenarios = [s for s in args.scenarios.split(",") if s]
    args.parts = [s for s in args.parts.split(",") if s]
    args.out = os.path.abspath(args.out or (os.path.join(SCRATCH, "bench-quick") if q else os.path.join(ROOT, "docs")))
    if q and "--keep-store" not in sys.argv:
        args.fresh_store = False
    args.duration_for = lambda c: args.duration_1000 if c >= 1000 else args.duration
    if q:
        args.notes = None

    for tool in ("wrk", "nginx", "redis-server", "weed", "swift", "curl"):
        if not shutil.which(tool):
            sys.exit(f"scripts/bench: `{tool}` not found on PATH")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    log(f"RLIMIT_NOFILE {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}")

    if args.report_from:
        doc = json.load(open(args.report_from))
        bench = Bench.__new__(Bench)
        bench.a = args
        bench.results, bench.ready, bench.checks = doc["results"], doc["ready"], doc["checks"]
        bench.started_at = datetime.datetime.fromisoformat(doc["started_at"])
        bench.elapsed = doc.get("elapsed_s", 0)
        bench.node_commit = doc.get("node_commit", "n/a")
        bench.cpu_flags = doc.get("cpu_flags", "not recorded")
        bench.data_filesystem = doc.get("data_filesystem", "not recorded")
        bench.kernels = doc.get("kernels", "not recorded")
        bench.uds_simd = doc.get("uds_simd", "auto")
        bench.tus_results = doc.get("tus")
        old = doc["args"]
        for k in ("conns", "duration", "duration_1000", "cold_duration", "pool", "scenarios", "quick", "argv", "rounds"):
            setattr(args, k, old.get(k, 1))
        Report(bench).write()
        return
    warn_if_disk_too_small(args)
    bench = Bench(args)

    def on_signal(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    try:
        bench.run()
    finally:
        Proc.stop_all()
        shutil.rmtree(bench.work, ignore_errors=True)
