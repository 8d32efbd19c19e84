"""Plain HTTP requests to the servers under test: one request, and polling until ready."""

import http.client
import time

def http_status(port, path, method="GET", headers=None, body=None, timeout=5):
    """One request to 127.0.0.1:`port`: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, data
    finally:
        conn.close()


def wait_ready(port, path, started, timeout=60, ok=(200,)):
    """Polls until `path` answers one of `ok`; returns seconds since `started` (monotonic)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            st, _ = http_status(port, path, timeout=1)
            if st in ok:
                return time.monotonic() - started
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.01)
    raise RuntimeError(f"127.0.0.1:{port}{path} not ready after {timeout}s")
