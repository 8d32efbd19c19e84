"""scripts/bench split by job: constants, processes, probes, servers, load, aggregate, targets, report, cli."""
