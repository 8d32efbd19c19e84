"""Unit tests of the pure functions over results: median_rounds, crossing, ms."""

import math
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchlib.aggregate import crossing, median_rounds, ms  # noqa: E402


def point(case="node-put", conns=100, mibps=100.0, p95_us=1000, ok=100, scenario="a", **extra):
    """One wrk result as Bench.wrk records it (only the fields the aggregation reads)."""
    x = dict(scenario=scenario, case=case, conns=conns, mibps=mibps, rps=mibps / 5, ok=ok, duration_s=3.0,
             p50_us=p95_us // 2, p95_us=p95_us, p99_us=p95_us * 2, err_connect=0, err_read=0, err_write=0,
             err_timeout=0, err_status=0, cpu_ms_per_req={"node": 1.0}, peak_rss_mib={"node": 50.0})
    x.update(extra)
    return x


class MedianRoundsTests(unittest.TestCase):
    def test_a_single_round_is_kept_as_it_is(self):
        x = point()
        self.assertEqual(median_rounds([x]), [x])
        self.assertNotIn("rounds", median_rounds([x])[0])

    def test_three_rounds_keep_the_median_throughput_round_and_median_latencies(self):
        rounds = [point(mibps=300, p95_us=9000, err_status=1, cpu_ms_per_req={"node": 3.0}, peak_rss_mib={"node": 10}),
                  point(mibps=100, p95_us=1000, err_status=2, cpu_ms_per_req={"node": 1.0}, peak_rss_mib={"node": 70}),
                  point(mibps=200, p95_us=5000, err_status=4, cpu_ms_per_req={"node": 2.0}, peak_rss_mib={"node": 30})]
        [agg] = median_rounds(rounds)
        self.assertEqual(agg["mibps"], 200)
        self.assertEqual(agg["p95_us"], 5000)
        self.assertEqual(agg["p50_us"], 2500)
        self.assertEqual(agg["err_status"], 7, "errors are summed over the rounds")
        self.assertEqual(agg["cpu_ms_per_req"], {"node": 2.0})
        self.assertEqual(agg["peak_rss_mib"], {"node": 70}, "the largest RSS of the rounds")
        self.assertEqual([r["mibps"] for r in agg["rounds"]], [300, 100, 200], "every round kept in run order")

    def test_rounds_are_grouped_by_scenario_case_and_connections(self):
        xs = [point(conns=10, mibps=1), point(conns=100, mibps=2), point(conns=100, mibps=3),
              point(case="nginx-get", conns=100, mibps=4), point(scenario="b", conns=100, mibps=5)]
        out = median_rounds(xs)
        self.assertEqual(sorted((x["scenario"], x["case"], x["conns"]) for x in out),
                         [("a", "nginx-get", 100), ("a", "node-put", 10), ("a", "node-put", 100),
                          ("b", "node-put", 100)])

    def test_a_cpu_figure_missing_in_every_round_stays_missing(self):
        xs = [point(mibps=1, cpu_ms_per_req={"node": None}), point(mibps=2, cpu_ms_per_req={"node": None})]
        self.assertEqual(median_rounds(xs)[0]["cpu_ms_per_req"], {"node": None})

    def test_a_cpu_figure_missing_in_some_rounds_takes_the_median_of_the_others(self):
        xs = [point(mibps=1, cpu_ms_per_req={"node": None}), point(mibps=2, cpu_ms_per_req={"node": 4.0}),
              point(mibps=3, cpu_ms_per_req={"node": 6.0})]
        self.assertEqual(median_rounds(xs)[0]["cpu_ms_per_req"], {"node": 6.0})


class CrossingTests(unittest.TestCase):
    def test_log_interpolation_between_the_points_around_the_limit(self):
        xs = [point(conns=100, p95_us=1_000_000), point(conns=1000, p95_us=16_000_000)]
        est, text = crossing(xs, "a", "node-put")
        # log p95 is linear in log conns: 4 s is half-way from 1 s to 16 s, so at sqrt(100 * 1000).
        self.assertAlmostEqual(est, math.sqrt(100 * 1000), places=6)
        self.assertEqual(text, "≈ 316 (between 100 and 1000, log interpolation)")

    def test_not_crossed(self):
        xs = [point(conns=1, p95_us=10), point(conns=100, p95_us=3_999_999)]
        self.assertEqual(crossing(xs, "a", "node-put"), (math.inf, "> 100 (not crossed)"))

    def test_already_over_at_the_first_point(self):
        xs = [point(conns=10, p95_us=5_000_000), point(conns=100, p95_us=9_000_000)]
        self.assertEqual(crossing(xs, "a", "node-put"), (10, "≤ 10 (already at the first point)"))

    def test_a_point_without_completions_counts_as_over_and_is_named(self):
        xs = [point(conns=100, p95_us=1_000_000), point(conns=1000, p95_us=0, ok=0)]
        self.assertEqual(crossing(xs, "a", "node-put"),
                         (1000, "between 100 and 1000 (no request completed within the 1000-connection point)"))

    def test_no_points(self):
        self.assertEqual(crossing([point(case="node-post")], "a", "node-put"), (None, "n/a"))

    def test_other_scenarios_and_cases_are_ignored(self):
        xs = [point(conns=100, p95_us=1_000), point(scenario="b", conns=1000, p95_us=9_000_000),
              point(case="node-post", conns=1000, p95_us=9_000_000)]
        self.assertEqual(crossing(xs, "a", "node-put"), (math.inf, "> 100 (not crossed)"))

    def test_points_are_taken_in_connection_order(self):
        xs = [point(conns=1000, p95_us=16_000_000), point(conns=100, p95_us=1_000_000)]
        self.assertAlmostEqual(crossing(xs, "a", "node-put")[0], math.sqrt(100 * 1000), places=6)


class MillisecondsTests(unittest.TestCase):
    def test_one_decimal_below_ten_milliseconds_none_above(self):
        self.assertEqual(ms(9_949), "9.9")
        self.assertEqual(ms(10_000), "10")
        self.assertEqual(ms(1_705_400), "1705")


if __name__ == "__main__":
    unittest.main()
