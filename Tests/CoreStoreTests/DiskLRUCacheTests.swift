import CoreStore
import Foundation
import Logging
import NIOCore
import TestSupport
import Testing

@Suite("DiskLRUCache")
struct DiskLRUCacheTests {
    let directory = IntegrationEnvironment.temporaryDirectory("disklru")

    func makeCache(capacity: Int64 = 1000, maxObject: Int64 = 400, admitAbove: Int64 = 1000) throws -> DiskLRUCache {
        let cache = DiskLRUCache(
            directory: directory, capacityBytes: capacity, maxObjectBytes: maxObject,
            admitAfterAccessesAbove: admitAbove, logger: Logger(label: "test.disklru"))
        try cache.open()
        return cache
    }

    func bytes(_ count: Int, seed: UInt8 = 7) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
    }

    func contents(_ file: CachedFile?) -> [UInt8]? {
        file.flatMap { FileManager.default.contents(atPath: $0.path) }.map(Array.init)
    }

    @Test("insert then lookup returns the bytes; miss before")
    func insertLookup() throws {
        let cache = try makeCache()
        let id = FileID.generate()
        #expect(cache.lookup(id) == nil)
        let stored = try cache.insert(id, bytes: bytes(100))
        let found = try #require(cache.lookup(id))
        #expect(found == stored)
        #expect(found.size == 100)
        #expect(contents(found) == Array(bytes(100).readableBytesView))
        #expect(cache.usedBytes == 100)
        #expect(cache.count == 1)
    }

    @Test("beginInsert/commitInsert publishes a writer's file; abandonInsert deletes it")
    func pendingInsert() throws {
        let cache = try makeCache()
        let id = FileID.generate()
        let pending = cache.beginInsert(id)
        #expect(pending.path.hasPrefix(directory + "/tmp/"))
        let data = Array(bytes(50).readableBytesView)
        #expect(FileManager.default.createFile(atPath: pending.path, contents: Data(data)))
        let committed = try cache.commitInsert(pending, size: 50, xxh3: XXH3.hash64(data))
        #expect(committed?.size == 50)
        #expect(contents(cache.lookup(id)) == data)
        #expect(!FileManager.default.fileExists(atPath: pending.path))

        let other = FileID.generate()
        let abandoned = cache.beginInsert(other, expectedSize: 30)
        #expect(FileManager.default.createFile(atPath: abandoned.path, contents: Data(data)))
        cache.abandonInsert(abandoned)
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(cache.lookup(other) == nil)
        #expect(throws: CoreStoreError.self) { try cache.commitInsert(abandoned, size: 50, xxh3: 0) }
    }

    @Test("commit with a size that does not match the file is refused")
    func commitSizeMismatch() throws {
        let cache = try makeCache()
        let id = FileID.generate()
        let pending = cache.beginInsert(id)
        #expect(FileManager.default.createFile(atPath: pending.path, contents: Data([1, 2, 3])))
        #expect(throws: CoreStoreError(.internalError)) { try cache.commitInsert(pending, size: 4, xxh3: 0) }
        #expect(cache.lookup(id) == nil)
        #expect(!FileManager.default.fileExists(atPath: pending.path))
    }

    @Test("eviction removes the least recently used entry first, and keeps the capacity bound")
    func evictionOrder() throws {
        let cache = try makeCache(capacity: 1000, maxObject: 400)
        let a = FileID.generate(), b = FileID.generate(), c = FileID.generate()
        let d = FileID.generate()
        let pathA = try #require(try cache.insert(a, bytes: bytes(300))).path
        try cache.insert(b, bytes: bytes(300))
        try cache.insert(c, bytes: bytes(300))
        #expect(cache.lookup(a) != nil)  // a is now most recent; b is the oldest
        try cache.insert(d, bytes: bytes(300))
        #expect(cache.lookup(b) == nil)
        #expect(cache.lookup(a) != nil)
        #expect(cache.lookup(c) != nil)
        #expect(cache.lookup(d) != nil)
        #expect(cache.usedBytes == 900)
        #expect(FileManager.default.fileExists(atPath: pathA))
        for _ in 0..<10 { try cache.insert(FileID.generate(), bytes: bytes(250)) }
        #expect(cache.usedBytes <= 1000)
        #expect(cache.count == 4)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: directory + "/objects")
        #expect(onDisk.count == 8)  // 4 data files + 4 sidecars: evicted files are deleted
    }

    @Test("an evicted file stays readable through a descriptor opened before")
    func evictionKeepsOpenDescriptors() throws {
        let cache = try makeCache(capacity: 500, maxObject: 400)
        let a = FileID.generate()
        let file = try #require(try cache.insert(a, bytes: bytes(400)))
        let handle = try #require(FileHandle(forReadingAtPath: file.path))
        defer { try? handle.close() }
        try cache.insert(FileID.generate(), bytes: bytes(400))
        #expect(cache.lookup(a) == nil)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try handle.readToEnd().map(Array.init) == Array(bytes(400).readableBytesView))
    }

    @Test("objects above maxObjectBytes are never cached")
    func maxObjectBytes() throws {
        let cache = try makeCache(capacity: 1000, maxObject: 400)
        let id = FileID.generate()
        #expect(try cache.insert(id, bytes: bytes(401)) == nil)
        #expect(cache.lookup(id) == nil)
        #expect(!cache.shouldAdmit(id, size: 401))
        #expect(cache.shouldAdmit(id, size: 400))
        let pending = cache.beginInsert(id)
        #expect(FileManager.default.createFile(atPath: pending.path, contents: Data(count: 401)))
        #expect(try cache.commitInsert(pending, size: 401, xxh3: 0) == nil)
        #expect(cache.usedBytes == 0)
    }

    @Test("small objects are admitted at once, large ones only on their second miss")
    func admissionRule() throws {
        let cache = try makeCache(capacity: 10_000, maxObject: 5_000, admitAbove: 1_000)
        let small = FileID.generate(), large = FileID.generate(), other = FileID.generate()
        #expect(cache.shouldAdmit(small, size: 1_000))
        #expect(!cache.shouldAdmit(large, size: 4_000))
        #expect(!cache.shouldAdmit(other, size: 4_000))
        #expect(cache.shouldAdmit(large, size: 4_000))
        #expect(!cache.shouldAdmit(large, size: 6_000))
    }

    @Test("a pending insert's reservation evicts ahead of time but never the id being inserted")
    func reservationEvicts() throws {
        let cache = try makeCache(capacity: 1000, maxObject: 400)
        let a = FileID.generate(), b = FileID.generate(), c = FileID.generate()
        try cache.insert(a, bytes: bytes(400))
        try cache.insert(b, bytes: bytes(400))
        let pending = cache.beginInsert(b, expectedSize: 400)
        let pendingC = cache.beginInsert(c, expectedSize: 400)
        #expect(cache.lookup(a) == nil)  // evicted to make room for the reservations
        #expect(cache.lookup(b) != nil)  // has a pending insert: protected
        cache.abandonInsert(pending)
        cache.abandonInsert(pendingC)
    }

    @Test("reopening keeps good entries in LRU order and drops corrupt, truncated, orphaned and temporary files")
    func restart() throws {
        let good = FileID.generate(milliseconds: 1), older = FileID.generate(milliseconds: 2)
        let flipped = FileID.generate(milliseconds: 3), truncated = FileID.generate(milliseconds: 4)
        let noSidecar = FileID.generate(milliseconds: 5)
        do {
            let cache = try makeCache(capacity: 10_000, maxObject: 1_000)
            for id in [older, good, flipped, truncated, noSidecar] { try cache.insert(id, bytes: bytes(200)) }
        }
        let objects = directory + "/objects"
        try setModified(objects + "/\(older.rawValue)", secondsAgo: 100)
        try setModified(objects + "/\(good.rawValue)", secondsAgo: 50)
        var corrupt = try Data(contentsOf: URL(fileURLWithPath: objects + "/\(flipped.rawValue)"))
        corrupt[17] ^= 0x01
        try corrupt.write(to: URL(fileURLWithPath: objects + "/\(flipped.rawValue)"))
        let handle = try #require(FileHandle(forWritingAtPath: objects + "/\(truncated.rawValue)"))
        try handle.truncate(atOffset: 150)
        try handle.close()
        try FileManager.default.removeItem(atPath: objects + "/\(noSidecar.rawValue).meta")
        let orphanSidecar = FileID.generate()
        #expect(FileManager.default.createFile(atPath: objects + "/\(orphanSidecar.rawValue).meta", contents: Data(count: 24)))
        #expect(FileManager.default.createFile(atPath: objects + "/stray.txt", contents: Data([1])))
        #expect(FileManager.default.createFile(atPath: directory + "/tmp/\(good.rawValue).99", contents: Data(count: 10)))

        let reopened = try makeCache(capacity: 10_000, maxObject: 1_000)
        #expect(reopened.count == 2)
        #expect(reopened.usedBytes == 400)
        #expect(contents(reopened.lookup(older)) == Array(bytes(200).readableBytesView))
        for id in [flipped, truncated, noSidecar] { #expect(reopened.lookup(id) == nil) }
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: objects))
        #expect(left == [good.rawValue, good.rawValue + ".meta", older.rawValue, older.rawValue + ".meta"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty)

        // Open order is by mtime (lookups are memory-only): reopening with room for one keeps the newer.
        let small = try makeCache(capacity: 300, maxObject: 300)
        #expect(small.count == 1)
        #expect(small.lookup(good) != nil)
        #expect(small.lookup(older) == nil)
    }

    private func setModified(_ path: String, secondsAgo: TimeInterval) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-secondsAgo)], ofItemAtPath: path)
    }
}
