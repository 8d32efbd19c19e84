"""The load run: builds the nodes, drives every case with wrk (or Python threads for tus) and
collects one result per point."""

import base64
import datetime
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from .constants import (FILE_SIZE, LUA_DIR, MIB, P_DOWNLOAD, P_NGINX, P_UPLOAD, P_WEED, S3_REF_BUCKET, SCRATCH,
                        SVC, USER)
from .log import log
from .machine import data_dir_filesystem, node_commit, simd_cpu_flags
from .probes import http_status
from .processes import Sampler, cpu_seconds
from .report import Report
from .servers import Servers
from .threads import MD5_THREAD, thread_cpu_seconds


class Bench(Servers):
    """One benchmark run: its scratch folder, the servers it started and the results so far."""

    def __init__(self, args):
        self.a = args
        self.work = tempfile.mkdtemp(prefix="uds-bench-", dir=args.workdir)
        os.chmod(self.work, 0o755)  # nginx workers run as an unprivileged user
        self.results = []
        self.tus_results = None  # scenario (a): tus in one PATCH vs PUT, and the resume cost
        self.ready = []       # (scenario, node, seconds)
        self.checks = []      # free-form verification records
        self.weed = None
        self.redis = None
        self.nginx = None
        self.token = None
        self.run_seq = 0

    # ---- setup
    def build(self):
        """Builds the release binaries into .build-bench (unless --skip-build) and finds them."""
        if self.a.skip_build:
            log("skipping build")
        for prod in ("upload-node", "download-node"):
            if not self.a.skip_build:
                log(f"swift build -c release --scratch-path {SCRATCH} --product {prod}")
                t = time.monotonic()
                subprocess.run(["swift", "build", "-c", "release", "--scratch-path", SCRATCH, "--product", prod],
                               cwd=self.a.package_path, check=True)
                log(f"  built in {time.monotonic() - t:.0f}s")
        self.bin = subprocess.run(["swift", "build", "-c", "release", "--scratch-path", SCRATCH, "--show-bin-path"],
                                  cwd=self.a.package_path, check=True, capture_output=True, text=True).stdout.strip()
        for prod in ("upload-node", "download-node"):
            if not os.access(os.path.join(self.bin, prod), os.X_OK):
                sys.exit(f"missing {self.bin}/{prod}")

    def make_file(self):
        """Writes the random 5 MiB payload, its MD5 and a day-long dev token for the bench user."""
        self.file = os.path.join(self.work, "payload.bin")
        data = random.Random(20240601).randbytes(FILE_SIZE)
        with open(self.file, "wb") as f:
            f.write(data)
        d = hashlib.md5(data).digest()
        self.md5_hex, self.md5_b64 = d.hex(), base64.b64encode(d).decode()
        self.payload = data
        self.token = subprocess.run(
            [os.path.join(self.bin, "upload-node"), "dev-token", "--user", USER, "--data-dir",
             os.path.join(self.work, "tokdir"), "--ttl", "86400"],
            check=True, capture_output=True, text=True).stdout.strip()

    # ---- clients
    def put_via_node(self, name, timeout=60):
        """Uploads the payload as `name` through the upload node; raises unless 200."""
        st, body = http_status(P_UPLOAD, f"{SVC}/{name}/{USER}", "PUT", body=self.payload, timeout=timeout,
                               headers={"Authorization": f"Bearer {self.token}", "Content-MD5": self.md5_b64,
                                        "Content-Type": "application/octet-stream"})
        if st != 200:
            raise RuntimeError(f"PUT {name} via node: {st} {body[:200]!r}")

    def get_via_node(self, name, timeout=60):
        """Downloads `name` through the download node: (status, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", P_DOWNLOAD, timeout=timeout)
        try:
            conn.request("GET", f"{SVC}/{name}/{USER}", headers={"Authorization": f"Bearer {self.token}"})
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def list_names(self):
        """Every name in the bench user's listing, following the cursor."""
        names, cursor = [], None
        while True:
            q = "limit=1000" + (f"&cursor={cursor}" if cursor else "")
            st, body = http_status(P_DOWNLOAD, f"{SVC}/users/{USER}/files?{q}",
                                   headers={"Authorization": f"Bearer {self.token}"}, timeout=30)
            if st != 200:
                raise RuntimeError(f"listing: {st} {body[:200]!r}")
            doc = json.loads(body)
            names += [f["name"] for f in doc["files"]]
            cursor = doc.get("next_cursor")
            if not cursor:
                return names
            cursor = urllib.parse.quote(cursor, safe="")

    def verify_sample(self, label, prefix, acked, n=200):
        """Downloads a random sample of the uploads of one point and compares them byte for byte."""
        names = [x for x in self.list_names() if x.startswith(prefix)]
        sample = random.Random(7).sample(names, min(n, len(names)))

        def one(name):
            st, data = self.get_via_node(name)
            return st == 200 and data == self.payload
        with ThreadPoolExecutor(8) as ex:
            good = sum(ex.map(one, sample))
        rec = {"label": label, "acknowledged": acked, "listed": len(names), "sampled": len(sample),
               "identical": good}
        log(f"  verify {label}: {good}/{len(sample)} sampled downloads byte-identical, {len(names)} listed, "
            f"{acked} acknowledged")
        self.checks.append(rec)

    # ---- one load point
    def wrk(self, scenario, case, role, conns, url, script, env, watch, duration=None, extra=None):
        """Runs one wrk point with `script` against `url`, sampling CPU and RSS of `watch`; records and returns the result."""
        duration = duration or self.a.duration_for(conns)
        threads = min(2, conns)
        e = dict(os.environ)
        e.update({k: str(v) for k, v in env.items()})
        e.update(BENCH_LUA_DIR=LUA_DIR, BENCH_FILE=self.file, BENCH_THREADS=str(threads))
        cpu0 = {k: cpu_seconds(p) for k, p in watch.items()}
        md5_0 = thread_cpu_seconds(watch["node"][0], MD5_THREAD) if role == "upload" and "node" in watch else None
        sampler = Sampler(watch)
        sampler.start()
        t = time.monotonic()
        r = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{duration}s", "--timeout", "30s",
                            "-s", os.path.join(LUA_DIR, script), url],
                           env=e, capture_output=True, text=True, timeout=duration + 120)
        wall = time.monotonic() - t
        time.sleep(0.2)
        peak = sampler.finish()
        cpu1 = {k: cpu_seconds(p) for k, p in watch.items()}
        md5_s = thread_cpu_seconds(watch["node"][0], MD5_THREAD) - md5_0 if md5_0 is not None else None
        line = next((ln for ln in r.stdout.splitlines() if ln.startswith("BENCHJSON ")), None)
        if r.returncode != 0 or line is None:
            raise RuntimeError(f"wrk failed ({r.returncode}): {r.stdout[-2000:]} {r.stderr[-2000:]}")
        s = json.loads(line[len("BENCHJSON "):])
        dur = s["duration_us"] / 1e6
        ok = s["requests"] - s["err_status"]
        res = dict(scenario=scenario, case=case, role=role, conns=conns, duration_s=dur, wall_s=wall, ok=ok, **s)
        res["rps"] = ok / dur
        res["mibps"] = ok * FILE_SIZE / MIB / dur
        res["cpu_s"] = {k: cpu1[k] - cpu0[k] for k in watch}
        res["peak_rss_mib"] = {k: v / MIB for k, v in peak.items()}
        res["cpu_ms_per_req"] = {k: (1000 * v / ok if ok else None) for k, v in res["cpu_s"].items()}
        if md5_s is not None and ok:
            # The node's MD5 hashing thread alone (part of cpu_ms_per_req["node"]).
            res["md5_thread_ms_per_req"] = 1000 * md5_s / ok
        if extra:
            res.update(extra)
        self.results.append(res)
        errs = "c%d r%d w%d t%d s%d" % (s["err_connect"], s["err_read"], s["err_write"], s["err_timeout"],
                                         s["err_status"])
        cpu = " ".join(f"{k}={res['cpu_ms_per_req'][k]:.2f}ms" for k in watch if res["cpu_ms_per_req"][k] is not None)
        if "md5_thread_ms_per_req" in res:
            cpu += f" (md5 thread {res['md5_thread_ms_per_req']:.2f}ms)"
        rss = " ".join(f"{k}={v:.0f}MiB" for k, v in res["peak_rss_mib"].items())
        log(f"  {scenario} {case:<14} c={conns:<4} {res['rps']:7.1f} req/s {res['mibps']:7.1f} MiB/s "
            f"p50 {s['p50_us']/1e3:7.1f} p95 {s['p95_us']/1e3:7.1f} p99 {s['p99_us']/1e3:7.1f} ms  err {errs}  "
            f"cpu {cpu}  rss {rss}")
        return res

    def next_run(self, tag):
        """A new run tag (`tag` + a sequence number) that keeps object names unique across points."""
        self.run_seq += 1
        return f"{tag}{self.run_seq}"

    def rounds(self, sc, conns_for_rounds, cases):
        """(connections, case) in run order: every point once, and in scenario (a) the points at
        `conns_for_rounds` connections `--rounds` times, the order of the cases reversed every other
        round, so that node and reference see the same drift of this shared box (the report keeps
        each case's median round)."""
        for conns in self.a.conns:
            n = self.a.rounds if sc == "a" and conns in conns_for_rounds else 1
            for k in range(n):
                for case in (cases if k % 2 == 0 else tuple(reversed(cases))):
                    yield conns, case

    # ---- scenario pieces
    def node_env_put(self, run):
        """The Lua script's environment for node PUTs of run `run`."""
        return dict(BENCH_TOKEN=self.token, BENCH_MD5_B64=self.md5_b64, BENCH_PREFIX=f"{SVC}/",
                    BENCH_SUFFIX=f"/{USER}", BENCH_RUN=run)

    def uploads(self, sc):
        """Node PUT, node multipart POST and the reference PUT, fresh state per point."""
        ref_case = "nginx-dav-put" if sc == "a" else "s3-put"
        for conns, case in self.rounds(sc, conns_for_rounds=(100,), cases=("node-put", "node-post", ref_case)):
            if sc == "b" and (self.a.fresh_store or self.weed is None):
                self.start_weed()
            if sc == "b":
                self.redis_cmd("FLUSHALL")
            if case.startswith("node"):
                datadir = os.path.join(self.work, f"data-{sc}-up")
                shutil.rmtree(datadir, ignore_errors=True)
                up = self.start_node(sc, "upload-node", datadir)
                verify = sc == "b" and conns == max(self.a.conns)
                down = self.start_node(sc, "download-node", datadir) if verify else None
                watch = {"node": [up.pid]}
                if sc == "b":
                    watch.update(weed=[self.weed.pid], redis=[self.redis.pid])
                run = self.next_run("u")
                if case == "node-put":
                    res = self.wrk(sc, case, "upload", conns, f"http://127.0.0.1:{P_UPLOAD}", "put.lua",
                                   self.node_env_put(run), watch)
                else:
                    res = self.wrk(sc, case, "upload", conns, f"http://127.0.0.1:{P_UPLOAD}",
                                   "post_multipart.lua",
                                   dict(BENCH_TOKEN=self.token, BENCH_MD5_HEX=self.md5_hex,
                                        BENCH_PATH=f"{SVC}/upload", BENCH_RUN=run), watch)
                time.sleep(0.5)
                if verify:
                    self.verify_sample(f"{case} c={conns}", run + "-", res["ok"])
                    down.stop()
                up.stop()
                shutil.rmtree(datadir, ignore_errors=True)
            elif sc == "a":
                run = self.next_run("n")
                self.wrk(sc, case, "upload-ref", conns, f"http://127.0.0.1:{P_NGINX}", "put.lua",
                         dict(BENCH_PREFIX="/dav/", BENCH_RUN=run), {"ref": self.nginx_pids()})
                dav = os.path.join(self.nginx_dir, "dav")
                time.sleep(0.5)  # requests cut off at the end of the point may still be landing
                trash = f"{dav}.old{self.run_seq}"
                os.rename(dav, trash)
                shutil.rmtree(trash, ignore_errors=True)
                os.makedirs(dav, exist_ok=True)
                os.chmod(dav, 0o777)
            else:
                run = self.next_run("s")
                self.wrk(sc, case, "upload-ref", conns, f"http://127.0.0.1:{P_WEED['s3']}", "put.lua",
                         dict(BENCH_PREFIX=f"/{S3_REF_BUCKET}/", BENCH_RUN=run), {"ref": [self.weed.pid]})

    # ---- resumable uploads (tus) vs PUT, scenario (a)
    def tus_upload(self, conn, name):
        """One tus upload of the 5 MiB file: creation, then the whole file in one PATCH."""
        meta = (f"filename {base64.b64encode(name.encode()).decode()},"
                f"md5 {base64.b64encode(self.md5_hex.encode()).decode()}")
        auth = {"Authorization": f"Bearer {self.token}", "Tus-Resumable": "1.0.0"}
        conn.request("POST", f"{SVC}/uploads", headers=dict(auth, **{"Upload-Length": str(FILE_SIZE),
                                                                      "Upload-Metadata": meta}))
        r = conn.getresponse()
        r.read()
        if r.status != 201:
            return False
        location = r.getheader("Location")
        conn.request("PATCH", location, body=self.payload,
                     headers=dict(auth, **{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}))
        r = conn.getresponse()
        r.read()
        return r.status == 204

    def put_upload(self, conn, name):
        """One PUT of the payload as `name` on `conn`: whether it answered 200."""
        conn.request("PUT", f"{SVC}/{name}/{USER}", body=self.payload,
                     headers={"Authorization": f"Bearer {self.token}", "Content-MD5": self.md5_b64,
                              "Content-Type": "application/octet-stream"})
        r = conn.getresponse()
        r.read()
        return r.status == 200

    def tus_point(self, case, conns, seconds, pid):
        """One tus-or-PUT point: `conns` Python threads uploading for `seconds`; throughput, latencies and node CPU."""
        upload = self.tus_upload if case == "tus" else self.put_upload
        latencies, errors = [], [0]
        lock = threading.Lock()
        deadline = time.monotonic() + seconds
        run = self.next_run("t")

        def worker(index):
            conn = http.client.HTTPConnection("127.0.0.1", P_UPLOAD, timeout=60)
            n = 0
            while time.monotonic() < deadline:
                t = time.monotonic()
                try:
                    ok = upload(conn, f"{run}-{case}-t{index}-{n}.bin")
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", P_UPLOAD, timeout=60)
                with lock:
                    if ok:
                        latencies.append(time.monotonic() - t)
                    else:
                        errors[0] += 1
                n += 1
            conn.close()

        cpu0, t0 = cpu_seconds([pid]), time.monotonic()
        with ThreadPoolExecutor(conns) as pool:
            list(pool.map(worker, range(conns)))
        elapsed = time.monotonic() - t0
        cpu = cpu_seconds([pid]) - cpu0
        latencies.sort()
        pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000) if latencies else (lambda q: 0)
        return {"case": case, "conns": conns, "ok": len(latencies), "errors": errors[0],
                "mb_s": len(latencies) * FILE_SIZE / MIB / elapsed, "p50_ms": pick(0.5), "p95_ms": pick(0.95),
                "cpu_ms_per_upload": cpu * 1000 / max(1, len(latencies))}

    def tus_resume_cost(self):
        """40 MiB in 5 MiB chunks, the connection cut half-way through the third chunk; how many
        bytes the client has to send again after asking HEAD where to go on."""
        size, chunk = 40 * MIB, 5 * MIB
        data = random.Random(7).randbytes(size)
        md5 = hashlib.md5(data).hexdigest()
        auth = {"Authorization": f"Bearer {self.token}", "Tus-Resumable": "1.0.0"}
        meta = f"filename {base64.b64encode(b'resume.bin').decode()},md5 {base64.b64encode(md5.encode()).decode()}"
        conn = http.client.HTTPConnection("127.0.0.1", P_UPLOAD, timeout=60)
        conn.request("POST", f"{SVC}/uploads", headers=dict(auth, **{"Upload-Length": str(size), "Upload-Metadata": meta}))
        r = conn.getresponse()
        r.read()
        location = r.getheader("Location")
        patch = dict(auth, **{"Content-Type": "application/offset+octet-stream"})
        for offset in (0, chunk):
            conn.request("PATCH", location, body=data[offset:offset + chunk], headers=dict(patch, **{"Upload-Offset": str(offset)}))
            r = conn.getresponse()
            r.read()
        # The third chunk: headers announce 5 MiB, half of it is sent, then the connection is cut.
        sent = 2 * chunk + chunk // 2
        raw = socket.create_connection(("127.0.0.1", P_UPLOAD))
        head = (f"PATCH {location} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {self.token}\r\n"
                f"Tus-Resumable: 1.0.0\r\nUpload-Offset: {2 * chunk}\r\nContent-Type: application/offset+octet-stream\r\n"
                f"Content-Length: {chunk}\r\n\r\n").encode()
        raw.sendall(head + data[2 * chunk:sent])
        time.sleep(0.2)
        raw.close()
        offset, deadline = 0, time.monotonic() + 10
        while time.monotonic() < deadline:  # the node stores the cut chunk's bytes once it sees the close
            conn.request("HEAD", location, headers=auth)
            r = conn.getresponse()
            r.read()
            offset = int(r.getheader("Upload-Offset") or 0)
            if offset > 2 * chunk:
                break
            time.sleep(0.1)
        after_cut = offset
        while offset < size:
            conn.request("PATCH", location, body=data[offset:offset + chunk], headers=dict(patch, **{"Upload-Offset": str(offset)}))
            r = conn.getresponse()
            r.read()
            if r.status != 204:
                break
            offset = int(r.getheader("Upload-Offset"))
        conn.close()
        return {"file_bytes": size, "sent_before_cut": sent, "offset_after_cut": after_cut,
                "resent_bytes": max(0, sent - min(after_cut, sent)), "completed": offset == size}

    def tus(self, sc):
        """Scenario (a): tus in one PATCH against PUT at 1 and 10 connections, and the resume cost."""
        datadir = os.path.join(self.work, f"data-{sc}-tus")
        shutil.rmtree(datadir, ignore_errors=True)
        up = self.start_node(sc, "upload-node", datadir)
        seconds = max(3, self.a.duration // 2)
        self.tus_results = {"points": [], "resume": None}
        for conns in (1, 10):
            for order in range(2):  # PUT and tus alternate, the order reversed in the second round
                for case in (("put", "tus") if order == 0 else ("tus", "put")):
                    log(f"tus bench: {case} c={conns} round {order + 1}")
                    self.tus_results["points"].append(dict(self.tus_point(case, conns, seconds, up.pid), round=order + 1))
        self.tus_results["resume"] = self.tus_resume_cost()
        up.stop()
        shutil.rmtree(datadir, ignore_errors=True)

    def downloads(self, sc):
        """Uploads the hit object and the cold pool, then runs the hit and cold points."""
        if sc == "b":
            self.start_weed()
            self.redis_cmd("FLUSHALL")
        datadir = os.path.join(self.work, f"data-{sc}-down")
        shutil.rmtree(datadir, ignore_errors=True)
        up = self.start_node(sc, "upload-node", datadir)
        self.put_via_node("hit.bin")
        # cold pool: distinct objects, each read at most once per point
        pool = [f"pool-{i:05d}.bin" for i in range(self.a.pool)]
        log(f"  uploading a pool of {len(pool)} objects for the cold reads")
        with ThreadPoolExecutor(8) as ex:
            list(ex.map(self.put_via_node, pool))
        up.stop()
        names_file = os.path.join(self.work, "pool-names.txt")
        with open(names_file, "w") as f:
            f.write("\n".join(pool) + "\n")

        if "cold" not in self.a.parts:
            self.download_hits(sc, datadir)
        if "hits" not in self.a.parts:
            self.download_cold(sc, datadir, pool, names_file)
        shutil.rmtree(datadir, ignore_errors=True)

    def download_hits(self, sc, datadir):
        """Cache-hit points: one object read repeatedly, node and reference alternating."""
        down = self.start_node(sc, "download-node", datadir)
        for _ in range(2):  # first read fills the disk cache
            st, data = self.get_via_node("hit.bin")
            assert st == 200 and data == self.payload, st
        watch = {"node": [down.pid]}
        if sc == "b":
            watch.update(weed=[self.weed.pid], redis=[self.redis.pid])
        for conns, case in self.rounds(sc, conns_for_rounds=(100, 1000),
                                       cases=("node-get-hit", "nginx-get" if sc == "a" else "s3-get")):
            if case == "node-get-hit":
                self.wrk(sc, case, "download", conns, f"http://127.0.0.1:{P_DOWNLOAD}", "get.lua",
                         dict(BENCH_TOKEN=self.token, BENCH_PATH=f"{SVC}/hit.bin/{USER}"), watch)
            elif sc == "a":
                self.wrk(sc, case, "download-ref", conns, f"http://127.0.0.1:{P_NGINX}", "get.lua",
                         dict(BENCH_PATH="/obj.bin"), {"ref": self.nginx_pids()})
            else:
                self.wrk(sc, case, "download-ref", conns, f"http://127.0.0.1:{P_WEED['s3']}", "get.lua",
                         dict(BENCH_PATH=f"/{S3_REF_BUCKET}/obj.bin"), {"ref": [self.weed.pid]})
        down.stop()

    def download_cold(self, sc, datadir, pool, names_file):
        """Cold reads: the cache (disk cache dir; Redis blobs and metadata cache) is emptied before every point."""
        for conns in self.a.conns:
            shutil.rmtree(os.path.join(datadir, "cache"), ignore_errors=True)
            if sc == "b":
                self.redis_cmd("FLUSHALL")
            down = self.start_node(sc, "download-node", datadir)
            watch = {"node": [down.pid]}
            if sc == "b":
                watch.update(weed=[self.weed.pid], redis=[self.redis.pid])
            res = self.wrk(sc, "node-get-cold", "download-cold", conns, f"http://127.0.0.1:{P_DOWNLOAD}",
                           "get_cold.lua", dict(BENCH_TOKEN=self.token, BENCH_PREFIX=f"{SVC}/",
                                                BENCH_SUFFIX=f"/{USER}", BENCH_NAMES=names_file),
                           watch, duration=self.a.cold_duration)
            # A thread stops when its share of the pool is used up, so the point can end early.
            res["pool_exhausted"] = res["requests"] >= len(pool) - 2 * min(2, conns) - conns
            down.stop()

    def run(self):
        """The whole run: build, payload, every scenario and part asked for, then the report."""
        t0 = time.monotonic()
        self.build()
        self.make_file()
        self.started_at = datetime.datetime.now(datetime.timezone.utc)
        self.node_commit = node_commit()
        self.cpu_flags = simd_cpu_flags()
        self.data_filesystem = data_dir_filesystem(self.work)
        self.uds_simd = os.environ.get("UDS_SIMD", "auto")
        self.kernels = None
        for sc in self.a.scenarios:
            log(f"scenario {sc}")
            if sc == "a":
                self.start_nginx()
                if "uploads" in self.a.parts:
                    self.uploads("a")
                if "tus" in self.a.parts:
                    self.tus("a")
                if {"downloads", "hits", "cold"} & set(self.a.parts):
                    self.downloads("a")
                self.nginx.stop()
            else:
                self.start_redis()
                if "uploads" in self.a.parts:
                    self.uploads("b")
                if {"downloads", "hits", "cold"} & set(self.a.parts):
                    self.downloads("b")
                if self.weed:
                    self.weed.stop(signal.SIGKILL)
                self.weed = None
                self.redis.stop()
        self.elapsed = time.monotonic() - t0
        Report(self).write()
