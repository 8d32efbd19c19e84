import CoreStore
import Foundation
import TestSupport
import Testing

/// The IETF resumable-upload draft against the release-shaped binaries: two `upload-node`s sharing
/// one SQLite metadata file and one SeaweedFS bucket, and a `download-node`. A raw socket creates
/// the upload on node A, reads the `104` bytes off the wire and goes away mid-body; node B answers
/// the offset and takes the rest; the download is byte-identical.
@Suite(
    "IETF resumable upload across upload nodes (raw socket, SeaweedFS, shared SQLite)",
    .enabled(if: IntegrationEnvironment.isAvailable, "needs weed (SeaweedFS) and the node binaries"), .serialized)
struct ResumableDraftResumeTests {
    @Test("created with 104 on node A, cut mid-body, offset and append on node B; download identical")
    func resumeOnOtherNode() async throws {
        let weed = try await WeedServer.shared()
        let root = IntegrationEnvironment.temporaryDirectory("draft")
        let prefix = "draft-\(UUID().uuidString.prefix(6).lowercased())"
        let nodes = try await TusResumeTests.startTwoNodes(root: root, weed: weed, prefix: prefix)
        defer { for node in nodes { node.process.kill() } }
        let download = try await NodeProcess.start(
            "download-node",
            arguments: [
                "--data-dir", root + "/b", "--metadata-sqlite-path", root + "/metadata.sqlite3",
                "--s3-endpoint", weed.endpoint, "--s3-bucket", "e2e", "--s3-access-key", weed.accessKey,
                "--s3-secret-key", weed.secretKey, "--key-prefix", prefix, "--log-level", "warning",
            ])
        defer { download.process.kill() }
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: root + "/a")
        let (nodeA, nodeB) = (nodes[0], nodes[1])

        let bytes = MultipartBody.randomBytes(12 * 1024 * 1024 + 55, seed: 2424)
        let md5 = MD5Hasher.digest(bytes)
        let sent = 6 * 1024 * 1024 + 1000

        // 1. Creation on node A: the 104 arrives with the upload's URL; the client goes away after
        //    the node has read the first `sent` bytes.
        let connection = try #require(RawHTTPConnection.open(port: nodeA.port, timeout: 20))
        await connection.send(
            "PUT /upload_download_service/draft.bin/alice HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer \(token)\r\nContent-MD5: \(md5.base64)\r\nContent-Length: \(bytes.count)\r\n"
                + "Upload-Draft-Interop-Version: 5\r\nUpload-Complete: ?1\r\n\r\n")
        await connection.send(bytes: Array(bytes[0..<sent]))
        let informational = await connection.read(until: "\r\n\r\n")
        #expect(informational.hasPrefix("HTTP/1.1 104 Upload Resumption Supported\r\n"), "\(informational)")
        #expect(informational.lowercased().contains("upload-draft-interop-version: 5\r\n"), "\(informational)")
        let locationLine = try #require(
            informational.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix("location:") })
        let location = locationLine.dropFirst("location:".count).trimmingCharacters(in: .whitespaces)
        #expect(location.hasPrefix("/upload_download_service/resumable/alice/"))
        let spool = root + "/a/spool"
        let spooled = await eventually {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []
            return names.filter { $0.hasSuffix(".part") }.contains { name in
                ((try? FileManager.default.attributesOfItem(atPath: spool + "/" + name))?[.size] as? NSNumber)?.intValue
                    == sent
            }
        }
        #expect(spooled, "node A read the bytes sent")
        connection.shutdownNow()

        // 2. Node B answers the offset of the bytes that arrived.
        let headers = ["-H", "Authorization: Bearer \(token)", "-H", "Upload-Draft-Interop-Version: 5"]
        var lastHead = ""
        let resumable = try await eventually {
            let head = try await CurlCommand.run(["-I"] + headers + [nodeB.baseURL + location])
            lastHead = head.headers
            return head.status == 204 && head.headers.lowercased().contains("upload-offset: \(sent)\r\n")
        }
        #expect(resumable, "\(lastHead)")
        #expect(lastHead.lowercased().contains("upload-complete: ?0"), "\(lastHead)")

        // 3. The rest, appended on node B, completes and commits the file.
        let rest = root + "/rest.bin"
        _ = FileManager.default.createFile(atPath: rest, contents: Data(bytes[sent...]))
        let appended = try await CurlCommand.run(
            ["-X", "PATCH"] + headers + [
                "-H", "Upload-Offset: \(sent)", "-H", "Upload-Complete: ?1", "-H",
                "Content-Type: application/partial-upload",
                "--data-binary", "@" + rest, nodeB.baseURL + location,
            ])
        #expect(appended.status == 200, "\(appended.body)")
        #expect(appended.body.contains("\"md5\":\"\(md5.hex)\""), "\(appended.body)")
        #expect(appended.headers.lowercased().contains("upload-complete: ?1"), "\(appended.headers)")

        // 4. The download is byte-identical; no multipart upload is left.
        let copy = root + "/copy.bin"
        let got = try await CurlCommand.run(
            ["-H", "Authorization: Bearer \(token)", download.baseURL + "/upload_download_service/draft.bin/alice"],
            output: copy)
        #expect(got.status == 200)
        let downloaded = FileManager.default.contents(atPath: copy) ?? Data()
        #expect(downloaded == Data(bytes))
        #expect(MD5Hasher.digest(Array(downloaded)) == md5)
        let store = try await weed.makeStore(bucket: "e2e")
        #expect(try await store.listMultipartUploads(prefix: prefix).isEmpty)
    }
}
