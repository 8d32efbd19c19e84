import Foundation
import Logging

/// The connections of one SQLite database in this process: a single writer, taken in turn, and
/// reader connections lent one caller at a time (WAL lets them read while the writer writes).
///
/// Writers are serialized here, inside the process; between processes (upload-node and
/// download-node sharing the file) SQLite's file locks and the busy timeout serialize them.
/// All methods block: call them from a ``BlockingPool`` thread.
final class SQLiteConnectionPool: @unchecked Sendable {
    // @unchecked Sendable: `writer` is only touched under `writerLock`; `idleReaders` only under
    // `readersLock`, and a reader taken out of it belongs to exactly one caller until returned.
    private let writer: SQLiteConnection
    private let writerLock = NSLock()
    private var idleReaders: [SQLiteConnection] = []
    private let readersLock = NSLock()
    private var idleNonWaitingReaders: [SQLiteConnection]
    private let nonWaitingReadersLock = NSLock()
    private let path: String
    private let busyTimeoutMilliseconds: Int32
    private let maximumIdleReaders: Int
    private let logger: Logger

    /// Opens the writer connection and the non-waiting readers (other readers open on demand).
    /// - Parameters:
    ///   - path: The database file.
    ///   - busyTimeoutMilliseconds: How long a call waits for another process's lock.
    ///   - maximumIdleReaders: Reader connections kept open between calls.
    ///   - nonWaitingReaders: Reader connections without a busy timeout, opened now, for
    ///     ``tryWithNonWaitingReader(_:)``.
    ///   - logger: Where SQLite's errors go.
    /// - Throws: `.metadataUnavailable` when the file cannot be opened or is not a database.
    init(
        path: String, busyTimeoutMilliseconds: Int32, maximumIdleReaders: Int, nonWaitingReaders: Int,
        logger: Logger
    ) throws(CoreStoreError) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.maximumIdleReaders = maximumIdleReaders
        self.logger = logger
        self.writer = try SQLiteConnection(
            path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, queryOnly: false, logger: logger)
        // Their failures are repeated on the pool, which logs them; a busy lock here is routine.
        var quietLogger = logger
        quietLogger.logLevel = .critical
        var nonWaiting: [SQLiteConnection] = []
        for _ in 0..<max(nonWaitingReaders, 0) {
            let reader = try SQLiteConnection(
                path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, queryOnly: true, logger: quietLogger)
            reader.setBusyTimeout(milliseconds: 0)
            nonWaiting.append(reader)
        }
        self.idleNonWaitingReaders = nonWaiting
    }

    /// Runs `body` with the writer connection, one caller at a time.
    func withWriter<Result>(_ body: (SQLiteConnection) throws(CoreStoreError) -> Result) throws(CoreStoreError)
        -> Result
    {
        writerLock.lock()
        defer { writerLock.unlock() }
        return try body(writer)
    }

    /// Runs `body` with a reader connection (an idle one, or a new one), then keeps it for reuse.
    func withReader<Result>(_ body: (SQLiteConnection) throws(CoreStoreError) -> Result) throws(CoreStoreError)
        -> Result
    {
        let reader = try takeReader()
        defer { giveBack(reader) }
        return try body(reader)
    }

    /// Runs `body` with a reader connection that never waits for a lock, on the caller's thread,
    /// or answers `nil` (without calling `body`) when every such reader is in use; `nil` also
    /// when `body` throws (SQLite busy, or any other failure), so that the caller repeats the read
    /// on the blocking pool, where it waits and reports errors as usual. Safe to call outside
    /// the pool only for reads that touch a few pages (a point query on an index).
    func tryWithNonWaitingReader<Result>(_ body: (SQLiteConnection) throws(CoreStoreError) -> Result) -> Result? {
        guard let reader = nonWaitingReadersLock.withLock({ idleNonWaitingReaders.popLast() }) else { return nil }
        defer { nonWaitingReadersLock.withLock { idleNonWaitingReaders.append(reader) } }
        return try? body(reader)
    }

    private func takeReader() throws(CoreStoreError) -> SQLiteConnection {
        let idle = readersLock.withLock { idleReaders.popLast() }
        if let idle {
            return idle
        }
        return try SQLiteConnection(
            path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, queryOnly: true, logger: logger)
    }

    private func giveBack(_ reader: SQLiteConnection) {
        readersLock.withLock {
            if idleReaders.count < maximumIdleReaders {
                idleReaders.append(reader)
            }
        }
    }
}
