import CoreStore
import Logging
import NodeHTTP
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@testable import DownloadNode

/// The fill a test holds, and its progress at the moment the filler's service group returned.
private final class ObservedFill: Sendable {
    let fill = Mutex<CacheFill?>(nil)
    let progressAtReturn = Mutex<CacheFill.Progress?>(nil)

    func recordProgressAtReturn() {
        let progress = fill.withLock { $0 }?.progress
        progressAtReturn.withLock { $0 = progress }
    }
}

/// The cache filler as a service: the node's shutdown waits for the fills in progress.
@Suite("cache filler shutdown", .timeLimit(.minutes(2)))
struct CacheFillerShutdownTests {
    @Test(
        "graceful shutdown: the filler returns only after the fill in progress committed; a later fill fails SHUTTING_DOWN"
    )
    func shutdownWaitsForTheRunningFill() async throws {
        let parts = try await TestNode.parts(role: .download)
        let bytes = MultipartBody.randomBytes(2 * 1024 * 1024, seed: 61)
        let record = try await FileSeeder.seed(bytes, user: "alice", name: "held.bin", parts: parts)
        let later = try await FileSeeder.seed(Array(bytes.prefix(1000)), user: "alice", name: "late.bin", parts: parts)
        let (gated, cache, filler, reader) = try CacheFillTests.gatedReadPath(parts, maxConcurrentFills: 4)
        let group = ServiceGroup(configuration: .init(services: [filler], logger: TestNode.logger))
        let observed = ObservedFill()

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await group.run()
                observed.recordProgressAtReturn()
            }
            let source = try await reader.locate(record, range: nil)
            guard case .filling(let fill, _) = source else {
                Issue.record("expected a fill in progress, got \(source)")
                await group.triggerGracefulShutdown()
                gated.release()
                return
            }
            observed.fill.withLock { $0 = fill }
            await group.triggerGracefulShutdown()
            gated.release()  // the fill holds the rest of the object until now
            try await tasks.waitForAll()
        }

        let progressAtReturn = observed.progressAtReturn.withLock { $0 }
        guard case .finished(let committed?) = progressAtReturn else {
            Issue.record("the filler returned before its fill ended: \(String(describing: progressAtReturn))")
            return
        }
        #expect(cache.lookup(record.fileID)?.path == committed.path, "the fill committed its file to the cache")
        guard case .failed(let error) = filler.fill(later).progress else {
            Issue.record("a fill started after the shutdown was accepted")
            return
        }
        #expect(error.code == .shuttingDown)
        #expect(cache.lookup(later.fileID) == nil)
    }
}
