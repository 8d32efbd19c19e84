import CoreStore
import Foundation
import TestSupport
import Testing

/// The daemons started the way systemd starts them: notify protocol, graceful drain on SIGTERM.
@Suite("systemd notify and graceful drain (real binaries)")
struct LifecycleTests {
    @Test("Type=notify: READY=1 once serving, WATCHDOG=1 pings, STOPPING=1 and exit 0 on SIGTERM")
    func notifyProtocol() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("notify")
        let socket = try DatagramListener(path: directory + "/notify.sock")
        let node = try await NodeProcess.start(
            "download-node", arguments: ["--data-dir", directory],
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "1000000"])
        // Pings queued while the node started come first; read until both kinds were seen, which
        // also leaves the queue room for STOPPING=1.
        var seen: [String] = []
        while seen.count < 24, !(seen.contains { $0.hasPrefix("READY=1") } && seen.contains("WATCHDOG=1")),
            let message = await socket.receive()
        {
            seen.append(message)
        }
        #expect(seen.contains { $0.hasPrefix("READY=1") }, "\(seen)")
        #expect(seen.contains("WATCHDOG=1"), "\(seen)")
        node.process.terminate()
        var stopping = false
        for _ in 0..<24 where !stopping { stopping = await socket.receive() == "STOPPING=1" }
        #expect(stopping)
        #expect(await node.process.waitForExit(timeout: 20))
        #expect(node.process.exitStatus == 0)
    }

    @Test("SIGTERM during a slow upload: the upload completes with 200, /readyz stopped routing, exit 0")
    func drainFinishesInFlightUpload() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("drain")
        let node = try await NodeProcess.start(
            "upload-node", arguments: ["--data-dir", directory, "--log-level", "warning"])
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        let bytes = MultipartBody.randomBytes(3_000_000, seed: 9)
        let path = directory + "/slow.bin"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let uploadTask = Task {
            try await CurlCommand.run(
                [
                    "--limit-rate", "1M", "-H", "Authorization: Bearer \(token)",
                    "-H", "Content-MD5: \(MD5Hasher.digest(bytes).base64)", "-T", path,
                    "\(node.baseURL)/upload_download_service/slow.bin/alice",
                ], timeout: 60)
        }
        // SIGTERM once the upload is being received (its spool file exists), not after a fixed
        // sleep: on a loaded box curl could still be connecting, and a draining node refuses it.
        let receiving = await eventually {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory + "/spool")) ?? []).contains {
                $0.hasSuffix(".part")
            }
        }
        #expect(receiving, "the upload reached the node")
        node.process.terminate()
        let result = try await uploadTask.value
        #expect(result.status == 200, "\(result.body)")
        #expect(await node.process.waitForExit(timeout: 20))
        #expect(node.process.exitStatus == 0)
    }

    @Test(
        "SIGTERM after an upload and two downloads (a cache fill, a disk-cache hit, access times): both nodes exit 0 and, after the shutdown, hold no socket and no spool, cache or object file open"
    )
    func shutdownLeavesNoConnectionOrTransferFileOpen() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("shutdown-fds")
        let upload = try await NodeProcess.start("upload-node", arguments: ["--data-dir", directory])
        let download = try await NodeProcess.start("download-node", arguments: ["--data-dir", directory])
        try await Self.putThenReadTwice(
            MultipartBody.randomBytes(3_000_000, seed: 29), name: "shutdown.bin", in: directory,
            upload: upload.baseURL, download: download.baseURL)

        for node in [upload, download] {
            node.process.terminate()
            #expect(await node.process.waitForExit(timeout: 30))
            #expect(node.process.exitStatus == 0)
            let stopped = try #require(
                Self.logLine(message: "stopped", in: node.process.log()), "\(node.process.log().suffix(2000))")
            // The node counts its descriptors from /proc/self/fd after every service has returned.
            #expect(stopped["open_fds.sockets"] == "0", "\(stopped)")
            #expect(stopped["open_fds.transfer_files"] == "0", "\(stopped)")
            #expect(stopped["transfers.in_flight"] == "0", "\(stopped)")
        }
    }

    /// Uploads `bytes` as alice's `name` to `upload`, then reads it twice from `download` (a cache
    /// fill, then a disk-cache hit), expecting 200s and byte-identical answers.
    /// - Parameter readOptions: Extra curl options for the reads (`--cacert` for HTTPS).
    static func putThenReadTwice(
        _ bytes: [UInt8], name: String, in directory: String, upload: String, download: String,
        readOptions: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let token = try await NodeProcess.devToken(user: "alice", dataDirectory: directory)
        try await RawTransfer.put(
            bytes, name: name, in: directory, token: token, to: upload, sourceLocation: sourceLocation)
        for read in 1...2 {
            try await RawTransfer.read(
                bytes, name: name, in: directory, token: token, from: download, options: readOptions, read: read,
                sourceLocation: sourceLocation)
        }
    }

    /// The string fields of the last JSON log line whose `msg` is `message`.
    static func logLine(message: String, in log: String) -> [String: String]? {
        for line in log.split(separator: "\n").reversed() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["msg"] as? String == message
            else { continue }
            return object.compactMapValues { $0 as? String }
        }
        return nil
    }
}

@Suite("optional TLS on the nodes (real binary, self-signed certificate)")
struct TLSTests {
    @Test("with a certificate and key the node serves HTTPS (verified against its CA); plain HTTP is refused")
    func https() async throws {
        let directory = IntegrationEnvironment.temporaryDirectory("tls")
        let pki = try await TestCertificates.make()
        let port = FreePort.next()
        let node = try ManagedProcess(
            executable: NodeProcess.binDirectory + "/download-node",
            arguments: [
                "--data-dir", directory, "--port", String(port), "--tls-certificate-path", pki.serverCertificateFile,
                "--tls-key-path", pki.serverKeyFile,
            ], logPath: directory + "/node.log")
        let serving = try await eventually {
            try await CurlCommand.run(["--cacert", pki.caFile, "https://127.0.0.1:\(port)/healthz"], timeout: 2).status
                == 200
        }
        #expect(serving, "\(node.log().suffix(1000))")
        let plain = try await CurlCommand.run(["http://127.0.0.1:\(port)/healthz"], timeout: 2)
        #expect(plain.status != 200)

        // A file read twice over TLS: a cache fill, then a disk-cache hit, which on plain TCP goes
        // out with sendfile; over TLS the bytes must pass through the TLS handler.
        let upload = try await NodeProcess.start("upload-node", arguments: ["--data-dir", directory])
        defer { upload.process.terminate() }
        try await LifecycleTests.putThenReadTwice(
            MultipartBody.randomBytes(300_000, seed: 43), name: "tls.bin", in: directory, upload: upload.baseURL,
            download: "https://127.0.0.1:\(port)", readOptions: ["--cacert", pki.caFile])
        node.terminate()
    }
}
