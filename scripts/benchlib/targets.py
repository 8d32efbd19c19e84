"""The report's target table: the targets are data (targets.json); this evaluates them against
the median results of a run."""

import json
import os

from . import aggregate
from .aggregate import ms

TARGETS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "targets.json")


def load_targets(path=TARGETS_FILE):
    """(note, target definitions) from the targets file."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return doc["note"], doc["targets"]


class TargetTable:
    """Rows (target, result, measured) for a run's results (one per point, rounds already merged
    by ``median_rounds``), its scenarios, connection counts, node start times and verifications."""

    def __init__(self, results, scenarios, conns, ready, checks):
        self.r = results
        self.scenarios = scenarios
        self.conns = conns
        self.starts = ready
        self.checks = checks
        self.rows = []

    def get(self, sc, case, conns):
        """The merged result of one (scenario, case, connections), or None."""
        return next((x for x in self.r if x["scenario"] == sc and x["case"] == case and x["conns"] == conns), None)

    def add(self, name, ok, detail, *points):
        """Adds a met / missed / n/a row, inconclusive when a point completed fewer than 10 requests."""
        if any(p is not None and p["ok"] < 10 for p in points):
            self.rows.append((name, "inconclusive (< 10 completions in the point)", detail))
            return
        self.rows.append((name, "n/a" if ok is None else ("met" if ok else "**missed**"), detail))

    def evaluate(self, targets):
        """The rows of `targets` (definitions as in targets.json), in their order."""
        for target in targets:
            getattr(self, target["kind"])(target)
        return self.rows

    def ratio(self, t):
        """Node against reference at each listed connection count that was run."""
        for c in (c for c in t["conns"] if c in self.conns):
            n, ref = self.get(t["scenario"], t["case"], c), self.get(t["scenario"], t["reference"], c)
            if not (n and ref):
                continue
            for check in t["checks"]:
                name = check["name"].format(conns=c)
                if check["metric"] == "mibps":
                    ratio = n["mibps"] / ref["mibps"] if ref["mibps"] else 0
                    self.add(name, ratio >= check["at_least"],
                             f"{n['mibps']:.0f} vs {ref['mibps']:.0f} MiB/s = {ratio:.2f}×", n, ref)
                else:
                    ratio = n["p95_us"] / max(ref["p95_us"], 1)
                    self.add(name, ratio <= check["at_most"],
                             f"{ms(n['p95_us'])} vs {ms(ref['p95_us'])} ms = {ratio:.2f}×", n, ref)

    def p95(self, t):
        """The node's p95 at one connection count against a bound."""
        n = self.get(t["scenario"], t["case"], t["conns"])
        if n:
            self.add(t["name"], n["p95_us"] <= t["at_most_us"], f"p95 {ms(n['p95_us'])} ms", n)

    def cpu_per_request(self, t):
        """The worst node CPU per request over the points with 10 completions or more."""
        pts = [x for x in self.r if x["scenario"] == t["scenario"] and x["case"] == t["case"] and x["ok"] >= 10]
        if pts:
            worst = max(pts, key=lambda x: x["cpu_ms_per_req"]["node"])
            per = ", ".join(f"{x['conns']}: {x['cpu_ms_per_req']['node']:.2f}" for x in pts)
            self.add(t["name"], worst["cpu_ms_per_req"]["node"] <= t["at_most_ms"],
                     f"ms per request by connections: {per}")

    def crossing(self, t):
        """Where the p95 crosses the limit, against a least connection count."""
        est, text = aggregate.crossing(self.r, t["scenario"], t["case"], t["limit_us"])
        if "no request completed" in text:
            self.rows.append((t["name"], t["when_nothing_completed"], text))
        elif est is not None:
            self.add(t["name"], est >= t["at_least_conns"], text)

    def peak_rss(self, t):
        """The largest node RSS at the top connection count, per scenario."""
        top = max(self.conns)
        for sc in self.scenarios:
            pts = [x for x in self.r if x["scenario"] == sc and x["case"].startswith("node") and x["conns"] == top]
            if pts:
                worst = max(pts, key=lambda x: x["peak_rss_mib"]["node"])
                self.add(t["name"].format(scenario=sc, conns=top), worst["peak_rss_mib"]["node"] <= t["at_most_mib"],
                         f"max {worst['peak_rss_mib']['node']:.0f} MiB ({worst['case']}); " +
                         ", ".join(f"{x['case']} {x['peak_rss_mib']['node']:.0f}" for x in pts))

    def ready(self, t):
        """The slowest node start to /readyz 200."""
        if self.starts:
            worst = max(x["seconds"] for x in self.starts)
            med = sorted(x["seconds"] for x in self.starts)[len(self.starts) // 2]
            self.add(t["name"], worst <= t["at_most_s"],
                     f"{len(self.starts)} starts: median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms")

    def verified_uploads(self, t):
        """Scenario (b) uploads at the top connection count: no errors and every sampled download identical."""
        if t["scenario"] not in self.scenarios:
            return
        top = max(self.conns)
        for case in t["cases"]:
            n = self.get(t["scenario"], case, top)
            chk = next((c for c in self.checks if c["label"] == f"{case} c={top}"), None)
            if not n:
                continue
            name = t["name"].format(case=case, conns=top)
            errs = n["err_connect"] + n["err_read"] + n["err_write"] + n["err_timeout"] + n["err_status"]
            good = chk and chk["identical"] == chk["sampled"] and chk["sampled"] >= min(200, n["ok"])
            if n["ok"] < 10:
                self.rows.append((name, "**not shown** (< 10 uploads acknowledged within the point)",
                                  f"{errs} errors; {n['ok']} acknowledged; " +
                                  (f"{chk['identical']}/{chk['sampled']} of the committed ones identical"
                                   if chk else "")))
                continue
            self.add(name, errs == 0 and bool(good),
                     f"{errs} errors; " + (f"{chk['identical']}/{chk['sampled']} identical "
                                           f"({chk['listed']} listed, {chk['acknowledged']} acknowledged)"
                                           if chk else "no verification"))
