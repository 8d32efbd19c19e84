import CoreStore
import Foundation
import TestSupport
import Testing

/// Faults between the nodes and their backends (issue 19): the fleet of ``FaultBench`` talks to
/// SeaweedFS, redis-server and PostgreSQL through ``FaultProxy``s whose faults are switched while
/// transfers run, and the servers are killed (`kill -9`) and restarted mid-run. Checked throughout:
/// every answer is 200 or a documented 503 with `Retry-After`; every 200 reads back byte-identical;
/// every refused upload left nothing visible; `/readyz` says 503 while a required backend is gone
/// and 200 once it is back; afterwards no spool file, cache partial, multipart upload or orphan
/// object is left and no node was restarted (``FaultLedger``).
@Suite(
    "fault injection: proxies between the nodes and SeaweedFS, Redis, PostgreSQL; kill -9 of the servers",
    .serialized, .enabled(if: LocalFleet.isAvailable))
struct FaultInjectionTests {
    /// How many times each test runs its fault sequence: `UDS_FAULT_ROUNDS` (default 1), for
    /// longer runs by hand (docs/testing.md).
    static let rounds = max(1, Int(ProcessInfo.processInfo.environment["UDS_FAULT_ROUNDS"] ?? "") ?? 1)

    @Test("latency, resets mid-body, black holes and slow closes between the nodes and every backend")
    func proxiedFaults() async throws {
        let bench = try await FaultBench.start(label: "faults")
        let ledger = FaultLedger()
        do {
            for round in 0..<Self.rounds { try await Self.proxiedFaults(bench, ledger, first: round * 100_000) }
            try await ledger.verifyRecovered(bench)
        } catch {
            await bench.stop()
            throw error
        }
        await bench.stop()
        let violations = ledger.violations
        #expect(violations.isEmpty, "\(violations.count) violations:\n\(violations.prefix(20).joined(separator: "\n"))")
    }

    /// One round of faults; file indices from `first` on.
    static func proxiedFaults(_ bench: FaultBench, _ ledger: FaultLedger, first: Int) async throws {
        // 1. Latency on every backend (2 ms per chunk of S3, 1 ms of Redis and PostgreSQL): no failures.
        bench.s3.set(.latency(.milliseconds(2)))
        bench.redis.set(.latency(.milliseconds(1)))
        bench.postgres.set(.latency(.milliseconds(1)))
        let slow = FleetFile.faultBatch(first: first, count: 100)
        ledger.record(uploads: try await bench.transfers(slow, bench.upload), phase: "latency", faulty: false)
        ledger.check(downloads: try await bench.transfers(slow, bench.download), phase: "latency", faulty: false)
        for proxy in bench.proxies { proxy.set(.passThrough) }

        // 2. S3 connections reset 300 kB into what the node sends (PUT and UploadPart bodies) while
        //    uploads run; lifted after 60 of 100 answers.
        let resetUp = FleetFile.faultBatch(first: first + 1000, count: 100)
        ledger.record(
            uploads: try await bench.transfers(resetUp, bench.upload) { progress in
                await progress.wait(for: 10)
                bench.s3.set(.reset(afterBytes: 300_000, direction: .toTarget))
                await progress.wait(for: 60)
                bench.s3.set(.passThrough)
            }, phase: "S3 reset mid-request", faulty: true)
        print("faults: S3 proxy \(bench.s3.counts)")

        // 3. S3 connections reset 200 kB into what the store sends (GET bodies of cache fills):
        //    first reads of the files acknowledged in 2 (too large for Redis, not cached yet).
        let names = Set(resetUp.map(\.name))
        let acknowledged = ledger.acknowledged.filter { names.contains($0.name) && $0.bytes.count > 100_000 }
        bench.s3.set(.reset(afterBytes: 200_000, direction: .toClient))
        ledger.check(
            downloads: try await bench.transfers(acknowledged, bench.download), phase: "S3 reset mid-response",
            faulty: true)
        bench.s3.set(.passThrough)

        // 4. Redis connections reset 50 kB into replies, then PostgreSQL connections reset 3 kB into
        //    answers (a query, or a commit's reply, cut off), during uploads; then first reads of
        //    the 100 kB files acknowledged (pushed to Redis by the upload) with the Redis reset
        //    on: each blob reply is cut half-way, and the download node must fall back to S3.
        let resetMeta = FleetFile.faultBatch(first: first + 2000, count: 100)
        ledger.record(
            uploads: try await bench.transfers(resetMeta, bench.upload) { progress in
                bench.redis.set(.reset(afterBytes: 50_000, direction: .toClient))
                await progress.wait(for: 20)
                bench.postgres.set(.reset(afterBytes: 3_000, direction: .toClient))
                await progress.wait(for: 70)
                bench.postgres.set(.passThrough)
            }, phase: "Redis and PostgreSQL resets", faulty: true)
        let metaNames = Set(resetMeta.map(\.name))
        let pushed = ledger.acknowledged.filter { metaNames.contains($0.name) && $0.bytes.count == 100_000 }
        let resetsBefore = bench.redis.counts.resets
        ledger.check(
            downloads: try await bench.transfers(pushed, bench.download), phase: "Redis reset mid-reply", faulty: true)
        #expect(bench.redis.counts.resets > resetsBefore, "Redis replies of \(pushed.count) reads were cut")
        bench.redis.set(.passThrough)
        print("faults: Redis proxy \(bench.redis.counts), PostgreSQL proxy \(bench.postgres.counts)")

        // 5. Black holes, one backend at a time, with transfers in flight: S3 and PostgreSQL make
        //    every node unready (503 within the probe's 5 s), Redis only shows as down; lifted,
        //    every node is ready again by itself.
        let holes = [(bench.s3, true, "S3"), (bench.postgres, true, "PostgreSQL"), (bench.redis, false, "Redis")]
        for (index, (proxy, required, name)) in holes.enumerated() {
            let batch = FleetFile.faultBatch(first: first + 3000 + index * 100, count: 40)
            ledger.record(
                uploads: try await bench.transfers(batch, bench.upload) { progress in
                    await progress.wait(for: 5)
                    proxy.set(.blackHole)
                    await bench.expectReadiness(required ? 503 : 200, "\(name) black hole") {
                        required || $0.contains(#""redis":"down""#)
                    }
                    proxy.set(.passThrough)
                    await bench.expectReadiness(200, "\(name) back")
                }, phase: "\(name) black hole", faulty: true)
        }

        // 6. Slow closes (300 ms) and latency on every backend: no failures.
        for proxy in bench.proxies { proxy.set(.slowClose(.milliseconds(300))) }
        let closing = FleetFile.faultBatch(first: first + 4000, count: 100)
        ledger.record(uploads: try await bench.transfers(closing, bench.upload), phase: "slow close", faulty: false)
        ledger.check(downloads: try await bench.transfers(closing, bench.download), phase: "slow close", faulty: false)
        for proxy in bench.proxies { proxy.set(.passThrough) }
    }

    @Test("kill -9 and restart of redis-server, SeaweedFS and PostgreSQL during 200 concurrent transfers")
    func serverKills() async throws {
        let bench = try await FaultBench.start(label: "kills")
        let ledger = FaultLedger()
        do {
            for round in 0..<Self.rounds { try await Self.serverKills(bench, ledger, first: 10_000 + round * 100_000) }
            try await ledger.verifyRecovered(bench)
        } catch {
            await bench.stop()
            throw error
        }
        await bench.stop()
        let violations = ledger.violations
        #expect(violations.isEmpty, "\(violations.count) violations:\n\(violations.prefix(20).joined(separator: "\n"))")
    }

    /// One round of kills; file indices from `first` on.
    static func serverKills(_ bench: FaultBench, _ ledger: FaultLedger, first: Int) async throws {
        // 200 uploads: redis-server killed after 30 answers and restarted at once; SeaweedFS killed
        // after 100, the nodes unready while it is down, restarted, the nodes ready again;
        // PostgreSQL (both shards) killed after 150, the same, and the nodes reconnect by themselves.
        let files = FleetFile.faultBatch(first: first, count: 200)
        ledger.record(
            uploads: try await bench.transfers(files, bench.upload) { progress in
                await progress.wait(for: 30)
                await bench.killRedis()
                try await bench.restartRedis()
                await progress.wait(for: 100)
                await bench.weed.kill()
                await bench.expectReadiness(503, "SeaweedFS down")
                try await bench.restartWeed()
                await bench.expectReadiness(200, "SeaweedFS back")
                await progress.wait(for: 150)
                await bench.killPostgres()
                await bench.expectReadiness(503, "PostgreSQL down")
                try await bench.restartPostgres()
                await bench.expectReadiness(200, "PostgreSQL back")
            }, phase: "kills during uploads", faulty: true)

        // Every acknowledged file read once (cold caches), SeaweedFS killed after a third of the
        // reads and restarted, PostgreSQL after half, redis-server after two thirds.
        let names = Set(files.map(\.name))
        let acknowledged = ledger.acknowledged.filter { names.contains($0.name) }
        ledger.check(
            downloads: try await bench.transfers(acknowledged, bench.download) { progress in
                await progress.wait(for: acknowledged.count / 3)
                await bench.weed.kill()
                try await bench.restartWeed()
                await progress.wait(for: acknowledged.count / 2)
                await bench.killPostgres()
                try await bench.restartPostgres()
                await progress.wait(for: acknowledged.count * 2 / 3)
                await bench.killRedis()
                try await bench.restartRedis()
            }, phase: "kills during downloads", faulty: true)
    }
}
