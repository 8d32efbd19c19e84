extension SQLiteMetadataStore {
    /// What a user stores now (live files only), from a reader connection.
    /// - Parameter excluding: A file name whose live version is left out.
    /// - Throws: `.metadataUnavailable`.
    public func usage(userID: UserID, excluding: FileName?) async throws -> StorageUsage {
        try await read { connection, _ throws(CoreStoreError) in
            try Self.usage(userID, excluding: excluding, in: connection)
        }
    }

    /// ?1 user, ?2 a name to leave out (no file name is empty, so "" leaves out nothing).
    private static let usageQuery = """
        SELECT coalesce(sum(size), 0), count(*) FROM files WHERE user_id = ?1 AND state = 'live' AND file_name <> ?2
        """

    /// The usage query on `connection` (inside the caller's transaction, if any).
    static func usage(
        _ userID: UserID, excluding: FileName?, in connection: SQLiteConnection
    ) throws(CoreStoreError) -> StorageUsage {
        try connection.withStatement(usageQuery) { statement throws(CoreStoreError) in
            try statement.bind(userID.rawValue, at: 1)
            try statement.bind(excluding?.rawValue ?? "", at: 2)
            _ = try statement.step()
            return StorageUsage(bytes: statement.int64(at: 0), files: statement.int64(at: 1))
        }
    }
}
