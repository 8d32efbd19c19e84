"""Facts about the machine and the build that the report records."""

import re
import subprocess

from .constants import ROOT
from .probes import http_status


def simd_cpu_flags():
    """The CPU's vector and hashing flags from /proc/cpuinfo (what the kernels can select from)."""
    flags = next((ln.split(":", 1)[1].split() for ln in open("/proc/cpuinfo") if ln.startswith("flags")), [])
    keep = [f for f in flags if f.startswith(("sse4", "avx", "sha", "bmi"))]
    return " ".join(keep) or "none of sse4/avx/sha/bmi"


def node_kernels(port):
    """The kernels a running node selected, from its /metrics (uds_simd_kernel{job,kernel} 1)."""
    try:
        _, body = http_status(port, "/metrics")
    except OSError:
        return "n/a"
    found = re.findall(r'uds_simd_kernel\{job="(\w+)",kernel="(\w+)"\}', body.decode())
    found += [(j, k) for k, j in re.findall(r'uds_simd_kernel\{kernel="(\w+)",job="(\w+)"\}', body.decode())]
    return " ".join(f"{j}={k}" for j, k in sorted(set(found))) or "n/a"


def node_commit():
    """The commit the measured binaries are built from (noted when the run starts)."""
    def git(*args):
        return subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True).stdout.strip()
    dirty = git("status", "--porcelain", "--", "Sources", "Package.swift")
    return git("rev-parse", "--short", "HEAD") + (" (+ uncommitted changes in Sources/)" if dirty else "")
