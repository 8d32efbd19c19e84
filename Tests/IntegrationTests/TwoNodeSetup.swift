import CoreStore
import Foundation
import TestSupport
import Testing

/// Two real `upload-node`s (A and B, each with its own data directory) and one `download-node`
/// over one SQLite metadata file and one SeaweedFS bucket, with a key prefix of their own, and a
/// dev token for `alice`: the set-up of the resume tests (tuspy, tus-js-client, the IETF draft).
struct TwoNodeSetup {
    /// A test file on disk.
    struct File {
        /// Its path (the last component is the uploaded file name).
        var path: String
        /// Its bytes.
        var bytes: [UInt8]
        /// Their MD5.
        var md5: ContentDigest
    }

    /// The shared SeaweedFS server (bucket `e2e`).
    let weed: WeedServer
    /// The temporary directory holding the data directories, the SQLite file and the test files.
    let root: String
    /// The object key prefix of this set-up.
    let prefix: String
    /// Upload node A (data directory `a`).
    let nodeA: NodeProcess
    /// Upload node B (data directory `b`).
    let nodeB: NodeProcess
    /// The download node.
    let download: NodeProcess
    /// A bearer token for `alice`, valid on every node.
    let token: String
    /// Node A's data directory.
    var directoryA: String { root + "/a" }

    /// Starts the three nodes under a fresh temporary directory named after `label`.
    static func start(label: String) async throws -> TwoNodeSetup {
        let weed = try await WeedServer.shared()
        let root = IntegrationEnvironment.temporaryDirectory(label)
        let prefix = "tus-\(UUID().uuidString.prefix(6).lowercased())"
        func arguments(_ directory: String) -> [String] {
            [
                "--data-dir", directory, "--metadata-sqlite-path", root + "/metadata.sqlite3",
                "--s3-endpoint", weed.endpoint, "--s3-bucket", "e2e", "--s3-create-bucket",
                "--s3-access-key", weed.accessKey, "--s3-secret-key", weed.secretKey, "--key-prefix", prefix,
                "--log-level", "warning",
            ]
        }
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
        }
        let nodeA = try await NodeProcess.start("upload-node", arguments: arguments(root + "/a"))
        // Both nodes verify the same HS256 secret (the first node generated it).
        try FileManager.default.copyItem(atPath: root + "/a/auth-secret", toPath: root + "/b/auth-secret")
        let nodeB = try await NodeProcess.start("upload-node", arguments: arguments(root + "/b"))
        let download = try await NodeProcess.start("download-node", arguments: arguments(root + "/b"))
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: root + "/a")
        return TwoNodeSetup(
            weed: weed, root: root, prefix: prefix, nodeA: nodeA, nodeB: nodeB, download: download, token: token)
    }

    /// Kills the three nodes (by PID).
    func stop() {
        for node in [nodeA, nodeB, download] { node.process.kill() }
    }

    /// The tus creation URL of `node`.
    func endpoint(_ node: NodeProcess) -> String {
        node.baseURL + "/upload_download_service/uploads/"
    }

    /// Writes `size` seeded random bytes to `name` under the root.
    func makeFile(name: String, size: Int, seed: UInt64) throws -> File {
        let bytes = MultipartBody.randomBytes(size, seed: seed)
        let path = root + "/" + name
        try #require(FileManager.default.createFile(atPath: path, contents: Data(bytes)), "wrote \(path)")
        return File(path: path, bytes: bytes, md5: MD5Hasher.digest(bytes))
    }

    /// The path of an upload URL that `node` handed out (`/upload_download_service/uploads/alice/<id>`).
    func uploadPath(_ url: String?, on node: NodeProcess) throws -> String {
        let url = try #require(url, "the client reported its upload URL")
        #expect(url.hasPrefix(node.baseURL + "/upload_download_service/uploads/alice/"), "\(url)")
        return String(url.dropFirst(node.baseURL.count))
    }

    /// Downloads `file` through the download node and checks bytes and MD5; no multipart upload of
    /// this set-up is left in the bucket.
    func expectDownloadIdentical(_ file: File) async throws {
        let name = URL(fileURLWithPath: file.path).lastPathComponent
        let copy = root + "/copy-" + name
        let got = try await CurlCommand.run(
            ["-H", "Authorization: Bearer \(token)", download.baseURL + "/upload_download_service/\(name)/alice"],
            output: copy)
        #expect(got.status == 200, "\(got.headers)")
        let downloaded = FileManager.default.contents(atPath: copy) ?? Data()
        #expect(downloaded.count == file.bytes.count)
        #expect(downloaded == Data(file.bytes))
        #expect(MD5Hasher.digest(Array(downloaded)) == file.md5)
        let store = try await weed.makeStore(bucket: "e2e")
        #expect(try await store.listMultipartUploads(prefix: prefix).isEmpty)
    }
}
