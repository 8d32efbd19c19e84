public import Logging
public import NIOCore
import Synchronization

/// The node-local cache of whole objects on disk, keyed by ``FileID``, bounded in bytes, LRU.
///
/// Layout: `<dir>/objects/<fileid>` (data), `<dir>/objects/<fileid>.meta` (a sidecar with the
/// size and XXH3-64 recorded at insert), `<dir>/tmp/` (inserts in progress). ``open()`` trusts a
/// data file again only if its sidecar matches its size and hash.
///
/// A `final class` with two locks rather than an actor: ``lookup(_:)`` and ``shouldAdmit(_:size:)``
/// are synchronous and memory-only (no executor hop on the hot path, usable from any thread),
/// and file-system calls never run while the index lock is held. Methods that touch the disk
/// (``open()``, ``commitInsert(_:size:xxh3:)``, ``insert(_:bytes:)``, ``remove(_:)``, and
/// ``beginInsert(_:expectedSize:)`` when it must evict) block: call them from a ``BlockingPool``
/// thread or at start-up. Renames into and unlinks from `objects/` are serialised by a second
/// lock, so an eviction can never delete a file that a concurrent insert has just put in place.
public final class DiskLRUCache: Sendable {
    /// The cache directory.
    public let directory: String
    /// Upper bound on the bytes of committed entries plus reservations of pending inserts.
    public let capacityBytes: Int64
    /// Larger objects are never cached.
    public let maxObjectBytes: Int64
    /// Objects larger than this are admitted only on their second miss within the admission window.
    public let admitAfterAccessesAbove: Int64

    let logger: Logger
    let objectsDirectory: String
    let temporaryDirectory: String
    let state: Mutex<State>
    /// Serialises renames into and unlinks from `objects/` (never held together with I/O-free paths).
    let fileSystemLock = Mutex(())

    struct State {
        var index = LRUIndex()
        var doorkeeper: AdmissionDoorkeeper
        var pending: [UInt64: PendingCacheFile] = [:]
        var pendingIDs: [FileID: Int] = [:]
        var reservedBytes: Int64 = 0
        var nextToken: UInt64 = 0
    }

    /// Creates the cache object; call ``open()`` before use.
    /// - Parameters:
    ///   - directory: The cache directory (created by ``open()``).
    ///   - capacityBytes: Bound on cached bytes.
    ///   - maxObjectBytes: Larger objects are never cached (clamped to the capacity).
    ///   - admitAfterAccessesAbove: Objects above this size are admitted only on their second miss.
    ///   - admissionWindow: How long a first miss is remembered (default one hour).
    ///   - logger: Receives recovery and I/O problems.
    public init(
        directory: String, capacityBytes: Int64, maxObjectBytes: Int64, admitAfterAccessesAbove: Int64,
        admissionWindow: Duration = .seconds(3600), logger: Logger
    ) {
        self.directory = directory
        self.capacityBytes = max(0, capacityBytes)
        self.maxObjectBytes = min(maxObjectBytes, max(0, capacityBytes))
        self.admitAfterAccessesAbove = admitAfterAccessesAbove
        self.logger = logger
        objectsDirectory = directory + "/objects"
        temporaryDirectory = directory + "/tmp"
        state = Mutex(State(doorkeeper: AdmissionDoorkeeper(window: admissionWindow, capacity: 100_000)))
    }

    /// Bytes of committed entries.
    public var usedBytes: Int64 { state.withLock { $0.index.totalBytes } }

    /// Number of committed entries.
    public var count: Int { state.withLock { $0.index.count } }

    /// The cached file of a version, marked most recently used; `nil` on a miss. Memory only.
    /// - Parameter id: The version.
    public func lookup(_ id: FileID) -> CachedFile? {
        guard let size = state.withLock({ $0.index.touch(id) }) else { return nil }
        return CachedFile(fileID: id, path: dataPath(id), size: size)
    }

    /// Records a miss and answers whether the object should be cached: never above
    /// ``maxObjectBytes``; always up to ``admitAfterAccessesAbove``; in between only when the same
    /// id already missed within the admission window. Memory only.
    /// - Parameters:
    ///   - id: The version that missed.
    ///   - size: Its size.
    public func shouldAdmit(_ id: FileID, size: Int64) -> Bool {
        guard size >= 0, size <= maxObjectBytes else { return false }
        guard size > admitAfterAccessesAbove else { return true }
        return state.withLock { $0.doorkeeper.recordMiss(id) }
    }

    /// Starts an insert: returns a temporary path in `tmp/` for the writer to create and fill.
    /// - Parameters:
    ///   - id: The version to cache.
    ///   - expectedSize: Bytes to reserve now (evicting if needed), so concurrent writers cannot
    ///     overfill the disk; 0 reserves nothing.
    public func beginInsert(_ id: FileID, expectedSize: Int64 = 0) -> PendingCacheFile {
        let reserve = min(max(0, expectedSize), maxObjectBytes)
        let pending = state.withLock { state in
            state.nextToken += 1
            let pending = PendingCacheFile(
                fileID: id, path: "\(temporaryDirectory)/\(id.rawValue).\(state.nextToken)", reservedBytes: reserve,
                token: state.nextToken)
            state.pending[pending.token] = pending
            state.pendingIDs[id, default: 0] += 1
            state.reservedBytes += reserve
            return pending
        }
        if reserve > 0 { evictToCapacity(protecting: id) }
        return pending
    }

    /// Publishes a filled temporary file: writes the sidecar, renames both into `objects/`,
    /// accounts the size and evicts least recently used entries beyond the capacity.
    /// - Parameters:
    ///   - pending: The insert from ``beginInsert(_:expectedSize:)``.
    ///   - size: The number of bytes written (checked against the file).
    ///   - xxh3: XXH3-64 of those bytes (recorded in the sidecar, verified after a restart).
    /// - Returns: The cached file, or `nil` when the object is larger than ``maxObjectBytes`` (then dropped).
    /// - Throws: `.insufficientStorage` on a full disk, `.internalError` for an unknown or mis-sized
    ///   insert or another I/O failure; the temporary file is deleted in every case.
    @discardableResult
    public func commitInsert(_ pending: PendingCacheFile, size: Int64, xxh3: UInt64) throws -> CachedFile? {
        guard state.withLock({ $0.pending[pending.token] != nil }) else {
            logger.error("cache commit of unknown insert", metadata: ["file.id": "\(pending.fileID)"])
            CacheFileIO.remove(pending.path, logger: logger)
            throw CoreStoreError(.internalError)
        }
        guard size <= maxObjectBytes else {
            abandonInsert(pending)
            return nil
        }
        guard let status = CacheFileIO.status(pending.path), status.size == size else {
            logger.error(
                "cache insert size mismatch", metadata: ["file.id": "\(pending.fileID)", "cache.size": "\(size)"])
            abandonInsert(pending)
            throw CoreStoreError(.internalError)
        }
        let id = pending.fileID
        let sidecarTemp = pending.path + ".meta"
        do {
            try CacheSidecar(size: size, xxh3: xxh3).encoded.withUnsafeBytes { bytes in
                try CacheFileIO.writeNewFile(sidecarTemp, bytes, logger: logger)
            }
            try fileSystemLock.withLock { _ throws(CoreStoreError) in
                try CacheFileIO.rename(sidecarTemp, to: sidecarPath(id), logger: logger)
                try CacheFileIO.rename(pending.path, to: dataPath(id), logger: logger)
                state.withLock { state in
                    state.index.insert(id, size: size)
                    Self.finish(pending, in: &state)
                }
            }
        } catch {
            CacheFileIO.remove(sidecarTemp, logger: logger)
            abandonInsert(pending)
            throw error
        }
        evictToCapacity(protecting: id)
        return CachedFile(fileID: id, path: dataPath(id), size: size)
    }

    /// Cancels an insert: deletes the temporary file and releases the reservation. Idempotent.
    /// - Parameter pending: The insert from ``beginInsert(_:expectedSize:)``.
    public func abandonInsert(_ pending: PendingCacheFile) {
        CacheFileIO.remove(pending.path, logger: logger)
        state.withLock { Self.finish(pending, in: &$0) }
    }

    /// Caches bytes already in memory (e.g. a blob from Redis) in one call; a no-op when already cached.
    /// - Parameters:
    ///   - id: The version.
    ///   - bytes: Its complete contents.
    /// - Returns: The cached file, or `nil` when the object is larger than ``maxObjectBytes``.
    /// - Throws: As ``commitInsert(_:size:xxh3:)``.
    @discardableResult
    public func insert(_ id: FileID, bytes: ByteBuffer) throws -> CachedFile? {
        let size = Int64(bytes.readableBytes)
        guard size <= maxObjectBytes else { return nil }
        if let cached = lookup(id), cached.size == size { return cached }  // versions are immutable
        let pending = beginInsert(id, expectedSize: size)
        let hash: UInt64
        do {
            hash = try bytes.withUnsafeReadableBytes { raw in
                try CacheFileIO.writeNewFile(pending.path, raw, logger: logger)
                return XXH3.hash64(raw)
            }
        } catch {
            abandonInsert(pending)
            throw error
        }
        return try commitInsert(pending, size: size, xxh3: hash)
    }

    /// Drops a version from the cache (open descriptors stay readable).
    /// - Parameter id: The version.
    public func remove(_ id: FileID) {
        fileSystemLock.withLock { _ in
            guard state.withLock({ $0.index.remove(id) }) != nil else { return }
            deleteFiles(of: id)
        }
    }

    /// Evicts least recently used entries until committed bytes plus reservations fit the
    /// capacity; never evicts `protected` or an id with a pending insert.
    func evictToCapacity(protecting protected: FileID? = nil) {
        fileSystemLock.withLock { _ in
            let victims: [(id: FileID, size: Int64)] = state.withLock { state in
                var victims: [(id: FileID, size: Int64)] = []
                while state.index.totalBytes + state.reservedBytes > capacityBytes,
                    let victim = state.index.removeOldest(skipping: { id in
                        id == protected || state.pendingIDs[id] != nil
                    })
                {
                    victims.append(victim)
                }
                return victims
            }
            for victim in victims { deleteFiles(of: victim.id) }
            if !victims.isEmpty {
                logger.debug(
                    "cache evicted",
                    metadata: [
                        "cache.evicted": "\(victims.count)",
                        "cache.evictedBytes": "\(victims.reduce(0) { $0 + $1.size })",
                    ])
            }
        }
    }

    /// Removes a pending insert's bookkeeping (no-op if already finished).
    private static func finish(_ pending: PendingCacheFile, in state: inout State) {
        guard state.pending.removeValue(forKey: pending.token) != nil else { return }
        state.reservedBytes -= pending.reservedBytes
        let remaining = (state.pendingIDs[pending.fileID] ?? 1) - 1
        state.pendingIDs[pending.fileID] = remaining > 0 ? remaining : nil
    }

    func deleteFiles(of id: FileID) {
        CacheFileIO.remove(dataPath(id), logger: logger)
        CacheFileIO.remove(sidecarPath(id), logger: logger)
    }

    func dataPath(_ id: FileID) -> String { "\(objectsDirectory)/\(id.rawValue)" }

    func sidecarPath(_ id: FileID) -> String { "\(objectsDirectory)/\(id.rawValue).meta" }
}
