public import CoreStore
import Foundation

/// The behaviour every ``MetadataStore`` must show, run against the embedded and the real backends.
///
/// `makeStore` is called once per scenario. Stores may share one database (even with earlier
/// runs): every scenario uses its own random user ids and only looks at its own files.
public enum MetadataStoreContract {
    /// Runs every scenario.
    /// - Parameter makeStore: Opens the store under test.
    /// - Throws: ``ContractViolation`` for the first broken expectation, or what the store throws.
    public static func run(_ makeStore: () async throws -> any MetadataStore) async throws {
        try await commitAndLookup(makeStore())
        try await replaceReturnsPrevious(makeStore())
        try await removeAndPurge(makeStore())
        try await pendingDeletionsOldestFirst(makeStore())
        try await listPagination(makeStore())
        try await invalidCursor(makeStore())
        try await recordAccessKeepsLatest(makeStore())
        try await unusualNamesRoundTrip(makeStore())
        try await doubleCommitIsIdempotent(makeStore())
        try await runQuota(makeStore)
        try await makeStore().checkReachable()
    }

    /// Commit, then look up by (user, name); other names and users see nothing.
    public static func commitAndLookup(_ store: any MetadataStore) async throws {
        let user = newUser()
        let record = makeRecord(user: user, name: "report.pdf")
        let previous = try await store.commit(record)
        try check(previous == nil, "first commit of a name returns no previous record")
        let found = try await store.record(userID: user, fileName: record.fileName)
        try check(found == record, "lookup returns the committed record, got \(String(describing: found))")
        let otherName = try await store.record(userID: user, fileName: name("other.pdf"))
        try check(otherName == nil, "other name is absent")
        let otherUser = try await store.record(userID: newUser(), fileName: record.fileName)
        try check(otherUser == nil, "other user sees nothing")
    }

    /// Re-committing a name returns the old record; only the new one is live.
    public static func replaceReturnsPrevious(_ store: any MetadataStore) async throws {
        let user = newUser()
        let first = makeRecord(user: user, name: "photo.jpg", offset: 0)
        let second = makeRecord(user: user, name: "photo.jpg", offset: 1)
        _ = try await store.commit(first)
        let previous = try await store.commit(second)
        try check(previous == first, "replace returns the previous record, got \(String(describing: previous))")
        let live = try await store.record(userID: user, fileName: first.fileName)
        try check(live == second, "the new record is live")
        let page = try await store.list(userID: user, limit: 10, cursor: nil)
        try check(page.files == [second], "only the new record is listed, got \(page.files.map(\.fileID))")
        let pending = try await pendingIDs(store)
        try check(pending.contains(first.fileID), "the replaced record is pending deletion")
        try check(!pending.contains(second.fileID), "the live record is not pending deletion")
    }

    /// Remove moves the live record to pending; purge forgets pending records only.
    public static func removeAndPurge(_ store: any MetadataStore) async throws {
        let user = newUser()
        let record = makeRecord(user: user, name: "notes.txt")
        _ = try await store.commit(record)
        let removed = try await store.remove(userID: user, fileName: record.fileName)
        try check(removed == record, "remove returns the record")
        let afterRemove = try await store.record(userID: user, fileName: record.fileName)
        try check(afterRemove == nil, "a removed file is not live")
        let removedAgain = try await store.remove(userID: user, fileName: record.fileName)
        try check(removedAgain == nil, "a second remove finds nothing")
        let listedEmpty = try await store.list(userID: user, limit: 10, cursor: nil).files.isEmpty
        try check(listedEmpty, "a removed file is not listed")
        let pendingAfterRemove = try await pendingIDs(store).contains(record.fileID)
        try check(pendingAfterRemove, "a removed file is pending deletion")
        try await store.purge(fileID: record.fileID)
        let pendingAfterPurge = try await pendingIDs(store).contains(record.fileID)
        try check(!pendingAfterPurge, "a purged record is gone")
        try await store.purge(fileID: record.fileID)  // purging twice is harmless

        let live = makeRecord(user: user, name: "keep.txt")
        _ = try await store.commit(live)
        try await store.purge(fileID: live.fileID)
        let kept = try await store.record(userID: user, fileName: live.fileName)
        try check(kept == live, "purge leaves live records alone")
        let noneWanted = try await store.pendingDeletions(limit: 0).isEmpty
        try check(noneWanted, "limit 0 returns nothing")
    }

    /// Pending deletions come oldest first (by when they became pending) and honour the limit.
    public static func pendingDeletionsOldestFirst(_ store: any MetadataStore) async throws {
        let user = newUser()
        let records = (0..<3).map { makeRecord(user: user, name: "file-\($0)", offset: Int64($0)) }
        for record in records {
            _ = try await store.commit(record)
        }
        let order = [records[1], records[0], records[2]]
        for record in order {
            _ = try await store.remove(userID: user, fileName: record.fileName)
            waitForNextMillisecond()  // pending times are milliseconds: each removal gets its own
        }
        let ours = try await pendingIDs(store).filter { id in records.contains { $0.fileID == id } }
        try check(ours == order.map(\.fileID), "pending deletions oldest first, got \(ours)")
        let limited = try await store.pendingDeletions(limit: 2).count
        try check(limited == 2, "pendingDeletions honours its limit (3 are pending), got \(limited)")
    }

    /// 25 files, pages of 10: 10 + 10 + 5, newest first, no duplicates, no other user's files.
    public static func listPagination(_ store: any MetadataStore) async throws {
        let user = newUser()
        let other = newUser()
        let base = FileID.nowMilliseconds()
        var expected: [FileRecord] = []
        for index in 0..<25 {
            let record = makeRecord(user: user, name: "doc \(index).txt", milliseconds: base + UInt64(index))
            _ = try await store.commit(record)
            expected.append(record)
            if index % 8 == 0 {
                _ = try await store.commit(
                    makeRecord(user: other, name: "doc \(index).txt", milliseconds: base + UInt64(index)))
            }
        }
        var pages: [FilePage] = []
        var cursor: String?
        repeat {
            let page = try await store.list(userID: user, limit: 10, cursor: cursor)
            pages.append(page)
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 10
        try check(pages.map(\.files.count) == [10, 10, 5], "page sizes 10, 10, 5, got \(pages.map(\.files.count))")
        let listed = pages.flatMap(\.files)
        try check(listed == expected.sorted { $0.fileID > $1.fileID }, "all 25 files, newest first, each once")
        try check(listed.allSatisfy { $0.userID == user }, "no other user's files")

        let exact = try await store.list(userID: other, limit: 4, cursor: nil)
        try check(exact.files.count == 4 && exact.nextCursor == nil, "a full last page has no next cursor")
        let empty = try await store.list(userID: newUser(), limit: 10, cursor: nil)
        try check(empty.files.isEmpty && empty.nextCursor == nil, "a user without files gets an empty last page")
    }

    /// Cursors the store did not issue are `.badRequest`.
    public static func invalidCursor(_ store: any MetadataStore) async throws {
        let user = newUser()
        for cursor in ["!!!", "", "aGVsbG8", "not a cursor", String(repeating: "A", count: 500)] {
            try await checkThrows("BAD_REQUEST", "cursor \(cursor.prefix(20))") {
                _ = try await store.list(userID: user, limit: 10, cursor: cursor)
            }
        }
    }

    /// `recordAccess` sets `lastAccessedAt` and never moves it backwards; unknown ids are ignored.
    public static func recordAccessKeepsLatest(_ store: any MetadataStore) async throws {
        let user = newUser()
        let record = makeRecord(user: user, name: "song.mp3")
        _ = try await store.commit(record)
        let early = date(milliseconds: 1_700_000_000_000)
        let later = date(milliseconds: 1_700_000_500_000)
        try await store.recordAccess([:])
        try await store.recordAccess([record.fileID: later, FileID.generate(): later])
        let accessed = try await lastAccess(store, record)
        try check(accessed == later, "recordAccess sets last_accessed_at")
        try await store.recordAccess([record.fileID: early])
        let afterEarly = try await lastAccess(store, record)
        try check(afterEarly == later, "an older access time does not win")
        let latest = date(milliseconds: 1_700_000_900_000)
        try await store.recordAccess([record.fileID: latest])
        let afterLatest = try await lastAccess(store, record)
        try check(afterLatest == latest, "a newer access time wins")
    }

    /// Names with non-ASCII, quotes, `%`, spaces and SQL round-trip exactly.
    public static func unusualNamesRoundTrip(_ store: any MetadataStore) async throws {
        let user = try UserID(validating: "user 'quoted' % \u{e9}-\(UUID().uuidString)")
        let names = [
            "r\u{e9}sum\u{e9} 2024.pdf", "\u{65e5}\u{672c}\u{8a9e} \u{30d5}\u{30a1}\u{30a4}\u{30eb}.txt",
            "it's \"quoted\".txt", "100% done_%_.txt", "  spaces  .txt", "emoji \u{1F389}.png", "%00%2F",
            "Robert'); DROP TABLE files;--", "e\u{301}", "\u{e9}",
        ]
        for (index, text) in names.enumerated() {
            _ = try await store.commit(makeRecord(user: user, name: text, offset: Int64(index)))
        }
        for text in names {
            let found = try await store.record(userID: user, fileName: name(text))
            // Bytes, not String ==: Swift equates canonically equivalent strings ("e\u{301}" == "\u{e9}").
            try check(
                found.map { Array($0.fileName.rawValue.utf8) } == Array(text.utf8),
                "\(text.debugDescription) round-trips")
            try check(found.map { Array($0.userID.rawValue.utf8) } == Array(user.rawValue.utf8), "user id round-trips")
        }
        let listed = try await store.list(userID: user, limit: 100, cursor: nil).files.map {
            Array($0.fileName.rawValue.utf8)
        }
        try check(
            listed.sorted { $0.lexicographicallyPrecedes($1) }
                == names.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) },
            "every name listed once, byte for byte")
    }

    /// Committing the same file id twice changes nothing and returns `nil`, even after a replace.
    public static func doubleCommitIsIdempotent(_ store: any MetadataStore) async throws {
        let user = newUser()
        let record = makeRecord(user: user, name: "twice.bin", offset: 0)
        let firstCommit = try await store.commit(record)
        try check(firstCommit == nil, "first commit")
        let secondCommit = try await store.commit(record)
        try check(secondCommit == nil, "second commit of the same id returns nil")
        let stillLive = try await store.record(userID: user, fileName: record.fileName)
        try check(stillLive == record, "the record is still live")
        let listed = try await store.list(userID: user, limit: 10, cursor: nil).files
        try check(listed == [record], "listed once")
        let newer = makeRecord(user: user, name: "twice.bin", offset: 1)
        let replaced = try await store.commit(newer)
        try check(replaced == record, "a new id replaces it")
        let recommitted = try await store.commit(record)
        try check(recommitted == nil, "re-committing the replaced id returns nil")
        let current = try await store.record(userID: user, fileName: record.fileName)
        try check(current == newer, "and does not resurrect it")
    }

    // MARK: - Helpers

    /// A record with millisecond-exact dates; `offset` orders file ids within one scenario.
    public static func makeRecord(user: UserID, name text: String, offset: Int64 = 0) -> FileRecord {
        makeRecord(user: user, name: text, milliseconds: UInt64(Int64(FileID.nowMilliseconds()) + offset))
    }

    /// A record whose file id carries `milliseconds` (ids sort by it).
    public static func makeRecord(user: UserID, name text: String, milliseconds: UInt64) -> FileRecord {
        let fileID = FileID.generate(milliseconds: milliseconds)
        return FileRecord(
            fileID: fileID, userID: user, fileName: try! FileName(validating: text),
            objectKey: ObjectKey(prefix: "files", userID: user, fileID: fileID), size: Int64(text.utf8.count) * 1000,
            md5: ContentDigest(bytes: Array(repeating: UInt8(text.utf8.count % 256), count: 16))!,
            contentType: "application/octet-stream", createdAt: date(milliseconds: milliseconds))
    }

    /// Returns once the wall clock's millisecond has moved on (a condition, not a guessed sleep).
    private static func waitForNextMillisecond() {
        let start = FileID.nowMilliseconds()
        while FileID.nowMilliseconds() == start {}
    }

    private static func newUser() -> UserID {
        try! UserID(validating: "contract-\(UUID().uuidString.lowercased())")
    }

    private static func name(_ text: String) -> FileName {
        try! FileName(validating: text)
    }

    private static func date(milliseconds: UInt64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    private static func pendingIDs(_ store: any MetadataStore) async throws -> [FileID] {
        try await store.pendingDeletions(limit: 100_000).map(\.fileID)
    }

    private static func lastAccess(_ store: any MetadataStore, _ record: FileRecord) async throws -> Date? {
        try await store.record(userID: record.userID, fileName: record.fileName)?.lastAccessedAt
    }
}
