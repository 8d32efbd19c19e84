import Foundation

extension SQLiteMetadataStore: PendingDeletionListing {
    /// ?1 limit; the record columns, then `state_changed_at`.
    static let pendingWithTimes = """
        SELECT \(SQLiteFileQueries.columns), state_changed_at FROM files WHERE state = 'deleting'
        ORDER BY state_changed_at, file_id LIMIT ?1
        """

    /// Pending-deletion records with the time each was retired, the longest-pending first.
    /// - Throws: `.metadataUnavailable`.
    public func pendingDeletionsWithTimes(limit: Int) async throws -> [PendingDeletion] {
        guard limit > 0 else { return [] }
        return try await read { connection, logger throws(CoreStoreError) in
            try connection.withStatement(Self.pendingWithTimes) { statement throws(CoreStoreError) in
                try statement.bind(Int64(limit), at: 1)
                var entries: [PendingDeletion] = []
                while try statement.step() {
                    let record = try SQLiteFileQueries.record(from: statement, logger: logger)
                    let since = SQLiteFileQueries.date(milliseconds: statement.int64(at: 9))
                    entries.append(PendingDeletion(record: record, since: since))
                }
                return entries
            }
        }
    }
}
