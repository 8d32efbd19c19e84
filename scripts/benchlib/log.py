"""The benchmark's progress lines on stdout."""

import time


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)
