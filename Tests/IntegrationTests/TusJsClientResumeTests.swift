import CoreStore
import Foundation
import TestSupport
import Testing

/// tus with `tus-js-client` (the npm client, vendored) under Node against two real `upload-node`s
/// sharing one SQLite metadata file and one SeaweedFS bucket: 40 MiB in 5 MiB chunks, cut after two
/// chunks (the client aborts; or node A is killed with -9 while the client sends the third), resumed
/// by tus-js-client on node B from the upload URL alone; a real `download-node` serves the
/// byte-identical file.
@Suite(
    "tus resume across upload nodes (tus-js-client, SeaweedFS, shared SQLite)",
    .enabled(
        if: IntegrationEnvironment.isAvailable && TusJsClient.isAvailable,
        Comment(rawValue: TusJsClient.skipReason)),
    .serialized)
struct TusJsClientResumeTests {
    /// The client's chunk size (and the node's part size).
    static let chunk = 5 * 1024 * 1024
    /// The file size.
    static let size = 40 * 1024 * 1024

    @Test("client-side abort after 2 chunks on node A, resumed by tus-js-client on node B; download identical")
    func abortThenResumeOnOtherNode() async throws {
        let setup = try await TwoNodeSetup.start(label: "tusjs-abort")
        defer { setup.stop() }
        let file = try setup.makeFile(name: "tusjs-abort.bin", size: Self.size, seed: 2131)

        let first = try await TusJsClient.upload(
            endpoint: setup.endpoint(setup.nodeA), token: setup.token, path: file.path, md5: file.md5.hex,
            stopAfter: 2 * Self.chunk)
        #expect(first.status == 0, "\(first.output)")
        let aborted = try #require(first.outcome, "\(first.output)")
        #expect(aborted.error == nil, "\(first.output)")
        #expect(aborted.patches == [0, Self.chunk], "\(first.output)")
        #expect(aborted.offset == 2 * Self.chunk, "\(first.output)")
        #expect(aborted.bytesSent == 2 * Self.chunk, "\(first.output)")
        let uploadPath = try setup.uploadPath(aborted.url, on: setup.nodeA)

        try await resumeOnNodeB(setup, uploadPath: uploadPath, file: file)
    }

    @Test("kill -9 of node A while tus-js-client sends the third chunk, resumed on node B; download identical")
    func killThenResumeOnOtherNode() async throws {
        let setup = try await TwoNodeSetup.start(label: "tusjs-kill")
        defer { setup.stop() }
        let file = try setup.makeFile(name: "tusjs-kill.bin", size: Self.size, seed: 2132)

        // Chunks 1 and 2 at full speed, the third paced at 1 MiB/s so it is in flight for seconds.
        let client = try TusJsClient.start(
            endpoint: setup.endpoint(setup.nodeA), token: setup.token, path: file.path, md5: file.md5.hex,
            paceAfter: 2 * Self.chunk)
        defer { client.process.kill() }
        let twoChunks = await eventually(timeout: .seconds(60)) { client.completedOffsets().contains(2 * Self.chunk) }
        #expect(twoChunks, "the client reported two chunks: \(client.process.log())")
        let spooling = await eventually {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: setup.directoryA + "/spool")) ?? []
            return entries.contains { $0.hasSuffix(".part") }
        }
        #expect(spooling, "the third chunk reached node A's spool")
        #expect(client.completedOffsets() == [Self.chunk, 2 * Self.chunk], "the third chunk was still in flight")
        setup.nodeA.process.kill()
        #expect(await setup.nodeA.process.waitForExit(timeout: 10))

        let cut = await client.finish(timeout: 60)
        #expect(cut.status == 1, "\(cut.output)")
        let failed = try #require(cut.outcome, "\(cut.output)")
        #expect(failed.error != nil, "\(cut.output)")
        #expect(failed.patches == [0, Self.chunk, 2 * Self.chunk], "\(cut.output)")
        #expect(failed.offset == 2 * Self.chunk, "\(cut.output)")
        #expect(failed.bytesSent > 2 * Self.chunk, "part of the third chunk was sent: \(cut.output)")
        let uploadPath = try setup.uploadPath(failed.url, on: setup.nodeA)

        try await resumeOnNodeB(setup, uploadPath: uploadPath, file: file)
    }

    /// Node B reports offset 10 MiB; tus-js-client, given only the upload URL on node B, resumes
    /// there and sends exactly the remaining 30 MiB; the download node serves the same bytes.
    func resumeOnNodeB(_ setup: TwoNodeSetup, uploadPath: String, file: TwoNodeSetup.File) async throws {
        let head = try await CurlCommand.run([
            "-I", "-H", "Authorization: Bearer \(setup.token)", "-H", "Tus-Resumable: 1.0.0",
            setup.nodeB.baseURL + uploadPath,
        ])
        #expect(head.status == 200, "\(head.headers)")
        #expect(head.headers.lowercased().contains("upload-offset: \(2 * Self.chunk)"), "\(head.headers)")

        let resumed = try await TusJsClient.upload(
            endpoint: setup.endpoint(setup.nodeB), token: setup.token, path: file.path, md5: file.md5.hex,
            resuming: setup.nodeB.baseURL + uploadPath)
        #expect(resumed.status == 0, "\(resumed.output)")
        let outcome = try #require(resumed.outcome, "\(resumed.output)")
        #expect(outcome.error == nil, "\(resumed.output)")
        #expect(outcome.url == setup.nodeB.baseURL + uploadPath)
        #expect(outcome.startOffset == 2 * Self.chunk, "\(resumed.output)")
        #expect(outcome.patches == stride(from: 2 * Self.chunk, to: Self.size, by: Self.chunk).map { $0 })
        #expect(outcome.bytesSent == Self.size - 2 * Self.chunk, "\(resumed.output)")
        #expect(outcome.offset == Self.size, "\(resumed.output)")

        let finished = try await CurlCommand.run([
            "-I", "-H", "Authorization: Bearer \(setup.token)", "-H", "Tus-Resumable: 1.0.0",
            setup.nodeB.baseURL + uploadPath,
        ])
        #expect(finished.status == 404, "a finished upload has no state left: \(finished.headers)")
        try await setup.expectDownloadIdentical(file)
    }
}
