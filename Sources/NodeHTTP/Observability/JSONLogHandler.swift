import Foundation
public import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// swift-log handler writing one JSON object per line to stdout (journald/CloudWatch friendly):
/// `{"ts":…,"level":…,"label":…,"msg":…,<metadata…>}`.
public struct JSONLogHandler: LogHandler {
    private static let output = Mutex(())

    /// The handler's level.
    public var logLevel: Logger.Level = .info
    /// Metadata added to every line.
    public var metadata: Logger.Metadata = [:]
    private let label: String

    /// Creates a handler for a logger label.
    public init(label: String) {
        self.label = label
    }

    /// Metadata access by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        var fields = metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 })
        fields["ts"] = .string(ISO8601Timestamp.string(from: Date()))
        fields["level"] = .string(event.level.rawValue)
        fields["label"] = .string(label)
        fields["msg"] = .string("\(event.message)")
        let line = JSONLineEncoder.line(fields)
        Self.output.withLock { _ in
            line.withUnsafeBytes { _ = Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        }
    }
}
