import CoreStore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Streams a byte range of a cache file with `pread`, one chunk at a time: the next chunk is read
/// only after the previous one was accepted by the connection, so a slow client holds at most one
/// chunk (no read-ahead queue per connection).
///
/// For a file a ``CacheFill`` is still writing it reads what has arrived and waits for more; its
/// descriptor stays valid when the fill renames the file into the cache.
enum CacheFileReader {
    /// The chunk size (128 KiB: large reads, small per-connection memory).
    static let chunkBytes: Int64 = 128 * 1024

    /// Calls `write` with chunks covering `range` of a complete cache file.
    /// - Throws: `.internalError` when the file cannot be read.
    static func stream(
        _ file: CachedFile, range: Range<Int64>, write: (ByteBuffer) async throws -> Void
    ) async throws {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CoreStoreError(.internalError) }
        defer { close(descriptor) }
        try await copy(descriptor, range: range, available: range.upperBound, write: write)
    }

    /// Calls `write` with chunks covering `range` of the fill's object as it arrives.
    /// - Throws: The fill's error, or `.internalError` when the file cannot be read.
    static func stream(
        _ fill: CacheFill, range: Range<Int64>, write: (ByteBuffer) async throws -> Void
    ) async throws {
        var descriptor = open(fill.path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0, case .finished(let file?) = fill.progress {
            descriptor = open(file.path, O_RDONLY | O_CLOEXEC)  // committed (renamed) before we opened it
        }
        guard descriptor >= 0 else { throw CoreStoreError(.objectStoreUnavailable) }
        defer { close(descriptor) }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let available: Int64
            switch await fill.wait(beyond: offset) {
            case .running(let contiguous): available = contiguous
            case .finished: available = fill.size
            case .failed(let error): throw error
            }
            let end = min(available, range.upperBound)
            try await copy(descriptor, range: offset..<end, available: end, write: write)
            offset = end
        }
    }

    private static func copy(
        _ descriptor: Int32, range: Range<Int64>, available: Int64, write: (ByteBuffer) async throws -> Void
    ) async throws {
        var offset = range.lowerBound
        while offset < available {
            let count = Int(min(chunkBytes, available - offset))
            var buffer = allocator.buffer(capacity: count)
            let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) {
                max(0, pread(descriptor, $0.baseAddress, count, off_t(offset)))
            }
            guard read > 0 else { throw CoreStoreError(.internalError) }
            offset += Int64(read)
            try await write(buffer)
        }
    }

    private static let allocator = ByteBufferAllocator()
}
