public import Foundation

/// A record waiting for its object to be deleted, with the time it left the live state.
public struct PendingDeletion: Sendable, Equatable {
    /// The retired record.
    public var record: FileRecord
    /// When it was replaced or removed.
    public var since: Date

    /// Bundles a record and its retirement time.
    public init(record: FileRecord, since: Date) {
        self.record = record
        self.since = since
    }
}

/// A metadata store that can say when each pending deletion became pending, so pending lists of
/// several stores (shards) can be merged oldest first.
public protocol PendingDeletionListing: MetadataStore {
    /// Pending-deletion records with their retirement times, oldest first.
    /// - Throws: `.metadataUnavailable`.
    func pendingDeletionsWithTimes(limit: Int) async throws -> [PendingDeletion]
}
