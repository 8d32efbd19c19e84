"""Tests for threads.py: the per-thread CPU reader behind the MD5 thread's ms per upload."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.constants import CLK_TCK  # noqa: E402
from benchlib.threads import parse_thread_stat, thread_cpu_seconds  # noqa: E402


def stat_line(tid, comm, utime, stime):
    """A /proc/<pid>/task/<tid>/stat line with the given name and CPU ticks (fields 14 and 15)."""
    rest = ["S", "1", "1", "1", "0", "-1", "4194304", "0", "0", "0", "0", str(utime), str(stime), "0", "0"]
    return f"{tid} ({comm}) " + " ".join(rest) + "\n"


class ThreadStatTests(unittest.TestCase):
    def test_parse_keeps_spaces_and_parentheses_in_the_name(self):
        self.assertEqual(parse_thread_stat(stat_line(7, "a (b) c", 5, 6)), ("a (b) c", 11))

    def test_sums_only_the_named_threads(self):
        with tempfile.TemporaryDirectory() as proc:
            for tid, comm, u, s in [(10, "upload-node", 100, 50), (11, "md5-lanes", 30, 12), (12, "md5-lanes", 1, 1)]:
                os.makedirs(os.path.join(proc, "10", "task", str(tid)))
                with open(os.path.join(proc, "10", "task", str(tid), "stat"), "w") as f:
                    f.write(stat_line(tid, comm, u, s))
            self.assertAlmostEqual(thread_cpu_seconds(10, "md5-lanes", proc=proc), 44 / CLK_TCK)
            self.assertEqual(thread_cpu_seconds(10, "none", proc=proc), 0.0)
            self.assertEqual(thread_cpu_seconds(99, "md5-lanes", proc=proc), 0.0)


if __name__ == "__main__":
    unittest.main()
