import CoreStore
import Hummingbird
import NIOCore
import NodeHTTP

/// The body of a `200`/`206` download from an opened ``TieredReader/Source``: zero-copy
/// (`sendfile`) for cache files on plain TCP, chunks through memory otherwise.
enum DownloadBody {
    /// A body writing `range` of the source's object.
    /// - Parameters:
    ///   - source: Where the bytes come from, already opened.
    ///   - range: The object's bytes to send (the whole object or the requested range).
    ///   - drain: Tracks the transfer so a SIGTERM drain waits for it.
    ///   - context: The request's context (its connection, for `sendfile`).
    ///   - zeroCopy: Whether the node may send file regions (plain TCP, not TLS).
    static func make(
        source: TieredReader.Source, range: Range<Int64>, drain: DrainState, context: NodeRequestContext,
        zeroCopy: Bool
    ) -> ResponseBody {
        let length = range.upperBound - range.lowerBound
        let canSendFile = zeroCopy && context.hasChannel
        let produce: @Sendable (_ write: (ByteBuffer) async throws -> Void) async throws -> Void
        switch source {
        case .memory(let bytes):
            return ResponseBody(
                byteBuffer: bytes.getSlice(at: bytes.readerIndex + Int(range.lowerBound), length: Int(length)) ?? bytes)
        case .filling(let fill, let file) where canSendFile:
            // As the object arrives: each segment the fill has written goes out with sendfile.
            return sendFileBody(length: length, drain: drain) {
                try await CacheFileReader.forEachArrived(fill, file: file, range: range) { descriptor, segment in
                    try await context.sendFile(descriptor: descriptor, range: segment)
                }
            }
        case .filling(let fill, let file):
            produce = { write in try await CacheFileReader.stream(fill, file: file, range: range, write: write) }
        case .cachedFile(_, let file) where canSendFile:
            return sendFileBody(length: length, drain: drain) {
                try await context.sendFile(descriptor: file.descriptor, range: range)
            }
        case .cachedFile(_, let file):
            produce = { write in try await CacheFileReader.stream(file, range: range, write: write) }
        case .objectStore(let relay):
            produce = { write in try await relay.stream(write: write) }
        }
        return ResponseBody(contentLength: Int(length)) { writer in
            try await drain.track {
                try await produce { try await writer.write($0) }
            }
            try await writer.finish(nil)
        }
    }

    /// A zero-copy body: the head goes out first (through Hummingbird), then `send` hands file
    /// regions to the kernel (sendfile), then the response ends.
    private static func sendFileBody(
        length: Int64, drain: DrainState, send: @escaping @Sendable () async throws -> Void
    ) -> ResponseBody {
        ResponseBody(contentLength: Int(length)) { writer in
            try await drain.track {
                try await writer.write(ByteBuffer())
                try await send()
            }
            try await writer.finish(nil)
        }
    }
}

extension TieredReader.Source {
    /// The tier named in the access log.
    var tierName: String {
        switch self {
        case .cachedFile: "disk"
        case .filling: "store"
        case .memory: "redis"
        case .objectStore: "store"
        }
    }
}
