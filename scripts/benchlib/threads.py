"""CPU time of one named thread of a process (the upload node's `md5-lanes` hashing thread)."""

import os

from .constants import CLK_TCK
from .processes import cpu_ticks, stat_fields

MD5_THREAD = "md5-lanes"


def parse_thread_stat(text):
    """(comm, user + system CPU ticks) from the text of a /proc/<pid>/task/<tid>/stat file."""
    return text[text.index("(") + 1:text.rindex(")")], cpu_ticks(stat_fields(text))


def thread_cpu_seconds(pid, name, proc="/proc"):
    """Summed user + system CPU seconds of the threads of `pid` named `name` (0.0 if none)."""
    ticks = 0
    task_dir = os.path.join(proc, str(pid), "task")
    try:
        tids = os.listdir(task_dir)
    except OSError:
        return 0.0
    for tid in tids:
        try:
            with open(os.path.join(task_dir, tid, "stat")) as f:
                comm, used = parse_thread_stat(f.read())
        except (OSError, ValueError, IndexError):
            continue
        if comm == name:
            ticks += used
    return ticks / CLK_TCK
