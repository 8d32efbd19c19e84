public import CoreStore
import Foundation
import NIOCore
import Synchronization

/// The behaviour every ``ObjectStore`` must show, run against the embedded store in unit tests and
/// against a real S3 server in integration tests.
public enum ObjectStoreContract {
    /// Put, get (whole, ranges), stream, head, delete, missing keys, a wrong MD5 and an empty object.
    /// - Parameters:
    ///   - store: The store under test (objects are written under a fresh `contract/<uuid>/` prefix).
    ///   - scratchDirectory: An existing directory for source and downloaded files.
    /// - Throws: ``ContractViolation`` on the first unmet expectation, or the store's error.
    public static func run(_ store: any ObjectStore, scratchDirectory: String) async throws {
        let prefix = "contract/\(UUID().uuidString.lowercased())"
        let data = randomBytes(600 * 1024 + 123)
        let source = try writeFile(data, in: scratchDirectory, name: "source.bin")
        let md5 = MD5Hasher.digest(data)
        let key = ObjectKey(rawValue: "\(prefix)/a b/ü+%=&?.bin")
        try await store.putObject(
            key: key, fromFile: source, size: Int64(data.count), md5: md5, contentType: "application/octet-stream")

        let info = try await store.headObject(key: key)
        try check(info.size == Int64(data.count), "head reports the size, got \(info.size)")
        if let etag = info.etag { try check(etag == md5.hex, "a single PUT's ETag is the MD5 hex, got \(etag)") }

        let whole = "\(scratchDirectory)/whole.bin"
        let wholeCount = try await store.getObject(key: key, range: nil, toFile: whole)
        try check(wholeCount == Int64(data.count), "get returns the byte count")
        try check(readFile(whole) == data, "get writes the whole object")

        let part = "\(scratchDirectory)/range.bin"
        let rangeCount = try await store.getObject(key: key, range: 1000...70_999, toFile: part)
        try check(rangeCount == 70_000 && readFile(part) == Array(data[1000..<71_000]), "a range get writes that range")
        let tail = try await store.getObject(
            key: key, range: Int64(data.count - 10)...Int64(data.count + 100), toFile: part)
        try check(tail == 10 && readFile(part) == Array(data.suffix(10)), "a range past the end is clamped")
        try await checkThrows("RANGE_NOT_SATISFIABLE", "a range starting past the end") {
            _ = try await store.getObject(key: key, range: Int64(data.count)...Int64(data.count + 5), toFile: part)
        }

        let streamed = ChunkCollector()
        try await store.streamObject(key: key, range: nil) { streamed.append($0) }
        try check(streamed.bytes == data, "stream delivers the whole object")
        try check(streamed.chunkCount >= 2, "stream delivers more than one chunk, got \(streamed.chunkCount)")
        try check(streamed.largestChunk <= 1 << 20, "stream chunks stay small, got \(streamed.largestChunk)")
        let streamedRange = ChunkCollector()
        try await store.streamObject(key: key, range: 5...300_004) { streamedRange.append($0) }
        try check(streamedRange.bytes == Array(data[5...300_004]), "stream delivers a range")

        do {
            try await store.streamObject(key: key, range: nil) { _ in throw ConsumerStop() }
            throw ContractViolation(description: "a consumer error must be rethrown", location: #fileID)
        } catch is ConsumerStop {}

        try await checkMissing(store, key: ObjectKey(rawValue: "\(prefix)/missing"), scratchDirectory: scratchDirectory)
        try await checkWrongDigest(store, prefix: prefix, source: source, size: Int64(data.count))
        try await checkEmptyObject(store, prefix: prefix, scratchDirectory: scratchDirectory)

        try await store.deleteObject(key: key)
        try await checkThrows("OBJECT_NOT_FOUND", "head after delete") { _ = try await store.headObject(key: key) }
        try await store.deleteObject(key: key)
        try await store.checkReachable()
    }

    private static func checkMissing(_ store: any ObjectStore, key: ObjectKey, scratchDirectory: String) async throws {
        let target = "\(scratchDirectory)/missing.bin"
        try await checkThrows("OBJECT_NOT_FOUND", "head of a missing key") { _ = try await store.headObject(key: key) }
        try await checkThrows("OBJECT_NOT_FOUND", "get of a missing key") {
            _ = try await store.getObject(key: key, range: nil, toFile: target)
        }
        try check(!FileManager.default.fileExists(atPath: target), "a failed get leaves no file")
        try await checkThrows("OBJECT_NOT_FOUND", "stream of a missing key") {
            try await store.streamObject(key: key, range: nil) { _ in }
        }
        try await store.deleteObject(key: key)
    }

    private static func checkWrongDigest(_ store: any ObjectStore, prefix: String, source: String, size: Int64)
        async throws
    {
        let key = ObjectKey(rawValue: "\(prefix)/wrong-md5")
        let wrong = MD5Hasher.digest(Array("something else".utf8))
        try await checkThrows("CHECKSUM_MISMATCH", "put with a wrong MD5") {
            try await store.putObject(key: key, fromFile: source, size: size, md5: wrong, contentType: "text/plain")
        }
        try await checkThrows("OBJECT_NOT_FOUND", "nothing is visible after a bad digest") {
            _ = try await store.headObject(key: key)
        }
    }

    private static func checkEmptyObject(_ store: any ObjectStore, prefix: String, scratchDirectory: String)
        async throws
    {
        let key = ObjectKey(rawValue: "\(prefix)/empty")
        let source = try writeFile([], in: scratchDirectory, name: "empty.bin")
        try await store.putObject(
            key: key, fromFile: source, size: 0, md5: MD5Hasher.digest([]), contentType: "text/plain")
        let emptySize = try await store.headObject(key: key).size
        try check(emptySize == 0, "an empty object has size 0")
        let target = "\(scratchDirectory)/empty-back.bin"
        let emptyCount = try await store.getObject(key: key, range: nil, toFile: target)
        try check(emptyCount == 0, "an empty get returns 0")
        try check(FileManager.default.fileExists(atPath: target), "an empty get still creates the file")
        try await store.deleteObject(key: key)
    }

    /// Multipart: two ≥ 5 MiB parts uploaded in parallel, completed and read back; a bad part MD5;
    /// an in-progress upload listed, aborted, gone, and aborted again.
    /// - Parameters:
    ///   - store: The store under test.
    ///   - scratchDirectory: An existing directory for source and downloaded files.
    public static func runMultipart(_ store: any MultipartObjectStore, scratchDirectory: String) async throws {
        let prefix = "contract-mp/\(UUID().uuidString.lowercased())"
        let partSize = 5 * 1024 * 1024
        let data = randomBytes(2 * partSize + 12_345)
        let source = try writeFile(data, in: scratchDirectory, name: "multipart.bin")
        let key = ObjectKey(rawValue: "\(prefix)/big")
        let uploadID = try await store.createMultipartUpload(key: key, contentType: "application/octet-stream")
        try check(!uploadID.isEmpty, "an upload id")

        async let first = store.uploadPart(
            key: key, uploadID: uploadID, partNumber: 1, fromFile: source, offset: 0, length: Int64(partSize),
            md5: MD5Hasher.digest(Array(data[0..<partSize])))
        async let second = store.uploadPart(
            key: key, uploadID: uploadID, partNumber: 2, fromFile: source, offset: Int64(partSize),
            length: Int64(data.count - partSize), md5: MD5Hasher.digest(Array(data[partSize...])))
        let parts = try await [first, second]
        try check(parts.map(\.partNumber) == [1, 2] && parts.allSatisfy { !$0.etag.isEmpty }, "parts carry ETags")

        try await checkThrows("CHECKSUM_MISMATCH", "a part with a wrong MD5") {
            _ = try await store.uploadPart(
                key: key, uploadID: uploadID, partNumber: 3, fromFile: source, offset: 0, length: 1024,
                md5: MD5Hasher.digest([1, 2, 3]))
        }
        try await store.completeMultipartUpload(key: key, uploadID: uploadID, parts: parts)

        let back = "\(scratchDirectory)/multipart-back.bin"
        let count = try await store.getObject(key: key, range: nil, toFile: back)
        try check(count == Int64(data.count), "the completed object has every byte")
        try check(MD5Hasher.digest(try readFile(back)) == MD5Hasher.digest(data), "the completed object's MD5 matches")
        let completedSize = try await store.headObject(key: key).size
        try check(completedSize == Int64(data.count), "head of the completed object")

        let pendingKey = ObjectKey(rawValue: "\(prefix)/pending")
        let pendingID = try await store.createMultipartUpload(key: pendingKey, contentType: "text/plain")
        let listed = try await store.listMultipartUploads(prefix: prefix)
        try check(listed.contains { $0.uploadID == pendingID && $0.key == pendingKey }, "list shows the pending upload")
        try check(!listed.contains { $0.uploadID == uploadID }, "list omits the completed upload")
        try await store.abortMultipartUpload(key: pendingKey, uploadID: pendingID)
        let after = try await store.listMultipartUploads(prefix: prefix)
        try check(!after.contains { $0.uploadID == pendingID }, "an aborted upload is gone from the list")
        try await store.abortMultipartUpload(key: pendingKey, uploadID: pendingID)
        try await store.deleteObject(key: key)
    }

    // MARK: Helpers

    /// Pseudo-random bytes (xorshift; fast enough for tens of MiB in debug builds).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var state = UInt64.random(in: 1 ... .max)
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            var index = 0
            while index < count {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                withUnsafeBytes(of: state) { word in
                    let n = min(8, count - index)
                    buffer.baseAddress!.advanced(by: index).copyMemory(from: word.baseAddress!, byteCount: n)
                }
                index += 8
            }
        }
        return bytes
    }

    /// Writes `bytes` to `<directory>/<name>` and returns the path.
    public static func writeFile(_ bytes: [UInt8], in directory: String, name: String) throws -> String {
        let path = "\(directory)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The bytes of a file.
    public static func readFile(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// The error a contract consumer throws to stop a stream.
private struct ConsumerStop: Error {}

/// Collects streamed chunks (the consumer closure is `@Sendable`).
private final class ChunkCollector: Sendable {
    private let state = Mutex<(bytes: [UInt8], chunks: Int, largest: Int)>(([], 0, 0))

    func append(_ buffer: ByteBuffer) {
        state.withLock { state in
            state.bytes += buffer.readableBytesView
            state.chunks += 1
            state.largest = max(state.largest, buffer.readableBytes)
        }
    }

    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var chunkCount: Int { state.withLock { $0.chunks } }
    var largestChunk: Int { state.withLock { $0.largest } }
}
