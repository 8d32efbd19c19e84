"""The report of a run: the machine, the method, the targets, a table per scenario, the tus
section, start-up times and the chart."""

import json
import os
import platform
import subprocess

from .aggregate import crossing, median_rounds, ms
from .constants import FILE_SIZE, MIB
from .log import log
from .targets import TargetTable, load_targets


class Report:
    """Writes benchmarks.md, benchmarks.json and (with matplotlib) benchmarks.png for a run."""

    def __init__(self, bench):
        self.b = bench
        self.a = bench.a
        self.r = median_rounds(bench.results)

    def get(self, sc, case, conns):
        """The merged result of one (scenario, case, connections), or None."""
        return next((x for x in self.r if x["scenario"] == sc and x["case"] == case and x["conns"] == conns), None)

    ms = staticmethod(ms)

    def machine(self):
        """(label, value) rows describing the machine, the tools and the build."""
        def cmd(*c):
            try:
                return subprocess.run(c, capture_output=True, text=True, timeout=20).stdout.strip() or \
                    subprocess.run(c, capture_output=True, text=True, timeout=20).stderr.strip()
            except OSError:
                return "n/a"
        cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
        mem = next((int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0) / 1024 / 1024
        return [
            ("CPU", f"{os.cpu_count()} × {cpu} (`nproc` = {cmd('nproc')})"),
            ("RAM", f"{mem:.1f} GiB"),
            ("Kernel", platform.release()),
            ("OS", cmd("sh", "-c", ". /etc/os-release && echo $PRETTY_NAME")),
            ("Swift", cmd("swift", "--version").splitlines()[0]),
            ("nginx", cmd("nginx", "-v")),
            ("wrk", cmd("sh", "-c", "wrk -v 2>&1 | head -1")),
            ("redis-server", cmd("redis-server", "--version")),
            ("SeaweedFS", cmd("weed", "version")),
            ("Python", platform.python_version()),
            ("CPU flags (vector, hashing)", self.b.cpu_flags),
            ("Kernels the nodes selected", f"{self.b.kernels} (`UDS_SIMD={self.b.uds_simd}`)"),
            ("Data directories' file system", self.b.data_filesystem),
            ("Node commit", self.b.node_commit),
        ]

    def ratio_rows(self, sc):
        """(node case, reference case, compare) rows for the ratio table."""
        ref_up = "nginx-dav-put" if sc == "a" else "s3-put"
        ref_down = "nginx-get" if sc == "a" else "s3-get"
        return [("node-put", ref_up), ("node-post", ref_up), ("node-post", "node-put"),
                ("node-get-hit", ref_down), ("node-get-cold", ref_down)]

    def crossing(self, sc, case, limit_us=4_000_000):
        """See ``aggregate.crossing``, over this run's merged results."""
        return crossing(self.r, sc, case, limit_us)

    def targets(self):
        """The target table rows (targets.json evaluated against this run)."""
        _, targets = load_targets()
        return TargetTable(self.r, self.a.scenarios, self.a.conns, self.b.ready, self.b.checks).evaluate(targets)

    def table(self, sc):
        """The markdown result table of scenario `sc`, with ratios against the reference."""
        ref_for = {"node-put": ("nginx-dav-put", "s3-put"), "node-post": ("nginx-dav-put", "s3-put"),
                   "node-get-hit": ("nginx-get", "s3-get"), "node-get-cold": ("nginx-get", "s3-get")}
        order = ["node-put", "node-post", "nginx-dav-put", "s3-put", "node-get-hit", "node-get-cold",
                 "nginx-get", "s3-get"]
        out = ["| case | conns | req/s | MiB/s | p50 ms | p95 ms | p99 ms | errors c/r/w/t/non-2xx | "
               "node CPU ms/req | node peak RSS MiB | MiB/s ÷ ref | p95 ÷ ref |",
               "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
        for case in order:
            for x in sorted((x for x in self.r if x["scenario"] == sc and x["case"] == case), key=lambda x: x["conns"]):
                ref = None
                if case in ref_for:
                    ref = self.get(sc, ref_for[case][0 if sc == "a" else 1], x["conns"])
                key = "node" if "node" in x["cpu_ms_per_req"] else "ref"
                cpu = x["cpu_ms_per_req"].get(key)
                rss = x["peak_rss_mib"].get(key, 0)
                mark = "≥ " if x.get("pool_exhausted") else ""
                errs = f"{x['err_connect']}/{x['err_read']}/{x['err_write']}/{x['err_timeout']}/{x['err_status']}"
                # A reference that completed almost nothing (SeaweedFS under 1000 direct PUTs) has
                # collapsed: no ratio against it.
                usable = ref is not None and ref["ok"] >= 5
                rt = f"{x['mibps'] / ref['mibps']:.2f}" if usable and ref["mibps"] else "—"
                rp = f"{x['p95_us'] / ref['p95_us']:.2f}" if usable and ref["p95_us"] else "—"
                if ref is not None and not usable:
                    rt = rp = "ref collapsed"
                cpu_s = (f"{cpu:.2f}" if cpu is not None else "—") + ("" if key == "node" else " (ref)")
                rss_s = f"{rss:.0f}" + ("" if key == "node" else " (ref)")
                out.append(f"| {case} | {x['conns']} | {mark}{x['rps']:.1f} | {mark}{x['mibps']:.0f} | "
                           f"{self.ms(x['p50_us'])} | {self.ms(x['p95_us'])} | {self.ms(x['p99_us'])} | {errs} | "
                           f"{cpu_s} | {rss_s} | {rt} | {rp} |")
        return out

    def store_cpu(self, sc):
        """The markdown table of SeaweedFS and Redis CPU and RSS in scenario `sc` (empty without them)."""
        out = []
        for x in self.r:
            if x["scenario"] == sc and "weed" in x["cpu_s"] and x["ok"]:
                out.append(f"| {x['case']} | {x['conns']} | {x['cpu_ms_per_req']['node']:.2f} | "
                           f"{x['cpu_ms_per_req']['weed']:.2f} | {x['cpu_ms_per_req']['redis']:.2f} | "
                           f"{x['peak_rss_mib']['weed']:.0f} | {x['peak_rss_mib']['redis']:.0f} |")
        if not out:
            return []
        return ["| case | conns | node CPU ms/req | weed CPU ms/req | redis CPU ms/req | weed peak RSS MiB | "
                "redis peak RSS MiB |", "|---|---:|---:|---:|---:|---:|---:|"] + out

    def chart(self, path):
        """Draws p95 and throughput against connections into `path`; False without matplotlib."""
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            log("matplotlib not importable: no chart")
            return False
        scs = self.a.scenarios
        fig, axes = plt.subplots(len(scs), 2, figsize=(13, 4.6 * len(scs)), squeeze=False)
        style = {"node-put": ("tab:blue", "-", "o"), "node-post": ("tab:cyan", "-", "s"),
                 "nginx-dav-put": ("tab:blue", "--", "x"), "s3-put": ("tab:blue", "--", "x"),
                 "node-get-hit": ("tab:red", "-", "o"), "node-get-cold": ("tab:orange", "-", "s"),
                 "nginx-get": ("tab:red", "--", "x"), "s3-get": ("tab:red", "--", "x")}
        title = {"a": "(a) node only: filesystem store, reference nginx",
                 "b": "(b) end to end: SeaweedFS + Redis, reference direct S3"}
        for i, sc in enumerate(scs):
            for case, (col, ls, mk) in style.items():
                pts = sorted((x for x in self.r if x["scenario"] == sc and x["case"] == case), key=lambda x: x["conns"])
                if not pts:
                    continue
                cs = [x["conns"] for x in pts]
                done = [x for x in pts if x["ok"] >= 10]  # no p95 for points that completed (almost) nothing
                axes[i][0].plot([x["conns"] for x in done], [x["p95_us"] / 1e6 for x in done], color=col, ls=ls,
                                marker=mk, label=case)
                axes[i][1].plot(cs, [x["mibps"] for x in pts], color=col, ls=ls, marker=mk, label=case)
            axes[i][0].axhline(4, color="gray", lw=0.8, ls=":")
            axes[i][0].text(1, 4.3, "4 s; points with < 10 completions omitted", fontsize=7, color="gray")
            axes[i][0].set_yscale("log")
            axes[i][0].set_ylabel("p95 latency (s)")
            axes[i][1].set_ylabel("throughput (MiB/s)")
            for ax in axes[i]:
                ax.set_xscale("log")
                ax.set_xlabel("concurrent connections")
                ax.grid(True, which="both", alpha=0.3)
                ax.set_title(title[sc], fontsize=10)
            axes[i][1].legend(fontsize=8)
        fig.suptitle("5 MiB transfers: node (solid) vs reference (dashed), wrk on 127.0.0.1", fontsize=11)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
        return True

    def tus_section(self):
        """The markdown section of the tus points and the resume cost (empty without them)."""
        t = getattr(self.b, "tus_results", None)
        if not t:
            return []
        L = ["## Resumable uploads (tus) vs PUT, scenario (a)", "",
             f"Each upload is the {FILE_SIZE // MIB} MiB file: `PUT` with `Content-MD5`, or tus creation (`POST`) plus "
             "the whole file in one `PATCH`. Python threads on keep-alive connections (the client's CPU is on the same "
             "cores), two rounds, order reversed in the second. Target: tus ≥ 0.9× PUT throughput.", "",
             "| conns | case | round | uploads | errors | MB/s | p50 ms | p95 ms | node CPU ms/upload |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
        for p in t["points"]:
            L.append(f"| {p['conns']} | {p['case']} | {p['round']} | {p['ok']} | {p['errors']} | {p['mb_s']:.0f} | "
                     f"{p['p50_ms']:.1f} | {p['p95_ms']:.1f} | {p['cpu_ms_per_upload']:.1f} |")
        L.append("")
        for conns in sorted({p["conns"] for p in t["points"]}):
            put = sum(p["mb_s"] for p in t["points"] if p["conns"] == conns and p["case"] == "put")
            tus = sum(p["mb_s"] for p in t["points"] if p["conns"] == conns and p["case"] == "tus")
            if put:
                L.append(f"- {conns} connection(s): tus / PUT throughput = {tus / put:.2f}×")
        r = t.get("resume")
        if r:
            L.append(f"- Resume cost: 40 MiB in 5 MiB chunks, the connection cut after {r['sent_before_cut'] / MIB:.1f} MiB "
                     f"(half-way through the third chunk): `HEAD` answered {(r['offset_after_cut'] or 0) / MIB:.1f} MiB, "
                     f"so {r['resent_bytes'] / MIB:.1f} MiB had to be sent again; completed: {r['completed']}.")
        return L + [""]

    def write(self):
        """Writes benchmarks.json, benchmarks.md and (with matplotlib) benchmarks.png into --out."""
        out = self.a.out
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "benchmarks.json"), "w") as f:
            json.dump({"started_at": self.b.started_at.isoformat(), "elapsed_s": self.b.elapsed,
                       "node_commit": self.b.node_commit, "cpu_flags": self.b.cpu_flags,
                       "data_filesystem": self.b.data_filesystem,
                       "kernels": self.b.kernels or "n/a", "uds_simd": self.b.uds_simd, "args": {k: v for k, v in vars(self.a).items() if not callable(v)},
                       "results": self.b.results, "ready": self.b.ready, "checks": self.b.checks,
                       "tus": getattr(self.b, "tus_results", None)}, f, indent=1, default=str)
        has_chart = self.chart(os.path.join(out, "benchmarks.png"))
        cmdline = "scripts/bench" + "".join(f" {x}" for x in self.a.argv)
        L = ["# Benchmarks", "",
             f"Generated by `{cmdline}` on {self.b.started_at:%Y-%m-%d %H:%M} UTC "
             f"({'quick' if self.a.quick else 'full'} mode, {self.b.elapsed / 60:.1f} min including the build). "
             "Raw numbers: `benchmarks.json`.", ""]
        L += ["## Machine", "", "| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in self.machine()] + [""]
        L += ["## Method", "",
              f"- One random {FILE_SIZE // MIB} MiB file; every point runs `wrk -t 2 -c N --timeout 30s` "
              f"(`-t 1` for N = 1) for {self.a.duration}s "
              f"({self.a.duration_1000}s at 1000 connections) with the Lua scripts in `Benchmarks/`; "
              "`done()` prints requests, errors by kind and the p50/p95/p99 of wrk's per-request latency.",
              f"- Rounds: in scenario (a) the cache-hit points at 100 and 1000 connections and the upload points at 100 "
              f"run {self.a.rounds} time(s), node and reference alternating (the order reversed every other round), "
              "because this shared box drifts by ±30 % over minutes; a row shows the round with the median "
              "throughput and the median p50/p95/p99 and CPU of the rounds (the largest RSS, the summed errors). "
              "benchmarks.json keeps every round.",
              "- Uploads use a new object name per request (`<run>-t<thread>-<n>.bin`), so every request stores a "
              "new object (no idempotent short-circuit). Multipart POST sends an `md5` part (hex) and a `file` part.",
              "- Throughput = 2xx responses × 5 MiB ÷ duration. CPU = utime+stime of the process (all nginx workers "
              "for nginx) from `/proc/<pid>/stat` over the point ÷ 2xx responses (work on requests cut off at the "
              "end of a point is included). Peak RSS = max of `VmRSS` sampled every 100 ms during the point.",
              "- Node uploads start from a fresh data directory (and, in (b), a fresh SeaweedFS and an empty Redis) "
              "for every point; nodes log at `warning` (nginx `access_log off`).",
              "- Cache hit: one object read repeatedly after two warm-up reads. Cold: before every point the "
              "download node is restarted with its disk cache deleted (and Redis flushed in (b), which also drops "
              f"the metadata cache); each request reads a different object from a pool of {self.a.pool} uploaded "
              "beforehand, so every request is a miss. A thread stops when its share of the pool is used up; "
              "rows marked `≥` used the whole pool before the end of the point, so their rates are lower bounds.",
              "- References (same file, same connection counts, same run): nginx 1.22 `sendfile on` GET; nginx "
              "WebDAV `dav_methods PUT` with `client_body_temp_path` on the same disk; direct S3 PUT/GET against the "
              "same SeaweedFS. wrk cannot sign SigV4, so the S3 reference goes to a bucket that an `anonymous` "
              "identity in the `-s3.config` file may Read/Write; the node itself signs every request (SigV4, "
              "UNSIGNED-PAYLOAD) as a separate admin identity. The cold reads are compared with the same "
              "references as the hits (nginx serves from the page cache; the S3 reference object is read repeatedly).",
              "- wrk, the servers and the stores all share the same cores, so the client's own CPU use "
              "(it builds each 5 MiB upload request in Lua) is part of every number, for node and reference alike.",
              ""]
        L += ["## Targets", "", load_targets()[0], "", "| target | result | measured |", "|---|---|---|"]
        L += [f"| {a} | {b} | {c} |" for a, b, c in self.targets()] + [""]
        for sc in self.a.scenarios:
            L += [f"## Scenario ({sc}) " + ("node only: filesystem object store, embedded SQLite metadata"
                                           if sc == "a" else "end to end: SeaweedFS S3 + Redis"), ""]
            L += self.table(sc) + [""]
            for case in ("node-put", "node-post", "node-get-hit", "node-get-cold"):
                _, text = self.crossing(sc, case)
                L.append(f"- {case}: p95 crosses 4 s at {text} connections")
            L.append("")
            sc_rows = self.store_cpu(sc)
            if sc_rows:
                L += ["Store-side cost in the same points:", ""] + sc_rows + [""]
        if self.b.checks:
            L += ["## End-to-end verification", "", "| point | acknowledged | listed | sampled | byte-identical |",
                  "|---|---:|---:|---:|---:|"]
            L += [f"| {c['label']} | {c['acknowledged']} | {c['listed']} | {c['sampled']} | {c['identical']} |"
                  for c in self.b.checks] + [""]
        L += self.tus_section()
        rd = {}
        for x in self.b.ready:
            rd.setdefault((x["scenario"], x["node"]), []).append(x["seconds"] * 1000)
        L += ["## Node start to ready", "", "| scenario | node | starts | min ms | median ms | max ms |",
              "|---|---|---:|---:|---:|---:|"]
        for (sc, node), v in sorted(rd.items()):
            v.sort()
            L.append(f"| {sc} | {node} | {len(v)} | {v[0]:.0f} | {v[len(v) // 2]:.0f} | {v[-1]:.0f} |")
        L.append("")
        if has_chart:
            L += ["## Chart", "", "![p95 and throughput against concurrency](benchmarks.png)", ""]
        if self.a.notes and os.path.exists(self.a.notes):
            L += [open(self.a.notes).read().rstrip(), ""]
        with open(os.path.join(out, "benchmarks.md"), "w") as f:
            f.write("\n".join(L))
        log(f"wrote {out}/benchmarks.md, benchmarks.json" + (", benchmarks.png" if has_chart else ""))
