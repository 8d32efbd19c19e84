import CoreStore
import Foundation
import Synchronization
import TestSupport

/// What the fault suite's clients were told, and the invariants that follow from it: every answer
/// is a documented one, every 200 is byte-identical on read-back, every refused upload left
/// nothing visible, and after recovery nothing leaked.
final class FaultLedger: Sendable {
    /// The outcome of every upload (each file name is uploaded once).
    private let uploads = Mutex<[String: FleetDriver.Result]>([:])
    /// Broken invariants, with what was seen.
    private let problems = Mutex<[String]>([])

    /// What went wrong so far.
    var violations: [String] { problems.withLock { $0 } }

    private func violation(_ text: String) { problems.withLock { $0.append(text) } }

    private static func key(_ file: FleetFile) -> String { file.user + "/" + file.name }

    /// Whether an answer is a documented backend-trouble answer: 503, `Retry-After`, an
    /// `…_UNAVAILABLE` code.
    static func isRetryable(_ result: FleetDriver.Result) -> Bool {
        result.status == 503 && result.retryAfter != nil && result.detail.contains("_UNAVAILABLE")
    }

    /// Records a batch of uploads and checks each answer: 200, or (when `faulty`) a documented
    /// 503. A transport error (no answer) is never acceptable from a node that stays up.
    func record(uploads results: [FleetDriver.Result], phase: String, faulty: Bool) {
        for result in results {
            uploads.withLock { $0[Self.key(result.file)] = result }
            if result.status == 200 || (faulty && Self.isRetryable(result)) { continue }
            violation("\(phase): upload \(result.file.name) → \(Self.describe(result))")
        }
        summarize(results, "\(phase) uploads")
    }

    /// Checks a batch of downloads of acknowledged files: a 200 has the acknowledged bytes; under
    /// a fault a documented 503 or a cut connection (the 200's head was already sent when the
    /// store failed mid-body) is acceptable, nothing else.
    func check(downloads results: [FleetDriver.Result], phase: String, faulty: Bool) {
        for result in results {
            if result.status == 200 {
                if result.md5 != result.file.md5 { violation("\(phase): \(result.file.name) served different bytes") }
                continue
            }
            if faulty && (Self.isRetryable(result) || result.status == -1) { continue }
            violation("\(phase): download \(result.file.name) → \(Self.describe(result))")
        }
        summarize(results, "\(phase) downloads")
    }

    /// Status, `Retry-After` and body of an answer, for a violation.
    private static func describe(_ result: FleetDriver.Result) -> String {
        "\(result.status) Retry-After \(result.retryAfter ?? "-") \(result.detail)"
    }

    private func summarize(_ results: [FleetDriver.Result], _ what: String) {
        var statuses: [Int: Int] = [:]
        for result in results { statuses[result.status, default: 0] += 1 }
        let seconds = results.map { ($0.ended - $0.started) / .seconds(1) }.max() ?? 0
        let counts = statuses.sorted { $0.key > $1.key }.map { "\($0.value)×\($0.key)" }.joined(separator: " ")
        print("faults: \(what): \(counts), slowest \(String(format: "%.1f", seconds)) s")
    }

    /// The files whose upload was answered 200.
    var acknowledged: [FleetFile] { uploads.withLock { $0.values.filter { $0.status == 200 }.map(\.file) } }

    /// After recovery: every acknowledged file is byte-identical on both download nodes, every
    /// refused one is 404 on both, each user's listing is exactly the acknowledged names, and no
    /// spool file, cache partial, multipart upload or orphan object is left (given time for the
    /// sweepers); every node answers ready and none was restarted.
    func verifyRecovered(_ bench: FaultBench) async throws {
        let outcomes = uploads.withLock { Array($0.values) }
        let answered = Dictionary(uniqueKeysWithValues: outcomes.map { (Self.key($0.file), $0) })
        var lateCommits = Set<String>()
        for node in 0..<2 {
            let reads = await bench.driver.concurrently(outcomes.map(\.file), width: 50) { file in
                try await bench.driver.download(file, via: .download(node))
            }
            for read in reads {
                let upload = answered[Self.key(read.file)]!
                let identical = read.status == 200 && read.md5 == read.file.md5
                if upload.status == 200 {
                    if !identical {
                        violation("recovered: acknowledged \(read.file.name), node \(node + 1): \(Self.describe(read))")
                    }
                } else if identical && upload.detail.contains("METADATA_UNAVAILABLE") {
                    // A commit whose answer was lost (the connection cut or black-holed after COMMIT
                    // was sent) can land after the node answered 503: the client's retry is
                    // idempotent (docs/api.md). Only the sent bytes may appear, nothing else.
                    lateCommits.insert(Self.key(read.file))
                } else if read.status != 404 {
                    violation("recovered: refused \(read.file.name), node \(node + 1): \(Self.describe(read))")
                }
            }
        }
        print("faults: \(lateCommits.count) uploads answered 503 committed late: \(lateCommits.sorted())")
        var expected: [String: [String: String]] = [:]
        for file in acknowledged + outcomes.map(\.file).filter({ lateCommits.contains(Self.key($0)) }) {
            expected[file.user, default: [:]][file.name] = file.md5.hex
        }
        for user in FleetTests.users {
            let listed = try await bench.driver.listing(user: user, via: .download(0))
            let mine = listed.filter { name, _ in answered[user + "/" + name] != nil }
            if mine != expected[user, default: [:]] {
                let count = expected[user, default: [:]].count
                violation("recovered: \(user) lists \(mine.count) of the suite's files, \(count) acknowledged")
            }
        }
        let fleet = bench.fleet
        if !(await eventually { fleet.spoolEntries().isEmpty }) {
            violation("spool files left: \(fleet.spoolEntries())")
        }
        if !(await eventually { fleet.cacheLeftovers().isEmpty }) {
            violation("cache partials left: \(fleet.cacheLeftovers())")
        }
        let store = try await bench.weed.makeStore(bucket: fleet.bucket)
        var multipart: [String] = []
        let noMultipart = try await eventually(timeout: .seconds(30)) {
            multipart = try await store.listMultipartUploads(prefix: fleet.keyPrefix).map { "\($0)" }
            return multipart.isEmpty
        }
        if !noMultipart { violation("multipart uploads left: \(multipart)") }
        var orphans: [String] = []
        let noOrphans = try await eventually(timeout: .seconds(30)) {
            orphans = try await fleet.orphanObjects()
            return orphans.isEmpty
        }
        if !noOrphans { violation("objects with no row: \(orphans)") }
        if await !bench.eventuallyReady(200) {
            let answers = await bench.readiness()
            violation("not ready after recovery: \(answers)")
        }
        let pids = bench.nodes.map(\.process.pid)
        if pids != bench.startPIDs { violation("nodes were restarted: \(bench.startPIDs) → \(pids)") }
        if !bench.nodes.allSatisfy(\.process.isRunning) { violation("a node died") }
    }
}
