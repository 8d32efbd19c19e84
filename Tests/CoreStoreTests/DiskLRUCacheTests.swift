import CoreStore
import Foundation
import Logging
import NIOCore
import TestSupport
import Testing

@Suite("DiskLRUCache")
final class DiskLRUCacheTests {
    let directory = IntegrationEnvironment.temporaryDirectory("disklru")

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func makeCache(capacity: Int64 = 1000, maxObject: Int64 = 400, admitAbove: Int64 = 1000) throws -> DiskLRUCache {
        let cache = DiskLRUCache(
            directory: directory, capacityBytes: capacity, maxObjectBytes: maxObject,
            admitAfterAccessesAbove: admitAbove, logger: Logger(label: "test.disklru"))
        try cache.open()
        return cache
    }

    static func bytes(_ count: Int, seed: UInt8 = 7) -> ByteBuffer {
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
        let stored = try cache.insert(id, bytes: Self.bytes(100))
        let found = try #require(cache.lookup(id))
        #expect(found == stored)
        #expect(found.size == 100)
        #expect(contents(found) == Array(Self.bytes(100).readableBytesView))
        #expect(cache.usedBytes == 100)
        #expect(cache.count == 1)
    }

    @Test("beginInsert/commitInsert publishes a writer's file; abandonInsert deletes it")
    func pendingInsert() throws {
        let cache = try makeCache()
        let id = FileID.generate()
        let pending = cache.beginInsert(id)
        #expect(pending.path.hasPrefix(directory + "/tmp/"))
        let data = Array(Self.bytes(50).readableBytesView)
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
        let a = FileID.generate()
        let b = FileID.generate()
        let c = FileID.generate()
        let d = FileID.generate()
        let pathA = try #require(try cache.insert(a, bytes: Self.bytes(300))).path
        try cache.insert(b, bytes: Self.bytes(300))
        try cache.insert(c, bytes: Self.bytes(300))
        #expect(cache.lookup(a) != nil)  // a is now most recent; b is the oldest
        try cache.insert(d, bytes: Self.bytes(300))
        #expect(cache.lookup(b) == nil)
        #expect(cache.lookup(a) != nil)
        #expect(cache.lookup(c) != nil)
        #expect(cache.lookup(d) != nil)
        #expect(cache.usedBytes == 900)
        #expect(FileManager.default.fileExists(atPath: pathA))
        for _ in 0..<10 { try cache.insert(FileID.generate(), bytes: Self.bytes(250)) }
        #expect(cache.usedBytes <= 1000)
        #expect(cache.count == 4)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: directory + "/objects")
        #expect(onDisk.count == 8)  // 4 data files + 4 sidecars: evicted files are deleted
    }

    @Test("an evicted file stays readable through a descriptor opened before")
    func evictionKeepsOpenDescriptors() throws {
        let cache = try makeCache(capacity: 500, maxObject: 400)
        let a = FileID.generate()
        let file = try #require(try cache.insert(a, bytes: Self.bytes(400)))
        let handle = try #require(FileHandle(forReadingAtPath: file.path))
        defer { try? handle.close() }
        try cache.insert(FileID.generate(), bytes: Self.bytes(400))
        #expect(cache.lookup(a) == nil)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(try handle.readToEnd().map(Array.init) == Array(Self.bytes(400).readableBytesView))
    }

    @Test("objects above maxObjectBytes are never cached")
    func maxObjectBytes() throws {
        let cache = try makeCache(capacity: 1000, maxObject: 400)
        let id = FileID.generate()
        #expect(try cache.insert(id, bytes: Self.bytes(401)) == nil)
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
        let small = FileID.generate()
        let large = FileID.generate()
        let other = FileID.generate()
        #expect(cache.shouldAdmit(small, size: 1_000))
        #expect(!cache.shouldAdmit(large, size: 4_000))
        #expect(!cache.shouldAdmit(other, size: 4_000))
        #expect(cache.shouldAdmit(large, size: 4_000))
        #expect(!cache.shouldAdmit(large, size: 6_000))
    }

    @Test("a pending insert's reservation evicts ahead of time but never the id being inserted")
    func reservationEvicts() throws {
        let cache = try makeCache(capacity: 1000, maxObject: 400)
        let a = FileID.generate()
        let b = FileID.generate()
        let c = FileID.generate()
        try cache.insert(a, bytes: Self.bytes(400))
        try cache.insert(b, bytes: Self.bytes(400))
        let pending = cache.beginInsert(b, expectedSize: 400)
        let pendingC = cache.beginInsert(c, expectedSize: 400)
        #expect(cache.lookup(a) == nil)  // evicted to make room for the reservations
        #expect(cache.lookup(b) != nil)  // has a pending insert: protected
        cache.abandonInsert(pending)
        cache.abandonInsert(pendingC)
    }

    @Test("reopening keeps good entries in LRU order and drops corrupt, truncated, orphaned and temporary files")
    func restart() throws {
        let good = FileID.generate(milliseconds: 1)
        let older = FileID.generate(milliseconds: 2)
        let flipped = FileID.generate(milliseconds: 3)
        let truncated = FileID.generate(milliseconds: 4)
        let noSidecar = FileID.generate(milliseconds: 5)
        do {
            let cache = try makeCache(capacity: 10_000, maxObject: 1_000)
            for id in [older, good, flipped, truncated, noSidecar] { try cache.insert(id, bytes: Self.bytes(200)) }
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
        #expect(
            FileManager.default.createFile(
                atPath: objects + "/\(orphanSidecar.rawValue).meta", contents: Data(count: 24)))
        #expect(FileManager.default.createFile(atPath: objects + "/stray.txt", contents: Data([1])))
        #expect(
            FileManager.default.createFile(atPath: directory + "/tmp/\(good.rawValue).99", contents: Data(count: 10)))

        let reopened = try makeCache(capacity: 10_000, maxObject: 1_000)
        #expect(reopened.count == 2)
        #expect(reopened.usedBytes == 400)
        #expect(contents(reopened.lookup(older)) == Array(Self.bytes(200).readableBytesView))
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

    @Test("concurrent inserts, lookups and removes keep the byte bound and the files in step with the index")
    func concurrentUse() async throws {
        let cache = try makeCache(capacity: 5_000, maxObject: 400)
        let ids = (0..<40).map { _ in FileID.generate() }
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for step in 0..<50 {
                        let id = ids[(worker * 7 + step * 3) % ids.count]
                        if step % 5 == 4 {
                            cache.remove(id)
                        } else if let file = cache.lookup(id) {
                            _ = FileManager.default.contents(atPath: file.path)
                        } else {
                            _ = try? cache.insert(id, bytes: Self.bytes(100 + step % 300, seed: UInt8(step % 256)))
                        }
                    }
                }
            }
        }
        #expect(cache.usedBytes <= 5_000)
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: directory + "/objects")
        #expect(onDisk.count == 2 * cache.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/tmp").isEmpty)
        let reopened = try makeCache(capacity: 5_000, maxObject: 400)
        #expect(reopened.count == cache.count)
        #expect(reopened.usedBytes == cache.usedBytes)
    }

    private func setModified(_ path: String, secondsAgo: TimeInterval) throws {
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-secondsAgo)], ofItemAtPath: path)
    }
}
