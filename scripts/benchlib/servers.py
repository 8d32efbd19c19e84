"""Starting the servers of a run: nginx (reference), redis-server, SeaweedFS and the nodes."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time

from .constants import (ROOT, P_DOWNLOAD, P_NGINX, P_REDIS, P_UPLOAD, P_WEED, S3_BUCKET, S3_KEY, S3_REF_BUCKET,
                        S3_SECRET)
from .machine import node_kernels
from .probes import http_status, wait_ready
from .processes import Proc, children_of


WEED_SERVER_FILE = os.path.join(ROOT, "scripts", "weed-server.json")


def weed_server_arguments(directory, ports, volume_size_limit_mb, path=WEED_SERVER_FILE):
    """The `weed server` arguments of the repository's one SeaweedFS start-up definition (shared
    with the Swift tests' WeedServer): `ports` maps the definition's port names to numbers."""
    with open(path, encoding="utf-8") as f:
        definition = json.load(f)
    values = dict(dir=directory, volumeSizeLimitMB=str(volume_size_limit_mb))
    values.update({name: str(ports[name]) for name in definition["ports"]})
    out = []
    for argument in definition["arguments"]:
        for name, value in values.items():
            argument = argument.replace("{" + name + "}", value)
        out.append(argument)
    return out


class Servers:
    """The server half of ``Bench``: expects ``a`` (arguments), ``work``, ``file``, ``payload``,
    ``bin``, ``kernels`` and ``ready`` on the instance."""

    # ---- servers
    def start_nginx(self):
        """Starts nginx (sendfile GET of the payload, WebDAV PUT under /dav/) and waits until it serves."""
        d = os.path.join(self.work, "nginx")
        for sub in ("www", "dav", "body_tmp", "logs"):
            os.makedirs(os.path.join(d, sub), exist_ok=True)
            os.chmod(os.path.join(d, sub), 0o777)
        shutil.copy(self.file, os.path.join(d, "www", "obj.bin"))
        os.chmod(d, 0o755)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes auto;
worker_rlimit_nofile 20000;
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
daemon off;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path {d}/body_tmp;
  server {{
    listen 127.0.0.1:{P_NGINX} backlog=4096;
    root {d}/www;
    location /dav/ {{
      root {d};
      dav_methods PUT;
      create_full_put_path on;
      client_max_body_size 0;
    }}
  }}
}}
""")
        self.nginx_dir = d
        self.nginx = Proc("nginx", ["nginx", "-c", conf, "-p", d], os.path.join(d, "logs", "stdout.log"))
        wait_ready(P_NGINX, "/obj.bin", self.nginx.t0, timeout=10)

    def nginx_pids(self):
        """The nginx master and its workers."""
        return [self.nginx.pid] + children_of(self.nginx.pid)

    def start_redis(self):
        """Starts redis-server (no persistence, 2 GB LRU) and waits for PING."""
        d = os.path.join(self.work, "redis")
        os.makedirs(d, exist_ok=True)
        # maxmemory: the upload node pushes every object <= 8 MiB into Redis; cap it like production.
        self.redis = Proc("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(P_REDIS), "--save", "",
                                    "--appendonly", "no", "--dir", d, "--maxmemory", "2gb",
                                    "--maxmemory-policy", "allkeys-lru", "--maxclients", "10000"],
                          os.path.join(d, "redis.log"))
        deadline = time.monotonic() + 10
        while True:
            try:
                self.redis_cmd("PING")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def redis_cmd(self, *args):
        """Sends one command to the bench's Redis: the raw reply."""
        s = socket.create_connection(("127.0.0.1", P_REDIS), timeout=5)
        try:
            s.sendall(("*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args)).encode())
            return s.recv(4096)
        finally:
            s.close()

    def start_weed(self):
        """Fresh SeaweedFS (`weed server`, every port explicit); returns once S3 answers."""
        if self.weed:
            self.weed.stop(signal.SIGKILL)  # a scratch store: no need for its ~18 s graceful stop
        d = os.path.join(self.work, "weed")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(os.path.join(d, "data"))
        with open(os.path.join(d, "s3.json"), "w") as f:
            json.dump({"identities": [
                {"name": "bench_admin", "credentials": [{"accessKey": S3_KEY, "secretKey": S3_SECRET}],
                 "actions": ["Admin", "Read", "List", "Tagging", "Write"]},
                {"name": "anonymous", "actions": [f"Read:{S3_REF_BUCKET}", f"Write:{S3_REF_BUCKET}",
                                                  f"List:{S3_REF_BUCKET}"]}]}, f)
        p = P_WEED
        cmd = ["weed"] + weed_server_arguments(d, p, volume_size_limit_mb=1024)
        self.weed = Proc("weed", cmd, os.path.join(self.work, "weed.log"), cwd=d)
        wait_ready(p["s3"], "/", self.weed.t0, timeout=60, ok=(200, 403))
        # The reference bucket, created with a signed request (curl --aws-sigv4).
        url = f"http://127.0.0.1:{p['s3']}/{S3_REF_BUCKET}"
        for _ in range(50):
            r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "--aws-sigv4",
                                "aws:amz:us-east-1:s3", "--user", f"{S3_KEY}:{S3_SECRET}",
                                "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", url], capture_output=True, text=True)
            if r.stdout in ("200", "409"):
                break
            time.sleep(0.2)
        st, _ = http_status(p["s3"], f"/{S3_REF_BUCKET}/obj.bin", "PUT", body=self.payload, timeout=30)
        if st != 200:
            raise RuntimeError(f"anonymous S3 PUT reference object failed: {st}")

    def start_node(self, scenario, kind, datadir):
        """Starts `kind` for `scenario` on `datadir` and waits for /readyz; records the start-up time."""
        binary = os.path.join(self.bin, kind)
        port = P_UPLOAD if kind == "upload-node" else P_DOWNLOAD
        env = dict(os.environ)
        env.update(UDS_LOG_LEVEL="warning")
        if scenario == "b":
            env.update(UDS_S3_ENDPOINT=f"http://127.0.0.1:{P_WEED['s3']}", UDS_S3_BUCKET=S3_BUCKET,
                       UDS_S3_ACCESS_KEY=S3_KEY, UDS_S3_SECRET_KEY=S3_SECRET, UDS_S3_CREATE_BUCKET="true",
                       UDS_REDIS_URL=f"redis://127.0.0.1:{P_REDIS}")
        os.makedirs(datadir, exist_ok=True)
        # every data dir gets the same HS256 secret, so the one dev token works everywhere
        shutil.copy(os.path.join(self.work, "tokdir", "auth-secret"), os.path.join(datadir, "auth-secret"))
        # one user drives every benchmark point: the per-user limits are off
        proc = Proc(kind, [binary, "--port", str(port), "--data-dir", datadir, "--user-requests-per-second", "0",
                           "--max-concurrent-uploads-per-user", "0"],
                    os.path.join(self.work, f"{kind}.log"), env=env)
        secs = wait_ready(port, "/readyz", proc.t0, timeout=30)
        self.ready.append({"scenario": scenario, "node": kind, "seconds": secs})
        if not self.kernels:
            self.kernels = node_kernels(port)
        return proc
