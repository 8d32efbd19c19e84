import CoreStore
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Streams a byte range of a file that a ``CacheFill`` is still writing: reads what has arrived,
/// waits for more, and keeps its descriptor valid when the fill renames the file into the cache.
enum FillReader {
    /// Calls `write` with chunks of at most 256 KiB covering `range` of the fill's object.
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
        let allocator = ByteBufferAllocator()
        while offset < range.upperBound {
            var available: Int64
            switch await fill.wait(beyond: offset) {
            case .running(let contiguous): available = contiguous
            case .finished: available = fill.size
            case .failed(let error): throw error
            }
            available = min(available, range.upperBound)
            while offset < available {
                let count = Int(min(256 * 1024, available - offset))
                var buffer = allocator.buffer(capacity: count)
                let read = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) {
                    max(0, pread(descriptor, $0.baseAddress, count, off_t(offset)))
                }
                guard read > 0 else { throw CoreStoreError(.internalError) }
                offset += Int64(read)
                try await write(buffer)
            }
        }
    }
}
