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
        let setup = try await TwoNodeSetup.start(label: "draft")
        defer { setup.stop() }
        let (nodeA, nodeB, token, root) = (setup.nodeA, setup.nodeB, setup.token, setup.root)
        let file = try setup.makeFile(name: "draft.bin", size: 12 * 1024 * 1024 + 55, seed: 2424)
        let (bytes, md5) = (file.bytes, file.md5)
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
        try await setup.expectDownloadIdentical(file)
    }
}
