import CoreStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Collects download times in memory and writes them to the metadata store in one batch every
/// few seconds, so `last_accessed_at` never costs the request path a database write.
final class AccessRecorder: Service, Sendable {
    private let pending = Mutex<[FileID: Date]>([:])
    private let metadata: any MetadataStore
    private let interval: Duration
    private let logger: Logger

    init(metadata: any MetadataStore, interval: Duration = .seconds(5), logger: Logger) {
        self.metadata = metadata
        self.interval = interval
        self.logger = logger
    }

    /// Notes one download (memory only).
    func record(_ fileID: FileID) {
        pending.withLock { $0[fileID] = Date() }
    }

    /// Writes what has been collected.
    func flush() async {
        let batch = pending.withLock { current -> [FileID: Date] in
            defer { current.removeAll(keepingCapacity: true) }
            return current
        }
        guard !batch.isEmpty else { return }
        do {
            try await metadata.recordAccess(batch)
        } catch {
            logger.warning("access times not recorded", metadata: ["error": "\(error)", "files": "\(batch.count)"])
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            await flush()
        }
    }
}
