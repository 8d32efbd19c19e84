public import Logging
import Synchronization

/// Records every log line a logger writes at or above its level, so a test can see what was
/// logged (an S3 error code, an audit line) and that nothing was written below the level.
public final class RecordingLogHandler: LogHandler, Sendable {
    private let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    private let level: Mutex<Logger.Level>

    /// A handler writing at `level` and above.
    public init(level: Logger.Level = .trace) { self.level = Mutex(level) }

    /// A logger writing to a new handler at `level`, and the handler.
    public static func logger(label: String, level: Logger.Level = .trace) -> (Logger, RecordingLogHandler) {
        let handler = RecordingLogHandler(level: level)
        return (Logger(label: label, factory: { _ in handler }), handler)
    }

    /// The level (Logger checks it before a line is built).
    public var logLevel: Logger.Level {
        get { level.withLock { $0 } }
        set { level.withLock { $0 = newValue } }
    }

    /// No handler-level metadata.
    public var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    /// No handler-level metadata.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    /// The lines written, oldest first.
    public var records: [(message: String, metadata: Logger.Metadata)] { lines.withLock { $0 } }

    /// Records the line.
    public func log(event: LogEvent) {
        lines.withLock { $0.append((event.message.description, event.metadata ?? [:])) }
    }

    /// The values of `key` in every line that has it.
    public func values(of key: String) -> [String] {
        records.compactMap { $0.metadata[key]?.description }
    }

    /// How many lines have this message.
    public func count(of message: String) -> Int {
        records.filter { $0.message == message }.count
    }
}
