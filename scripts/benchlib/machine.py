"""Facts about the machine and the build that the report records."""

import os
import re
import subprocess

from .constants import ROOT
from .probes import http_status


def simd_cpu_flags():
    """The CPU's vector and hashing flags from /proc/cpuinfo (what the kernels can select from)."""
    flags = next((ln.split(":", 1)[1].split() for ln in open("/proc/cpuinfo") if ln.startswith("flags")), [])
    keep = [f for f in flags if f.startswith(("sse4", "avx", "sha", "bmi"))]
    return " ".join(keep) or "none of sse4/avx/sha/bmi"


def data_dir_filesystem(path, mounts="/proc/mounts", sysfs="/sys/fs"):
    """The file system the nodes' data directories live on, e.g. "ext4 on /dev/vda at /, no journal".

    Whether ext4 has a journal changes what creating a file costs (decisions/0027: without one,
    every inode allocation skips the inodes freed in the last minutes), so the report records it
    next to the CPU flags. ext4's journal is read from `<sysfs>/ext4/<device>/journal_task`
    ("<none>" without one)."""
    target = os.path.realpath(path)
    best = None
    with open(mounts, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) < 3:
                continue
            device, point, fstype = fields[0], fields[1].replace("\\040", " "), fields[2]
            inside = target == point or target.startswith(point.rstrip("/") + "/")
            if inside and (best is None or len(point) > len(best[1])):
                best = (device, point, fstype)
    if best is None:
        return "unknown"
    device, point, fstype = best
    described = f"{fstype} on {device} at {point}"
    if fstype != "ext4":
        return described
    name = os.path.basename(os.path.realpath(device))
    try:
        with open(os.path.join(sysfs, "ext4", name, "journal_task"), encoding="utf-8") as f:
            task = f.read().strip()
    except OSError:
        return described + ", journal unknown"
    return described + (", no journal" if task == "<none>" else f", journal ({task})")


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
