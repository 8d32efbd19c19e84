import Foundation
import Logging
import TestSupport
import Testing

@testable import CoreStore

/// The user ids "." and ".." are valid ids; their object keys must still be usable paths and S3 keys.
@Suite("object keys of the user ids . and ..")
struct DotUserIDObjectKeyTests {
    @Test(arguments: [(".", "%2E"), ("..", "%2E%2E"), ("...", "..."), ("%2E", "%252E"), (".a", ".a"), ("a.", "a.")])
    func dotSegmentsAreEncoded(_ user: String, _ segment: String) throws {
        let id = FileID.generate()
        let key = ObjectKey(prefix: "files", userID: try UserID(validating: user), fileID: id)
        let parts = key.rawValue.split(separator: "/", omittingEmptySubsequences: false)
        #expect(parts.count == 4)
        #expect(parts[2] == Substring(segment))
        #expect(!parts.contains(".") && !parts.contains(".."))
    }

    @Test("the filesystem object store stores and reads an object of the users . and ..")
    func fileSystemStoreAcceptsTheKeys() async throws {
        let root = IntegrationEnvironment.temporaryDirectory("dot-keys")
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let store = FileSystemObjectStore(rootDirectory: root + "/objects", pool: TestNode.pool, logger: logger)
        let bytes = Array("dot user".utf8)
        let source = root + "/source"
        _ = FileManager.default.createFile(atPath: source, contents: Data(bytes))
        for user in [".", ".."] {
            let key = ObjectKey(prefix: "files", userID: try UserID(validating: user), fileID: FileID.generate())
            try await store.putObject(
                key: key, fromFile: source, size: Int64(bytes.count), md5: MD5Hasher.digest(bytes),
                contentType: "text/plain")
            #expect(try await store.headObject(key: key).size == Int64(bytes.count))
        }
    }
}
