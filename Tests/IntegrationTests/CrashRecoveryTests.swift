import CoreStore
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` in the middle of large uploads: after a restart no spool file, no in-progress
/// multipart upload and no visible half-file remain, and every acknowledged upload is intact.
@Suite("crash recovery (kill -9) against SeaweedFS", .enabled(if: IntegrationEnvironment.isAvailable))
struct CrashRecoveryTests {
    @Test("kill -9 mid-upload, restart: nothing leaked, nothing half-visible, acknowledged files intact")
    func killNineMidUpload() async throws {
        let weed = try await WeedServer.shared()
        let directory = IntegrationEnvironment.temporaryDirectory("crash")
        let prefix = "crash-\(UUID().uuidString.prefix(6).lowercased())"
        let arguments = [
            "--data-dir", directory, "--s3-endpoint", weed.endpoint, "--s3-bucket", "e2e", "--s3-create-bucket",
            "--s3-access-key", weed.accessKey, "--s3-secret-key", weed.secretKey, "--key-prefix", prefix,
            "--multipart-threshold-bytes", "5242880", "--multipart-part-bytes", "5242880", "--log-level", "warning",
            "--leftover-grace-seconds", "0",
        ]
        var upload = try await NodeProcess.start("upload-node", arguments: arguments)
        let download = try await NodeProcess.start("download-node", arguments: arguments)
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        let auth = "Authorization: Bearer \(token)"
        let store = try await weed.makeStore(bucket: "e2e")

        // Acknowledged uploads, before the crash.
        var acknowledged: [(String, [UInt8])] = []
        for index in 0..<2 {
            let bytes = MultipartBody.randomBytes(12_000_000, seed: UInt64(100 + index))
            let path = directory + "/ack\(index).bin"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let result = try await CurlCommand.run([
                "-H", auth, "-H", "Content-MD5: \(MD5Hasher.digest(bytes).base64)", "-T", path,
                "\(upload.baseURL)/upload_download_service/ack\(index).bin/alice",
            ])
            #expect(result.status == 200, "\(result.body)")
            acknowledged.append(("ack\(index).bin", bytes))
        }

        // Slow uploads of 40 MB each, so the node is mid-multipart when it dies.
        var clients: [Process] = []
        for index in 0..<3 {
            let bytes = MultipartBody.randomBytes(40_000_000, seed: UInt64(200 + index))
            let path = directory + "/slow\(index).bin"
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            let client = Process()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            client.arguments = [
                "-sS", "-o", "/dev/null", "--limit-rate", "4M", "-H", auth,
                "-H", "Content-MD5: \(MD5Hasher.digest(bytes).base64)", "-T", path,
                "\(upload.baseURL)/upload_download_service/slow\(index).bin/alice",
            ]
            client.standardError = FileHandle.nullDevice
            try client.run()
            clients.append(client)
        }
        let spool = directory + "/spool"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, Self.entries(spool, suffix: ".journal").count < 3 {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Self.entries(spool, suffix: ".journal").count == 3, "multipart uploads started while receiving")
        let inProgress = try await store.listMultipartUploads(prefix: prefix)
        #expect(inProgress.count == 3)

        upload.process.kill()
        #expect(await upload.process.waitForExit(timeout: 10))
        for client in clients {
            client.terminate()
            client.waitUntilExit()
        }
        #expect(!Self.entries(spool, suffix: ".part").isEmpty, "the crash left spool files behind")

        upload = try await NodeProcess.start("upload-node", arguments: arguments, port: upload.port)
        #expect(Self.entries(spool, suffix: ".part").isEmpty, "restart removed every spool file")
        #expect(await eventually { Self.entries(spool, suffix: "").isEmpty }, "the sweeper resolved every journal")
        #expect(try await store.listMultipartUploads(prefix: prefix).isEmpty, "restart aborted the multipart uploads")

        for index in 0..<3 {
            let result = try await CurlCommand.run([
                "-H", auth, "\(download.baseURL)/upload_download_service/slow\(index).bin/alice",
            ])
            #expect(result.status == 404, "an unacknowledged upload is not visible")
        }
        for (name, bytes) in acknowledged {
            let output = directory + "/\(name).out"
            let result = try await CurlCommand.run(
                ["-H", auth, "\(download.baseURL)/upload_download_service/\(name)/alice"], output: output)
            #expect(result.status == 200)
            #expect(FileManager.default.contents(atPath: output) == Data(bytes), "\(name) intact")
        }
        upload.process.terminate()
        download.process.terminate()
    }

    static func entries(_ directory: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            suffix.isEmpty || $0.hasSuffix(suffix)
        }
    }
}
