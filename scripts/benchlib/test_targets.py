"""Unit tests of the target table: the targets file and how its rows are evaluated."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.targets import TargetTable, load_targets  # noqa: E402
from benchlib.test_aggregate import point  # noqa: E402


def rows(results, targets, scenarios=("a",), conns=(1, 10, 100, 1000), ready=(), checks=()):
    return TargetTable(results, list(scenarios), list(conns), list(ready), list(checks)).evaluate(targets)


class TargetsFileTests(unittest.TestCase):
    def test_every_kind_in_the_file_is_evaluated(self):
        note, targets = load_targets()
        self.assertTrue(note.startswith("Targets come from the benchmark issue"))
        for target in targets:
            self.assertTrue(callable(getattr(TargetTable, target["kind"], None)), target["kind"])


class TargetRowTests(unittest.TestCase):
    HIT = {"kind": "ratio", "scenario": "a", "case": "node-get-hit", "reference": "nginx-get", "conns": [100, 1000],
           "checks": [{"metric": "mibps", "at_least": 0.9, "name": "hit ≥ 0.9× @ {conns}"},
                      {"metric": "p95_us", "at_most": 1.1, "name": "hit p95 ≤ 1.1× @ {conns}"}]}

    def test_ratio_checks_per_connection_count_in_order(self):
        results = [point("node-get-hit", 100, mibps=95, p95_us=120_000), point("nginx-get", 100, mibps=100,
                                                                                p95_us=100_000),
                   point("node-get-hit", 1000, mibps=80, p95_us=1_000_000),
                   point("nginx-get", 1000, mibps=100, p95_us=1_000_000)]
        self.assertEqual(rows(results, [self.HIT]), [
            ("hit ≥ 0.9× @ 100", "met", "95 vs 100 MiB/s = 0.95×"),
            ("hit p95 ≤ 1.1× @ 100", "**missed**", "120 vs 100 ms = 1.20×"),
            ("hit ≥ 0.9× @ 1000", "**missed**", "80 vs 100 MiB/s = 0.80×"),
            ("hit p95 ≤ 1.1× @ 1000", "met", "1000 vs 1000 ms = 1.00×"),
        ])

    def test_a_point_with_under_ten_completions_is_inconclusive(self):
        results = [point("node-get-hit", 100, ok=9), point("nginx-get", 100)]
        self.assertEqual({r[1] for r in rows(results, [self.HIT])}, {"inconclusive (< 10 completions in the point)"})

    def test_connection_counts_not_run_and_missing_references_give_no_row(self):
        self.assertEqual(rows([point("node-get-hit", 100), point("nginx-get", 100)], [self.HIT], conns=(1, 10)), [])
        self.assertEqual(rows([point("node-get-hit", 100)], [self.HIT]), [])

    def test_crossing_with_nothing_completed_uses_the_files_wording(self):
        target = {"kind": "crossing", "scenario": "a", "case": "node-put", "limit_us": 4_000_000,
                  "at_least_conns": 500, "name": "crosses ≥ 500", "when_nothing_completed": "inconclusive (why)"}
        results = [point(conns=100, p95_us=1_000_000), point(conns=1000, ok=0)]
        [row] = rows(results, [target])
        self.assertEqual(row[:2], ("crosses ≥ 500", "inconclusive (why)"))
        [row] = rows([point(conns=100, p95_us=1_000_000), point(conns=1000, p95_us=16_000_000)], [target])
        self.assertEqual(row[:2], ("crosses ≥ 500", "**missed**"), "≈ 316 connections")

    def test_peak_rss_per_scenario_at_the_largest_connection_count(self):
        target = {"kind": "peak_rss", "at_most_mib": 256, "name": "({scenario}) RSS ≤ 256 @ {conns}"}
        results = [point("node-put", 100, peak_rss_mib={"node": 300}), point("node-put", 10, peak_rss_mib={"node": 900}),
                   point("node-put", 100, scenario="b", peak_rss_mib={"node": 100}),
                   point("nginx-get", 100, peak_rss_mib={"node": 999})]
        self.assertEqual(rows(results, [target], scenarios=("a", "b"), conns=(10, 100)), [
            ("(a) RSS ≤ 256 @ 100", "**missed**", "max 300 MiB (node-put); node-put 300"),
            ("(b) RSS ≤ 256 @ 100", "met", "max 100 MiB (node-put); node-put 100"),
        ])

    def test_cpu_per_request_takes_the_worst_point_with_ten_completions(self):
        target = {"kind": "cpu_per_request", "scenario": "a", "case": "node-put", "at_most_ms": 8.0, "name": "cpu"}
        results = [point(conns=1, cpu_ms_per_req={"node": 7.5}), point(conns=10, ok=9, cpu_ms_per_req={"node": 99}),
                   point(conns=100, cpu_ms_per_req={"node": 6.0})]
        self.assertEqual(rows(results, [target]), [("cpu", "met", "ms per request by connections: 1: 7.50, 100: 6.00")])

    def test_ready_uses_the_slowest_start(self):
        target = {"kind": "ready", "at_most_s": 1.0, "name": "ready"}
        starts = [{"seconds": 0.04}, {"seconds": 1.2}, {"seconds": 0.05}]
        self.assertEqual(rows([], [target], ready=starts), [("ready", "**missed**", "3 starts: median 50 ms, max 1200 ms")])

    def test_verified_uploads_need_zero_errors_and_every_sample_identical(self):
        target = {"kind": "verified_uploads", "scenario": "b", "cases": ["node-put"], "name": "{case} @ {conns} ok"}
        results = [point("node-put", 1000, scenario="b", ok=500)]
        good = [{"label": "node-put c=1000", "identical": 200, "sampled": 200, "listed": 500, "acknowledged": 500}]
        self.assertEqual(rows(results, [target], scenarios=("a", "b"), checks=good),
                         [("node-put @ 1000 ok", "met", "0 errors; 200/200 identical (500 listed, 500 acknowledged)")])
        bad = [dict(good[0], identical=199)]
        self.assertEqual(rows(results, [target], scenarios=("b",), checks=bad)[0][1], "**missed**")
        self.assertEqual(rows(results, [target], scenarios=("a",), checks=good), [], "scenario (b) not run")


if __name__ == "__main__":
    unittest.main()
