"""Unit tests of the /proc readers the bench uses for its processes' parents and CPU time."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.processes import _stat_fields, children_of, cpu_seconds  # noqa: E402

# A child that renames itself to a command name with spaces and parentheses, says so, and waits
# for its standard input to close.
RENAMED_CHILD = "open('/proc/self/comm', 'w').write('a) b (c'); print('renamed', flush=True); import sys; sys.stdin.read()"


class StatFieldsTests(unittest.TestCase):
    def test_a_command_name_with_spaces_and_parentheses_does_not_shift_the_fields(self):
        child = subprocess.Popen([sys.executable, "-c", RENAMED_CHILD], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(child.stdout.readline().strip(), "renamed")
            with open(f"/proc/{child.pid}/stat") as f:
                self.assertIn("(a) b (c)", f.read())
            fields = _stat_fields(child.pid)
            self.assertIn(fields[0], "RSD")  # the state
            self.assertEqual(int(fields[1]), os.getpid())  # the parent
            self.assertIn(child.pid, children_of(os.getpid()))
        finally:
            child.stdin.close()
            child.wait()
            child.stdout.close()

    def test_cpu_seconds_are_the_user_and_system_time_of_the_process(self):
        while sum(os.times()[:2]) < 0.2:
            pass
        before = sum(os.times()[:2])
        measured = cpu_seconds([os.getpid()])
        after = sum(os.times()[:2])
        self.assertGreaterEqual(measured, before - 0.02)
        self.assertLessEqual(measured, after + 0.02)

    def test_a_process_that_is_gone_raises_and_counts_nothing(self):
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()
        with self.assertRaises(OSError):
            _stat_fields(child.pid)
        self.assertEqual(cpu_seconds([child.pid]), 0.0)
        self.assertNotIn(child.pid, children_of(os.getpid()))


if __name__ == "__main__":
    unittest.main()
