import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The user outbound event a route triggers to send a byte range of a file with `sendfile(2)`:
/// the channel handler writes it as a `FileRegion` below the HTTP codec, so the bytes never enter
/// user space (no copy, no per-connection read buffers). The response head (with its
/// `Content-Length`) must already have been written; the route then writes the end of the body.
public struct SendFileRegion: Sendable {
    /// The file: a path to open, or a descriptor the handler takes over (and closes).
    public enum Source: Sendable {
        case path(String)
        case descriptor(Int32)
    }

    /// The file.
    public let source: Source
    /// The byte range to send.
    public let range: Range<Int64>

    /// Creates the event.
    public init(source: Source, range: Range<Int64>) {
        self.source = source
        self.range = range
    }
}

extension NodeRequestContext {
    /// Whether this request has a connection to send file regions on (router-level tests have
    /// none). File regions cannot go through TLS: a node serving TLS never sends them
    /// (``ServerTLSConfiguration/isEnabled``).
    public var hasChannel: Bool { channel != nil }

    /// Sends `range` of the file at `path` with `sendfile(2)` and waits until it has been written.
    /// - Throws: When the file cannot be opened or the connection fails.
    public func sendFile(path: String, range: Range<Int64>) async throws {
        guard let channel else { throw ChannelError.ioOnClosedChannel }
        try await channel.triggerUserOutboundEvent(SendFileRegion(source: .path(path), range: range)).get()
    }

    /// Sends `range` of the open file `descriptor` with `sendfile(2)` (a duplicate of the
    /// descriptor is sent, so the caller keeps its own) and waits until it has been written. Used
    /// for a cache file that is still being filled, whose name may change while it is read.
    /// - Throws: When the descriptor cannot be duplicated or the connection fails.
    public func sendFile(descriptor: Int32, range: Range<Int64>) async throws {
        guard let channel else { throw ChannelError.ioOnClosedChannel }
        let duplicate = dup(descriptor)
        guard duplicate >= 0 else { throw IOError(errnoCode: errno, reason: "dup") }
        do {
            try await channel.triggerUserOutboundEvent(SendFileRegion(source: .descriptor(duplicate), range: range))
                .get()
        } catch let error as ChannelError where error == .ioOnClosedChannel || error == .operationUnsupported {
            close(duplicate)  // never reached the handler, which otherwise owns (and closes) it
            throw error
        }
    }
}
