import CoreStore
import Foundation
import TestSupport
import Testing

/// Read-after-write through the real binaries (design §5.1): replaces and deletes through the real
/// upload-node, reads through two real download-nodes (own disk caches, shared SQLite, SeaweedFS
/// and Redis) right after each 200/204.
@Suite("end to end: read-after-write", .enabled(if: IntegrationEnvironment.isAvailable))
struct ReadAfterWriteEndToEndTests {
    /// A second download node over the deployment's metadata, objects and Redis, with its own
    /// data directory (its own disk cache) and the deployment's token secret.
    static func secondDownloadNode(_ node: EndToEndTests.Deployment) async throws -> NodeProcess {
        let directory = node.directory + "-b"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: node.directory + "/" + HMACSecretFile.fileName, toPath: directory + "/" + HMACSecretFile.fileName)
        var arguments = node.arguments
        if let index = arguments.firstIndex(of: "--data-dir") { arguments[index + 1] = directory }
        arguments += ["--metadata-sqlite-path", node.directory + "/metadata.sqlite3"]
        return try await NodeProcess.start("download-node", arguments: arguments)
    }

    /// Version `round`: printable bytes (compared as text), its own size.
    static func content(round: Int) -> String {
        String(repeating: "round \(round) of read-after-write; ", count: 2000 + 37 * round)
    }

    @Test("20 rounds: replace and delete through upload-node; both download-nodes never serve the old bytes")
    func neverTheOldBytes() async throws {
        let node = try await EndToEndTests.deploy(label: "raw")
        let other = try await Self.secondDownloadNode(node)
        let auth = "Authorization: Bearer \(node.token)"
        let url = "/upload_download_service/doc.txt/alice"
        for round in 1...20 {
            let text = Self.content(round: round)
            let bytes = Array(text.utf8)
            let md5 = MD5Hasher.digest(bytes)
            let path = EndToEndTests.file(bytes, in: node.directory, name: "doc-\(round).txt")
            let put = try await CurlCommand.run([
                "-H", auth, "-H", "Content-MD5: \(md5.base64)", "-T", path, node.upload.baseURL + url,
            ])
            #expect(put.status == 200, "round \(round): \(put.body)")
            for download in [node.download, other] {
                let whole = try await CurlCommand.run(["-H", auth, download.baseURL + url])
                #expect(whole.status == 200, "round \(round) port \(download.port)")
                let isVersion = whole.body == text  // a Bool, so a failure does not print 100 KB
                #expect(isVersion, "round \(round) port \(download.port): got \(whole.body.prefix(30))…")
                let range = try await CurlCommand.run(["-H", auth, "-H", "Range: bytes=0-99", download.baseURL + url])
                #expect(range.status == 206, "round \(round) port \(download.port)")
                let isRange = range.body == String(text.prefix(100))
                #expect(isRange, "round \(round) port \(download.port): got \(range.body.prefix(30))…")
                let head = try await CurlCommand.run(["-I", "-H", auth, download.baseURL + url])
                let hasETag = head.headers.lowercased().contains("etag: \"\(md5.hex)\"")
                #expect(hasETag, "round \(round) port \(download.port)")
                _ = try await CurlCommand.run(["-H", auth, download.baseURL + url])  // warm the disk cache
            }
            guard round % 4 == 0 else { continue }
            let delete = try await CurlCommand.run(["-X", "DELETE", "-H", auth, node.upload.baseURL + url])
            #expect(delete.status == 204, "round \(round)")
            for download in [node.download, other] {
                let whole = try await CurlCommand.run(["-H", auth, download.baseURL + url])
                #expect(whole.status == 404, "round \(round) port \(download.port): deleted, still served")
                let range = try await CurlCommand.run(["-H", auth, "-H", "Range: bytes=0-99", download.baseURL + url])
                #expect(range.status == 404, "round \(round) port \(download.port)")
                let head = try await CurlCommand.run(["-I", "-H", auth, download.baseURL + url])
                #expect(head.status == 404, "round \(round) port \(download.port)")
                let list = try await CurlCommand.run([
                    "-H", auth, download.baseURL + "/upload_download_service/users/alice/files",
                ])
                #expect(
                    list.status == 200 && !list.body.contains("\"doc.txt\""), "round \(round) port \(download.port)")
            }
        }
    }
}
