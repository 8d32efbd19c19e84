import Foundation
import Logging
import Testing
import TestSupport

@testable import CoreStore

@Suite("FileSystemObjectStore")
struct FileSystemObjectStoreTests {
    static let pool = BlockingPool(threads: 4)

    private func makeStore() -> (FileSystemObjectStore, root: String, scratch: String) {
        let base = IntegrationEnvironment.temporaryDirectory("fs-store")
        let scratch = base + "/scratch"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let store = FileSystemObjectStore(rootDirectory: base + "/objects", pool: Self.pool, logger: Logger(label: "test"))
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
        #expect(source[.systemFileNumber] as? Int == target[.systemFileNumber] as? Int, "same inode: linked, not copied")
        try FileManager.default.removeItem(atPath: path)  // the spool is deleted after the commit
        let copy = scratch + "/read-back"
        _ = try await store.getObject(key: key, range: nil, toFile: copy)
        #expect(try ObjectStoreContract.readFile(copy) == bytes)
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
