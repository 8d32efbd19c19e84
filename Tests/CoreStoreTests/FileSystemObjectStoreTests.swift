import Foundation
import Logging
import TestSupport
import Testing

@testable import CoreStore

#if canImport(Glibc)
    import Glibc
#endif

@Suite("FileSystemObjectStore")
struct FileSystemObjectStoreTests {
    static let pool = BlockingPool(threads: 4)

    private func makeStore() -> (FileSystemObjectStore, root: String, scratch: String) {
        let base = IntegrationEnvironment.temporaryDirectory("fs-store")
        let scratch = base + "/scratch"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let store = FileSystemObjectStore(
            rootDirectory: base + "/objects", pool: Self.pool, logger: Logger(label: "test"))
        return (store, base + "/objects", scratch)
    }

    @Test func passesTheObjectStoreContract() async throws {
        let (store, root, scratch) = makeStore()
        try await ObjectStoreContract.run(store, scratchDirectory: scratch)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/.tmp")
        #expect(leftovers.isEmpty, "no temporary files remain, found \(leftovers)")
    }

    @Test func adoptsAVerifiedFileWithoutCopyingIt() async throws {
        let (store, root, scratch) = makeStore()
        let bytes = ObjectStoreContract.randomBytes(300_000)
        let path = try ObjectStoreContract.writeFile(bytes, in: scratch, name: "spooled")
        let key = ObjectKey(rawValue: "p/ab/alice/adopted")
        try await store.adoptObject(key: key, file: path, size: Int64(bytes.count), md5: MD5Hasher.digest(bytes))
        let source = try FileManager.default.attributesOfItem(atPath: path)
        let target = try FileManager.default.attributesOfItem(atPath: root + "/" + key.rawValue)
        #expect(
            source[.systemFileNumber] as? Int == target[.systemFileNumber] as? Int, "same inode: linked, not copied")
        try FileManager.default.removeItem(atPath: path)  // the spool is deleted after the commit
        let copy = scratch + "/read-back"
        _ = try await store.getObject(key: key, range: nil, toFile: copy)
        #expect(try ObjectStoreContract.readFile(copy) == bytes)
    }

    @Test("a committed object's pages leave the page cache", .enabled(if: pageCacheBacked))
    func committedObjectLeavesThePageCache() async throws {
        let (store, root, scratch) = makeStore()
        let bytes = ObjectStoreContract.randomBytes(1 << 20)
        let adopted = try ObjectStoreContract.writeFile(bytes, in: scratch, name: "spooled")
        #expect(try Self.residentPages(adopted) > 0, "a file just written is in the page cache")
        try await store.adoptObject(
            key: ObjectKey(rawValue: "p/ab/alice/adopted"), file: adopted, size: Int64(bytes.count),
            md5: MD5Hasher.digest(bytes))
        #expect(try Self.residentPages(root + "/p/ab/alice/adopted") == 0)
        let copied = try ObjectStoreContract.writeFile(bytes, in: scratch, name: "copied")
        try await store.putObject(
            key: ObjectKey(rawValue: "p/ab/alice/copied"), fromFile: copied, size: Int64(bytes.count),
            md5: MD5Hasher.digest(bytes), contentType: "application/octet-stream")
        #expect(try Self.residentPages(root + "/p/ab/alice/copied") == 0)
        #expect(try ObjectStoreContract.readFile(root + "/p/ab/alice/copied") == bytes)
    }

    /// Whether a synced temporary file's pages can leave the page cache here (not on tmpfs, where
    /// the pages are the storage).
    static let pageCacheBacked: Bool = {
        let directory = IntegrationEnvironment.temporaryDirectory("fs-store-kind")
        guard let path = try? ObjectStoreContract.writeFile([1, 2, 3], in: directory, name: "probe") else {
            return false
        }
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        guard fd >= 0, fsync(fd) == 0, posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED) == 0 else { return false }
        return (try? residentPages(path)) == 0
    }()

    /// How many of the file's pages are in the page cache (`mincore`).
    static func residentPages(_ path: String) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CoreStoreError(.objectNotFound) }
        defer { close(fd) }
        let length = Int(lseek(fd, 0, SEEK_END))
        guard length > 0 else { return 0 }
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else {
            throw CoreStoreError(.internalError)
        }
        defer { munmap(map, length) }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (length + pageSize - 1) / pageSize)
        guard mincore(map, length, &vector) == 0 else { throw CoreStoreError(.internalError) }
        return vector.filter { $0 & 1 != 0 }.count
    }

    @Test func refusesKeysThatEscapeTheRoot() async throws {
        let (store, _, _) = makeStore()
        for raw in ["../outside", "a/../../b", "/abs", ".tmp/x", "a//b", ""] {
            await #expect(throws: CoreStoreError(.objectStoreRejected)) {
                _ = try await store.headObject(key: ObjectKey(rawValue: raw))
            }
        }
    }

    @Test func checkReachableCreatesTheRoot() async throws {
        let (store, root, _) = makeStore()
        #expect(!FileManager.default.fileExists(atPath: root))
        try await store.checkReachable()
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    @Test func putReplacesAnExistingObjectAtomically() async throws {
        let (store, root, scratch) = makeStore()
        let key = ObjectKey(rawValue: "p/1/obj")
        for content in [Array("first".utf8), Array("second version".utf8)] {
            let source = try ObjectStoreContract.writeFile(content, in: scratch, name: "src")
            try await store.putObject(
                key: key, fromFile: source, size: Int64(content.count), md5: MD5Hasher.digest(content),
                contentType: "text/plain")
            #expect(try ObjectStoreContract.readFile(root + "/p/1/obj") == content)
        }
    }
}
