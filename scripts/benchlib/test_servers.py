"""Unit tests of the SeaweedFS start-up the bench reads from scripts/weed-server.json."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.constants import P_WEED  # noqa: E402
from benchlib.servers import WEED_SERVER_FILE, weed_server_arguments  # noqa: E402


class WeedServerArgumentsTests(unittest.TestCase):
    def test_the_bench_ports_and_folder_fill_every_placeholder(self):
        args = weed_server_arguments("/w/weed", P_WEED, volume_size_limit_mb=1024)
        self.assertEqual(args[:2], ["server", "-dir=/w/weed/data"])
        for expected in ("-master.port=27433", "-master.port.grpc=27434", "-volume.port=27440",
                         "-volume.port.grpc=27441", "-filer.port=27488", "-filer.port.grpc=27489", "-s3.port=27483",
                         "-s3.port.grpc=27484", "-master.volumeSizeLimitMB=1024", "-s3.config=/w/weed/s3.json",
                         "-s3.localSocket=/w/weed/s3.sock", "-filer.localSocket=/w/weed/filer.sock"):
            self.assertIn(expected, args)
        self.assertEqual([a for a in args if "{" in a or "}" in a], [])

    def test_every_port_name_of_the_definition_is_a_bench_port(self):
        with open(WEED_SERVER_FILE, encoding="utf-8") as f:
            self.assertEqual(sorted(json.load(f)["ports"]), sorted(P_WEED))

    def test_a_definition_is_read_from_the_given_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"ports": ["s3"], "arguments": ["server", "-s3.port={s3}", "-dir={dir}",
                                                      "-limit={volumeSizeLimitMB}"]}, f)
        try:
            self.assertEqual(weed_server_arguments("/d", {"s3": 9}, 5, path=f.name),
                             ["server", "-s3.port=9", "-dir=/d", "-limit=5"])
        finally:
            os.unlink(f.name)


if __name__ == "__main__":
    unittest.main()
