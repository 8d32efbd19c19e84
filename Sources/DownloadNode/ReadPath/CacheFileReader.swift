import CoreStore
import NIOCore
import NIOPosix
import _NIOFileSystem

#if canImport(Glibc)
    import Glibc
#endif

/// Streams a byte range of an opened cache file to a connection. Complete files go through NIO's
/// file system (reads on its thread pool, a few chunks ahead: measured best for latency under
/// load), reopened through `/proc/self/fd`, so a file evicted since it was opened is still read
/// whole. A file a ``CacheFill`` is still writing is read with `pread` on the thread pool as far as
/// it has arrived, one chunk ahead; its descriptor stays valid when the fill renames the file.
enum CacheFileReader {
    /// The read size: large reads keep the per-chunk overhead low.
    static let chunkBytes: Int64 = 256 * 1024

    /// Calls `write` with chunks covering `range` of a complete, opened cache file (NIO's file
    /// system reads them on its thread pool, a few chunks ahead of the connection).
    /// - Throws: `.internalError` when the file cannot be read.
    static func stream(
        _ file: OpenFile, range: Range<Int64>, write: (ByteBuffer) async throws -> Void
    ) async throws {
        let reopened = "/proc/self/fd/\(file.descriptor)"
        try await FileSystem.shared.withFileHandle(forReadingAt: .init(reopened)) { handle in
            for try await chunk in handle.readChunks(in: range, chunkLength: .bytes(chunkBytes)) {
                try await write(chunk)
            }
        }
    }

    /// Calls `write` with chunks covering `range` of the fill's object as it arrives.
    /// - Parameter file: The fill's file, opened (``CacheFileOpener/open(_:)``).
    /// - Throws: The fill's error, or `.internalError` when the file cannot be read.
    static func stream(
        _ fill: CacheFill, file: OpenFile, range: Range<Int64>, write: (ByteBuffer) async throws -> Void
    ) async throws {
        try await forEachArrived(fill, file: file, range: range) { _, segment in
            try await copy(file, range: segment, write: write)
        }
    }

    /// Calls `send` with the fill file's descriptor and each segment of `range` as it arrives
    /// (the route sends them with `sendfile`, so no bytes pass through memory).
    /// - Parameter file: The fill's file, opened (``CacheFileOpener/open(_:)``).
    /// - Throws: The fill's error, or what `send` throws.
    static func forEachArrived(
        _ fill: CacheFill, file: OpenFile, range: Range<Int64>,
        send: (_ descriptor: Int32, _ segment: Range<Int64>) async throws -> Void
    ) async throws {
        let descriptor = file.descriptor
        var offset = range.lowerBound
        while offset < range.upperBound {
            let available: Int64
            switch await fill.wait(beyond: offset) {
            case .running(let contiguous): available = contiguous
            case .finished: available = fill.size
            case .failed(let error): throw error
            }
            let end = min(available, range.upperBound)
            if end > offset { try await send(descriptor, offset..<end) }
            offset = end
        }
    }

    private static func copy(
        _ file: OpenFile, range: Range<Int64>, write: (ByteBuffer) async throws -> Void
    ) async throws {
        var offset = range.lowerBound
        let available = range.upperBound
        guard offset < available else { return }
        let (start, firstCount) = (offset, Int(min(chunkBytes, available - offset)))
        var next = Task { try await read(file, at: start, count: firstCount) }
        while true {
            let buffer = try await next.value
            offset += Int64(buffer.readableBytes)
            if offset < available {
                let (from, count) = (offset, Int(min(chunkBytes, available - offset)))
                next = Task { try await read(file, at: from, count: count) }
            }
            do {
                try await write(buffer)
            } catch {
                next.cancel()
                _ = try? await next.value  // the descriptor must outlive the read in flight
                throw error
            }
            if offset >= available { return }
        }
    }

    private static func read(_ file: OpenFile, at offset: Int64, count: Int) async throws -> ByteBuffer {
        try await NIOThreadPool.singleton.runIfActive {
            var buffer = allocator.buffer(capacity: count)
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) {
                (try? file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<count]), at: offset)) ?? 0
            }
            guard read > 0 else { throw CoreStoreError(.internalError) }
            return buffer
        }
    }

    private static let allocator = ByteBufferAllocator()
}
