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
        """Whether the process is still running."""
        return self.p.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Sends `sig`, waits up to `timeout` s, then SIGKILL; closes the log."""
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
        """Stops every process still running that this script started (SeaweedFS with SIGKILL)."""
        for p in list(cls.started):
            p.stop(signal.SIGKILL if p.name == "weed" else signal.SIGTERM, timeout=10)


def stat_fields(text):
    """The fields of a `/proc/<pid>/stat` (or `/proc/<pid>/task/<tid>/stat`) text after the command
    name, so index 0 is the state (field 3 of proc(5)): the name sits in parentheses and may itself
    hold spaces and parentheses, so the split starts after the last `)`."""
    return text[text.rfind(")") + 2:].split()


def cpu_ticks(fields):
    """User + system CPU clock ticks from ``stat_fields`` (fields 14 and 15 of proc(5))."""
    return int(fields[11]) + int(fields[12])


def _stat_fields(pid):
    """``stat_fields`` of `/proc/<pid>/stat`. Raises OSError when the process is gone."""
    with open(f"/proc/{pid}/stat") as f:
        return stat_fields(f.read())


def children_of(pid):
    """The PIDs whose parent is `pid` (from /proc)."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if int(_stat_fields(d)[1]) == pid:
                    out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


def cpu_seconds(pids):
    """Summed user + system CPU seconds of `pids` (from /proc/<pid>/stat)."""
    total = 0.0
    for pid in pids:
        try:
            total += cpu_ticks(_stat_fields(pid)) / CLK_TCK
        except (OSError, ValueError, IndexError):
            pass
    return total


def rss_bytes(pids):
    """Summed VmRSS of `pids` in bytes (from /proc/<pid>/status)."""
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
        """Samples until ``finish`` is called."""
        while not self.halt.is_set():
            for k, pids in self.groups.items():
                self.peak[k] = max(self.peak[k], rss_bytes(pids))
            self.halt.wait(0.1)

    def finish(self):
        """Stops sampling; the peak RSS per group in bytes."""
        self.halt.set()
        self.join()
        return self.peak
