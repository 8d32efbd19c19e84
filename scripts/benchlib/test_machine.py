"""Unit tests of the machine facts the bench report records."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.machine import data_dir_filesystem  # noqa: E402


class DataDirFilesystemTests(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="bench-machine-test-")
        self.mounts = os.path.join(self.root, "mounts")
        self.sysfs = os.path.join(self.root, "sys")
        with open(self.mounts, "w", encoding="utf-8") as f:
            f.write("/dev/vda / ext4 rw,relatime 0 0\n"
                    "tmpfs /tmp tmpfs rw 0 0\n"
                    "/dev/vdb /srv/with\\040space ext4 rw 0 0\n"
                    "/dev/vdc /srv/data ext4 rw 0 0\n")
        for device, task in (("vda", "<none>"), ("vdc", "jbd2/vdc-8")):
            os.makedirs(os.path.join(self.sysfs, "ext4", device))
            with open(os.path.join(self.sysfs, "ext4", device, "journal_task"), "w", encoding="utf-8") as f:
                f.write(task + "\n")

    def describe(self, path):
        return data_dir_filesystem(path, mounts=self.mounts, sysfs=self.sysfs)

    def test_the_longest_mount_point_holding_the_path_wins(self):
        self.assertEqual(self.describe("/srv/data/bench/x"), "ext4 on /dev/vdc at /srv/data, journal (jbd2/vdc-8)")
        self.assertEqual(self.describe("/tmp/uds-bench-1"), "tmpfs on tmpfs at /tmp")
        self.assertEqual(self.describe("/srv/database"), "ext4 on /dev/vda at /, no journal")

    def test_ext4_without_a_journal_says_so(self):
        self.assertEqual(self.describe("/work/bench"), "ext4 on /dev/vda at /, no journal")

    def test_an_escaped_mount_point_and_a_missing_sysfs_entry(self):
        self.assertEqual(self.describe("/srv/with space/b"), "ext4 on /dev/vdb at /srv/with space, journal unknown")


if __name__ == "__main__":
    unittest.main()
