"""The benchmark's progress lines on stdout."""

import time


def log(msg):
    """Prints one time-stamped progress line."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)
