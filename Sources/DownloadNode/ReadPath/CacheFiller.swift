import CoreStore
import Logging
import Metrics
import NIOCore
import ServiceLifecycle
import Synchronization
import _NIOFileSystem

#if canImport(Glibc)
    import Glibc
#endif

/// Starts and tracks ``CacheFill``s: one per `FileID` at a time (concurrent misses share it).
///
/// A fill fetches the object with parallel byte-range reads (`partBytes` each, `parallelism` at a
/// time) written into the cache's temporary file at their offsets, publishes the contiguous prefix
/// as it grows, then verifies the size, records the XXH3 and commits the file to the cache.
/// Fills run as child tasks of the filler's ``run()`` (a service of the node), not of the request
/// that started them: a client that goes away does not stop a fill others share, and the node's
/// shutdown waits for the fills in progress (after the HTTP drain) instead of leaving them behind.
/// At most ``FillSlots/limit`` fills run at once; later ones queue (``slots``).
final class CacheFiller: Service, Sendable {
    private let cache: DiskLRUCache
    private let objectStore: any ObjectStore
    private let blobCache: (any BlobCache)?
    private let redisMaxBytes: Int64
    private let partBytes: Int64
    /// At most this many pushes into Redis at once.
    private let pushGate = BlobPushGate()
    private let parallelism: Int
    /// The running fills' slots; queued fills wait here.
    let slots: FillSlots
    private let logger: Logger
    private let running = Mutex<[FileID: CacheFill]>([:])
    /// Fills started and not yet taken up by ``run()``.
    private let starts: AsyncStream<@Sendable () async -> Void>
    private let startsInput: AsyncStream<@Sendable () async -> Void>.Continuation

    init(
        cache: DiskLRUCache, objectStore: any ObjectStore, blobCache: (any BlobCache)?, redisMaxBytes: Int64,
        partBytes: Int64, parallelism: Int, maxConcurrentFills: Int, logger: Logger
    ) {
        self.cache = cache
        self.objectStore = objectStore
        self.blobCache = blobCache
        self.redisMaxBytes = redisMaxBytes
        self.partBytes = max(1, partBytes)
        self.parallelism = max(1, parallelism)
        self.slots = FillSlots(limit: maxConcurrentFills)
        self.logger = logger
        (starts, startsInput) = AsyncStream.makeStream()
    }

    /// Runs the fills started with ``fill(_:)`` as child tasks until graceful shutdown (or
    /// cancellation); then takes no new fill and returns once the running and queued ones have
    /// ended. A fill started after that fails with `.shuttingDown`. When cancelled, running fills
    /// are cancelled and fills not yet started are dropped (the process is going away).
    func run() async throws {
        await withDiscardingTaskGroup { group in
            await withGracefulShutdownHandler {
                for await start in starts {
                    group.addTask { await start() }
                }
            } onGracefulShutdown: {
                self.startsInput.finish()
            }
            // Cancelled: later fills fail at once instead of waiting for a consumer that is gone.
            startsInput.finish()
        }
    }

    /// The fill of `record`, joining one in progress or starting it.
    func fill(_ record: FileRecord) -> CacheFill {
        let (fill, pending, isNew) = running.withLock { running -> (CacheFill, PendingCacheFile?, Bool) in
            if let existing = running[record.fileID] { return (existing, nil, false) }
            let pending = cache.beginInsert(record.fileID, expectedSize: record.size)
            let fill = CacheFill(path: pending.path, size: record.size)
            running[record.fileID] = fill
            return (fill, pending, true)
        }
        if isNew, let pending {
            Counter(label: "uds_cache_requests_total", dimensions: [("tier", "store"), ("result", "fetch")]).increment()
            let started = startsInput.yield { await self.perform(fill, pending: pending, record: record) }
            if case .terminated = started {
                _ = running.withLock { $0.removeValue(forKey: record.fileID) }
                cache.abandonInsert(pending)
                fill.finish(.failed(CoreStoreError(.shuttingDown)))
            }
        }
        return fill
    }

    private func perform(_ fill: CacheFill, pending: PendingCacheFile, record: FileRecord) async {
        defer { _ = running.withLock { $0.removeValue(forKey: record.fileID) } }
        await slots.acquire()
        defer { slots.release() }
        guard let file = try? OpenFile(path: pending.path, flags: O_RDWR | O_CREAT | O_TRUNC) else {
            cache.abandonInsert(pending)
            fill.finish(.failed(CoreStoreError(.insufficientStorage)))
            return
        }
        PrivateFileModes.restrict(descriptor: file.descriptor)
        do {
            try await fetchParts(record, into: file, fill: fill)
            let hasher = XXH3Hasher()
            try await FileSystem.shared.withFileHandle(forReadingAt: .init(pending.path)) { handle in
                for try await chunk in handle.readChunks(in: 0..<record.size, chunkLength: .kibibytes(256)) {
                    chunk.withUnsafeReadableBytes { hasher.update($0) }
                }
            }
            let file = try cache.commitInsert(pending, size: record.size, xxh3: hasher.digest())
            fill.finish(.finished(file))
            if let file, let blobCache, record.size <= redisMaxBytes {
                await pushGate.ifAvailable {
                    try? await blobCache.store(fileAt: file.path, size: file.size, for: file.fileID)
                }
            }
        } catch {
            cache.abandonInsert(pending)
            let failure = (error as? CoreStoreError) ?? CoreStoreError(.objectStoreUnavailable)
            logger.warning("cache fill failed", metadata: ["file.id": "\(record.fileID)", "error": "\(error)"])
            fill.finish(.failed(failure))
        }
    }

    /// Ranged reads of every part, at most `parallelism` at once, each written at its offset.
    private func fetchParts(_ record: FileRecord, into file: OpenFile, fill: CacheFill) async throws {
        let parts = stride(from: Int64(0), to: record.size, by: Int(partBytes)).map {
            $0...min($0 + partBytes, record.size) - 1
        }
        let tracker = PartProgress(parts: parts)
        let key = record.objectKey
        let store = objectStore
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = parts.indices.makeIterator()
            func launch() {
                guard let index = next.next() else { return }
                let range = parts[index]
                group.addTask {
                    let whole = parts.count == 1 ? nil : range
                    try await store.streamObject(key: key, range: whole) { chunk in
                        let offset = range.lowerBound + tracker.filled(index)
                        let failure = chunk.withUnsafeReadableBytes { bytes -> FileCallError? in
                            do throws(FileCallError) { try file.writeAll(bytes, at: offset) } catch { return error }
                            return nil
                        }
                        if let failure { throw failure.coreStoreError(otherwise: .insufficientStorage) }
                        fill.advance(to: tracker.add(Int64(chunk.readableBytes), to: index))
                    }
                    guard tracker.filled(index) == Int64(range.count) else {
                        throw CoreStoreError(.objectStoreUnavailable)
                    }
                }
            }
            for _ in 0..<parallelism { launch() }
            while try await group.next() != nil { launch() }
        }
    }
}

/// Bytes written per part, and the contiguous prefix they add up to.
private final class PartProgress: Sendable {
    private let parts: [ClosedRange<Int64>]
    private let filledBytes: Mutex<[Int64]>

    init(parts: [ClosedRange<Int64>]) {
        self.parts = parts
        filledBytes = Mutex(Array(repeating: 0, count: parts.count))
    }

    func filled(_ index: Int) -> Int64 { filledBytes.withLock { $0[index] } }

    /// Adds bytes to a part; returns the contiguous prefix length.
    func add(_ count: Int64, to index: Int) -> Int64 {
        filledBytes.withLock { filled in
            filled[index] += count
            var contiguous: Int64 = 0
            for (part, bytes) in zip(parts, filled) {
                contiguous += bytes
                if bytes < Int64(part.count) { break }
            }
            return contiguous
        }
    }
}
