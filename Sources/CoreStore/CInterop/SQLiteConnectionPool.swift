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
    private let path: String
    private let busyTimeoutMilliseconds: Int32
    private let maximumIdleReaders: Int
    private let logger: Logger

    /// Opens the writer connection (readers open on demand).
    /// - Parameters:
    ///   - path: The database file.
    ///   - busyTimeoutMilliseconds: How long a call waits for another process's lock.
    ///   - maximumIdleReaders: Reader connections kept open between calls.
    ///   - logger: Where SQLite's errors go.
    /// - Throws: `.metadataUnavailable` when the file cannot be opened or is not a database.
    init(path: String, busyTimeoutMilliseconds: Int32, maximumIdleReaders: Int, logger: Logger) throws(CoreStoreError) {
        self.path = path
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.maximumIdleReaders = maximumIdleReaders
        self.logger = logger
        self.writer = try SQLiteConnection(
            path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, queryOnly: false, logger: logger)
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
