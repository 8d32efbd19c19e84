public import CoreStore
import Foundation
import NIOCore

/// The behaviour every ``BlobCache`` must show, run against each backend (Redis in integration tests).
public enum BlobCacheContract {
    /// Runs every check on `cache`; throws ``ContractViolation`` at the first failure.
    /// - Parameter cache: A reachable cache; the checks use fresh random file ids.
    public static func run(_ cache: any BlobCache) async throws {
        try await cache.checkReachable()
        try await missThenHitThenRemove(cache)
        try await binaryBytesRoundTrip(cache)
        try await largeBlobRoundTrip(cache)
        try await fileRoundTrip(cache)
    }

    static func missThenHitThenRemove(_ cache: any BlobCache) async throws {
        let id = FileID.generate()
        let before = try await cache.blob(for: id)
        try check(before == nil, "a never-stored id misses")
        try await cache.store(ByteBuffer(string: "hello"), for: id)
        let hit = try await cache.blob(for: id)
        try check(hit == ByteBuffer(string: "hello"), "a stored blob hits with its bytes")
        try await cache.remove(fileID: id)
        let after = try await cache.blob(for: id)
        try check(after == nil, "a removed blob misses")
        try await cache.remove(fileID: id)  // removing a missing id is not an error
    }

    static func binaryBytesRoundTrip(_ cache: any BlobCache) async throws {
        let id = FileID.generate()
        let bytes: [UInt8] =
            [0x00, 0x0D, 0x0A, 0x00, 0xFF, 0x24, 0x2A, 0x0D, 0x0A, 0x2D, 0x00] + (0...255).map { UInt8($0) }
        try await cache.store(ByteBuffer(bytes: bytes), for: id)
        let back = try await cache.blob(for: id)
        try check(
            back.map { Array($0.readableBytesView) } == bytes, "NUL, CR/LF and RESP markers survive byte for byte")
        let emptyID = FileID.generate()
        try await cache.store(ByteBuffer(), for: emptyID)
        let empty = try await cache.blob(for: emptyID)
        try check(empty?.readableBytes == 0, "an empty blob is a hit with no bytes")
        try await cache.remove(fileID: id)
        try await cache.remove(fileID: emptyID)
    }

    static func largeBlobRoundTrip(_ cache: any BlobCache) async throws {
        let id = FileID.generate()
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(1 << 20)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try await cache.store(ByteBuffer(bytes: bytes), for: id)
        let back = try await cache.blob(for: id)
        try check(back?.readableBytes == bytes.count, "a 1 MiB blob comes back whole")
        try check(back.map { Array($0.readableBytesView) } == bytes, "a 1 MiB blob comes back byte for byte")
        try await cache.remove(fileID: id)
    }

    static func fileRoundTrip(_ cache: any BlobCache) async throws {
        let directory = URL(fileURLWithPath: IntegrationEnvironment.temporaryDirectory("blob"))
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(600 * 1024 + 7)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let path = directory.appendingPathComponent("object").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let id = FileID.generate()
        try await cache.store(fileAt: path, size: Int64(bytes.count), for: id)
        let back = try await cache.blob(for: id)
        try check(back.map { Array($0.readableBytesView) } == bytes, "a file pushed in chunks comes back byte for byte")

        let short = FileID.generate()
        var refused = false
        do { try await cache.store(fileAt: path, size: Int64(bytes.count) + 1, for: short) } catch { refused = true }
        try check(refused, "a file shorter than its recorded size is refused")
        let refusedBlob = try await cache.blob(for: short)
        try check(refusedBlob == nil, "a refused push leaves no blob")

        let emptyPath = directory.appendingPathComponent("empty").path
        try Data().write(to: URL(fileURLWithPath: emptyPath))
        let empty = FileID.generate()
        try await cache.store(fileAt: emptyPath, size: 0, for: empty)
        let emptyBlob = try await cache.blob(for: empty)
        try check(emptyBlob?.readableBytes == 0, "an empty file is a hit with no bytes")
        for stored in [id, empty] { try await cache.remove(fileID: stored) }
    }
}
