import CoreStore
import Foundation
import TestSupport
import Testing

/// tus with a real client (`tuspy`) against two real `upload-node`s sharing one SQLite metadata
/// file and one SeaweedFS bucket: 40 MiB in 5 MiB chunks, cut after two chunks (the client stops;
/// then the node is killed with -9 in the middle of the third), resumed on the other node; the
/// download is byte-identical.
@Suite(
    "tus resume across upload nodes (tuspy, SeaweedFS, shared SQLite)",
    .enabled(
        if: IntegrationEnvironment.isAvailable && TusPyClient.isAvailable, Comment(rawValue: TusPyClient.skipReason)),
    .serialized)
struct TusResumeTests {
    static let chunk = 5 * 1024 * 1024

    @Test("client-side abort after 2 chunks and kill -9 of the node, resumed on the other node; download identical")
    func resumeOnOtherNode() async throws {
        let setup = try await TwoNodeSetup.start(label: "tus")
        defer { setup.stop() }
        let (nodeA, nodeB, token, root) = (setup.nodeA, setup.nodeB, setup.token, setup.root)
        let file = try setup.makeFile(name: "tus-big.bin", size: 40 * 1024 * 1024, seed: 2121)
        let (bytes, md5, path) = (file.bytes, file.md5, file.path)
        let (endpointA, endpointB) = (setup.endpoint(nodeA), setup.endpoint(nodeB))

        // 1. Two chunks to node A, then the client stops (client-side abort).
        let first = try await TusPyClient.upload(
            endpoint: endpointA, token: token, path: path, md5: md5.hex, stopAt: 2 * Self.chunk)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.offset == 2 * Self.chunk, "\(first.output)")
        let uploadPath = try setup.uploadPath(first.url, on: nodeA)
        let urlA = nodeA.baseURL + uploadPath

        // 2. A third chunk is in flight on node A (rate-limited curl) when node A is killed with -9.
        let third = root + "/third.bin"
        _ = FileManager.default.createFile(atPath: third, contents: Data(bytes[(2 * Self.chunk)..<(3 * Self.chunk)]))
        let cut = Process()
        cut.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        cut.arguments = [
            "-sS", "-o", "/dev/null", "--limit-rate", "1M", "-X", "PATCH", "-H", "Authorization: Bearer \(token)",
            "-H", "Tus-Resumable: 1.0.0", "-H", "Upload-Offset: \(2 * Self.chunk)",
            "-H", "Content-Type: application/offset+octet-stream", "--data-binary", "@" + third, urlA,
        ]
        cut.standardError = FileHandle.nullDevice
        try cut.run()
        let spooling = await eventually {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: setup.directoryA + "/spool")) ?? []
            return entries.contains { $0.hasSuffix(".part") }
        }
        #expect(spooling, "the third chunk reached node A's spool")
        nodeA.process.kill()
        #expect(await nodeA.process.waitForExit(timeout: 10))
        #expect(await eventually { !cut.isRunning }, "the cut client ended")

        // 3. Node B answers the durable offset; tuspy resumes there and finishes.
        let head = try await CurlCommand.run([
            "-I", "-H", "Authorization: Bearer \(token)", "-H", "Tus-Resumable: 1.0.0", nodeB.baseURL + uploadPath,
        ])
        #expect(head.status == 200, "\(head.headers)")
        #expect(head.headers.lowercased().contains("upload-offset: \(2 * Self.chunk)"), "\(head.headers)")
        let resumed = try await TusPyClient.upload(
            endpoint: endpointB, token: token, path: path, md5: md5.hex, resuming: nodeB.baseURL + uploadPath)
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.offset == bytes.count, "\(resumed.output)")

        // 4. The download is byte-identical; nothing of the upload is left in progress.
        try await setup.expectDownloadIdentical(file)
    }

    @Test(
        "3 MiB chunks (tails in S3) alternating between the two nodes; the file is byte-identical, no multipart upload left"
    )
    func unalignedChunksAcrossNodes() async throws {
        let setup = try await TwoNodeSetup.start(label: "tus-tail")
        defer { setup.stop() }
        let (weed, root, prefix, nodes) = (setup.weed, setup.root, setup.prefix, [setup.nodeA, setup.nodeB])
        let token = try await NodeProcess.devToken(user: "bob", dataDirectory: root + "/a")
        let bytes = MultipartBody.randomBytes(13 * 1024 * 1024 + 77, seed: 2122)
        let md5 = MD5Hasher.digest(bytes)
        let path = root + "/file.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let step = 3 * 1024 * 1024
        var url: String?
        var offset = 0
        var turn = 0
        while offset < bytes.count {
            let node = nodes[turn % 2]
            let run = try await TusPyClient.upload(
                endpoint: node.baseURL + "/upload_download_service/uploads/", token: token, path: path, md5: md5.hex,
                name: "tail.bin", chunkSize: step,
                resuming: url.map { node.baseURL + $0 }, stopAt: min(offset + step, bytes.count))
            #expect(run.status == 0, "\(run.output)")
            let reached = try #require(run.offset, "\(run.output)")
            #expect(reached == min(offset + step, bytes.count), "\(run.output)")
            url = url ?? run.url.map { String($0.dropFirst(node.baseURL.count)) }
            offset = reached
            turn += 1
        }
        let store = try await weed.makeStore(bucket: "e2e")
        let user = try UserID(validating: "bob")
        let key = ObjectKey(prefix: prefix, userID: user, fileID: FileID.generate()).rawValue
        let userPrefix = String(key[..<key.lastIndex(of: "/")!])
        let copy = root + "/copy.bin"
        let metadata = try await SQLiteMetadataStore(
            path: root + "/metadata.sqlite3", pool: TestNode.pool, logger: TestNode.logger)
        let record = try #require(try await metadata.record(userID: user, fileName: FileName(validating: "tail.bin")))
        #expect(record.md5 == md5)
        _ = try await store.getObject(key: record.objectKey, range: nil, toFile: copy)
        #expect(FileManager.default.contents(atPath: copy) == Data(bytes))
        #expect(try await store.listMultipartUploads(prefix: userPrefix).isEmpty)
    }
}
