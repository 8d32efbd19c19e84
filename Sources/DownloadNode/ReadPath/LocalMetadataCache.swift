import CoreStore
import Synchronization

/// A short-lived in-process cache of metadata lookups in front of Redis and the database.
///
/// It cannot be invalidated by the upload node, so entries live only `ttl` (default 1 s); a
/// record whose object has meanwhile been replaced is caught by the read path, which drops the
/// entry and looks the name up again.
final class LocalMetadataCache: Sendable {
    private struct Key: Hashable {
        let user: UserID
        let name: FileName
    }

    private let ttl: Duration
    private let capacity: Int
    private let entries = Mutex<[Key: (record: FileRecord, expires: ContinuousClock.Instant)]>([:])

    init(ttl: Duration, capacity: Int = 50_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// A fresh entry, or `nil`.
    func get(userID: UserID, fileName: FileName) -> FileRecord? {
        guard ttl > .zero else { return nil }
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[Key(user: userID, name: fileName)], entry.expires > now else { return nil }
            return entry.record
        }
    }

    /// Remembers a record for `ttl`.
    func put(_ record: FileRecord) {
        guard ttl > .zero else { return }
        let expires = ContinuousClock.now + ttl
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Key(user: record.userID, name: record.fileName)] = (record, expires)
        }
    }

    /// Forgets a name.
    func remove(userID: UserID, fileName: FileName) {
        _ = entries.withLock { $0.removeValue(forKey: Key(user: userID, name: fileName)) }
    }
}
