import Logging

extension SQLiteMetadataStore {
    /// The schema scripts, in order: script `i` takes `PRAGMA user_version` from `i` to `i + 1`.
    /// Append new scripts; never edit a released one.
    static let migrations: [String] = [
        // 1: the files table (design §2). Dates are integer milliseconds since 1970.
        """
        CREATE TABLE files (
            file_id TEXT NOT NULL PRIMARY KEY,
            user_id TEXT NOT NULL,
            file_name TEXT NOT NULL,
            object_key TEXT NOT NULL,
            size INTEGER NOT NULL,
            md5 TEXT NOT NULL,
            content_type TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_accessed_at INTEGER,
            state TEXT NOT NULL CHECK (state IN ('live', 'deleting')),
            state_changed_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX files_live_name ON files (user_id, file_name) WHERE state = 'live';
        CREATE INDEX files_listing ON files (user_id, state, file_id DESC);
        CREATE INDEX files_pending ON files (state, state_changed_at, file_id);
        """,
        // 2: resumable (tus) uploads in progress (docs/decisions/0022). `state` is the JSON of
        // ResumableUpload; offset and expiry are columns for the optimistic check and the sweeper.
        """
        CREATE TABLE resumable_uploads (
            upload_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            upload_offset INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            state TEXT NOT NULL,
            PRIMARY KEY (user_id, upload_id)
        );
        CREATE INDEX resumable_uploads_expiry ON resumable_uploads (expires_at);
        """,
        // 3: the tail journal of resumable uploads (docs/decisions/0022): tail objects being written
        // or retired that no row names. `claimed` = 1 once a sweep or a termination took the entry.
        """
        CREATE TABLE resumable_pending_tails (
            user_id TEXT NOT NULL,
            upload_id TEXT NOT NULL,
            tail_key TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            claimed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, upload_id, tail_key)
        );
        CREATE INDEX resumable_pending_tails_age ON resumable_pending_tails (created_at);
        """,
    ]

    /// The `user_version` this code expects.
    static var schemaVersion: Int64 { Int64(migrations.count) }

    /// Brings the schema up to ``schemaVersion``; a no-op when it is already there.
    ///
    /// Safe when several processes start at once: the scripts run in one `BEGIN IMMEDIATE`
    /// transaction (one process at a time) and the version is read again inside it, so a process
    /// that waited for another's migration finds nothing left to do.
    /// - Throws: `.metadataUnavailable` (busy, I/O, not a database), `.internalError`.
    static func migrate(_ connection: SQLiteConnection, logger: Logger) throws(CoreStoreError) {
        let seen = try userVersion(connection)
        guard seen < schemaVersion else {
            if seen > schemaVersion {
                logger.warning(
                    "sqlite schema is newer than this binary",
                    metadata: ["sqlite.user_version": "\(seen)", "sqlite.expected_version": "\(schemaVersion)"])
            }
            return
        }
        try connection.immediateTransaction { () throws(CoreStoreError) in
            let current = try userVersion(connection)
            guard current < schemaVersion else { return }
            for script in migrations.dropFirst(Int(current)) {
                try connection.execute(script)
            }
            try connection.execute("PRAGMA user_version = \(schemaVersion)")
            logger.info(
                "sqlite schema migrated",
                metadata: ["sqlite.from_version": "\(current)", "sqlite.to_version": "\(schemaVersion)"])
        }
    }

    /// The schema version recorded in the database file (`PRAGMA user_version`).
    static func userVersion(_ connection: SQLiteConnection) throws(CoreStoreError) -> Int64 {
        try connection.scalarInt("PRAGMA user_version") ?? 0
    }
}
