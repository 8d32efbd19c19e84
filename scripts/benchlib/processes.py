"""Processes the benchmark starts (stopped by their own PIDs only) and their CPU and RSS from /proc."""

import os
import signal
import subprocess
import threading
import time

from .constants import CLK_TCK

# --------------------------------------------------------------------------- processes

class Proc:
    """A process this script started; stopped by its own PID only."""
    started = []

    def __init__(self, name, cmd, logpath, env=None, cwd=None):
        self.name = name
        self.logf = open(logpath, "ab")
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(cmd, stdout=self.logf, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                  start_new_session=True)
        self.pid = self.p.pid
        Proc.started.append(self)

    def alive(self):
        return self.p.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.alive():
            try:
                os.kill(self.pid, sig)
                self.p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.p.wait()
            except ProcessLookupError:
                pass
        self.logf.close()
        if self in Proc.started:
            Proc.started.remove(self)

    @classmethod
    def stop_all(cls):
        for p in list(cls.started):
            p.stop(signal.SIGKILL if p.name == "weed" else signal.SIGTERM, timeout=10)


def children_of(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    st = f.read()
                if int(st[st.rfind(")") + 2:].split()[1]) == pid:
                    out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                st = f.read()
            fields = st[st.rfind(")") + 2:].split()
            total += (int(fields[11]) + int(fields[12])) / CLK_TCK
        except (OSError, ValueError, IndexError):
            pass
    return total


def rss_bytes(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


class Sampler(threading.Thread):
    """Samples summed VmRSS of each watched group every 100 ms; keeps the peak."""

    def __init__(self, groups):
        super().__init__(daemon=True)
        self.groups = groups
        self.peak = {k: 0 for k in groups}
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            for k, pids in self.groups.items():
                self.peak[k] = max(self.peak[k], rss_bytes(pids))
            self.halt.wait(0.1)

    def finish(self):
        self.halt.set()
        self.join()
        return self.peak
