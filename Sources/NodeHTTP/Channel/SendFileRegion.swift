import NIOCore
import Synchronization

/// The user outbound event a route triggers to send a byte range of a file with `sendfile(2)`:
/// the channel handler writes it as a `FileRegion` below the HTTP codec, so the bytes never enter
/// user space (no copy, no per-connection read buffers). The response head (with its
/// `Content-Length`) must already have been written; the route then writes the end of the body.
public struct SendFileRegion: Sendable {
    /// The file.
    public let path: String
    /// The byte range to send.
    public let range: Range<Int64>

    /// Creates the event.
    public init(path: String, range: Range<Int64>) {
        self.path = path
        self.range = range
    }
}

extension NodeRequestContext {
    /// Whether the node serves TLS (set once when the application is built; a node process serves
    /// either TLS or plain HTTP). File regions cannot go through TLS.
    static let servesTLS = Atomic<Bool>(false)

    /// Whether this connection can send file regions (plain TCP; TLS needs the bytes in memory).
    public var canSendFile: Bool { channel != nil && !Self.servesTLS.load(ordering: .relaxed) }

    /// Sends `range` of the file at `path` with `sendfile(2)` and waits until it has been written.
    /// - Throws: When the file cannot be opened or the connection fails.
    public func sendFile(path: String, range: Range<Int64>) async throws {
        guard let channel else { throw ChannelError.ioOnClosedChannel }
        try await channel.triggerUserOutboundEvent(SendFileRegion(path: path, range: range)).get()
    }
}
