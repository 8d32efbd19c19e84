import CoreStore
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

/// PostgreSQL behind a ``FaultProxy`` black hole: every metadata call ends within its deadline,
/// whether it waits for a connection, runs a point query, or is half-way through a commit
/// transaction when the black hole begins (in the fleet, uploads whose commit was in flight hung
/// past the clients' 120 s: `PostgresCall` waited for the stuck call after its deadline).
@Suite("PostgreSQL calls through a black hole", .enabled(if: LocalFleet.isAvailable))
struct PostgresBlackHoleTests {
    @Test("calls on open and new connections fail with METADATA_UNAVAILABLE within the query timeout, then recover")
    func blackHole() async throws {
        let postgres = try await PostgresServer.shared()
        let database = try await postgres.createDatabase("blackhole")
        let proxy = try FaultProxy.start(targetPort: postgres.port)
        var logger = Logger(label: "blackhole")
        logger.logLevel = .critical
        let url = "postgres://postgres@127.0.0.1:\(proxy.port)/\(database)?sslmode=disable"
        let user = try UserID(validating: "blackhole-user")
        let name = try FileName(validating: "f.bin")
        try await PostgresServer.withBackend(urls: [url], logger: logger) { backend in
            let store = backend.store
            // One open connection; the pool (4 in the test options) opens the others through the black hole.
            _ = try await store.record(userID: user, fileName: name)
            proxy.set(.blackHole)
            let started = ContinuousClock.now
            let outcomes = Outcomes()
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try await store.record(userID: user, fileName: name)
                            outcomes.add("ok")
                        } catch {
                            outcomes.add("\(error) after \(ContinuousClock.now - started)")
                        }
                    }
                }
            }
            let waited = ContinuousClock.now - started
            // The test options' query timeout is 3 s.
            #expect(waited < .seconds(8), "calls ended after \(waited): \(outcomes.all)")
            #expect(outcomes.all.allSatisfy { $0.hasPrefix("METADATA_UNAVAILABLE") }, "\(outcomes.all)")
            proxy.set(.passThrough)

            // Commit transactions in flight (every round trip slowed to 600 ms) when the black hole begins.
            proxy.set(.latency(.milliseconds(300)))
            let commitsStarted = ContinuousClock.now
            let commits = Outcomes()
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let record = FileRecord(
                            fileID: FileID.generate(), userID: user,
                            fileName: try! FileName(validating: "c\(index).bin"),
                            objectKey: ObjectKey(rawValue: "blackhole/c\(index)"), size: 1,
                            md5: MD5Hasher.digest([1]), contentType: "application/octet-stream",
                            createdAt: FileRecord.commitTime())
                        do {
                            _ = try await store.commit(record, quota: .unlimited)
                            commits.add("ok")
                        } catch {
                            commits.add("\(error) after \(ContinuousClock.now - commitsStarted)")
                        }
                    }
                }
                try? await Task.sleep(for: .milliseconds(1500))
                proxy.set(.blackHole)
            }
            let commitsWaited = ContinuousClock.now - commitsStarted
            #expect(commitsWaited < .seconds(8), "commits ended after \(commitsWaited): \(commits.all)")
            proxy.set(.passThrough)
            let recovered = await eventually {
                do {
                    _ = try await store.record(userID: user, fileName: name)
                    return true
                } catch { return false }
            }
            #expect(recovered, "calls succeed again once the black hole is lifted")
        }
        await proxy.stop()
    }
}

/// Outcomes collected from concurrent calls.
private final class Outcomes: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ outcome: String) { list.withLock { $0.append(outcome) } }
    var all: [String] { list.withLock { $0 } }
}
