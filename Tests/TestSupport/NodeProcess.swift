import Foundation

/// A real `upload-node` or `download-node` binary started by a test (end-to-end tests), on a
/// free port, with its JSON log in a file. Stopped by PID.
public final class NodeProcess: Sendable {
    /// The process.
    public let process: ManagedProcess
    /// The listening port.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(process: ManagedProcess, port: Int) {
        self.process = process
        self.port = port
    }

    /// The directory holding the built products (next to the test bundle).
    public static var binDirectory: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments.first ?? ".build/debug/x")
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" && !FileManager.default.fileExists(atPath: directory.path + "/upload-node") {
            directory = directory.deletingLastPathComponent()
        }
        return directory.path == "/" ? ".build/debug" : directory.path
    }

    /// Starts `name` (`upload-node` / `download-node`) with `arguments` and waits until `/healthz` answers.
    /// - Parameters:
    ///   - name: The binary.
    ///   - arguments: Flags (`--port` is added).
    ///   - environment: Extra environment.
    ///   - port: A fixed port (restarts), or a free one.
    public static func start(
        _ name: String, arguments: [String], environment: [String: String] = [:], port: Int? = nil
    ) async throws -> NodeProcess {
        if let port { return try await launch(name, arguments: arguments, environment: environment, port: port) }
        return try await FreePort.retrying {
            try await launch(name, arguments: arguments, environment: environment, port: FreePort.next())
        }
    }

    private static func launch(
        _ name: String, arguments: [String], environment: [String: String], port: Int
    ) async throws -> NodeProcess {
        let log = IntegrationEnvironment.temporaryDirectory("log") + "/\(name).log"
        let process = try ManagedProcess(
            executable: binDirectory + "/" + name, arguments: arguments + ["--port", String(port)],
            environment: environment, logPath: log)
        let node = NodeProcess(process: process, port: port)
        let started = Date()
        var attempts = 0
        var lastStatus = 0
        while Date().timeIntervalSince(started) < 30 {
            attempts += 1
            lastStatus = (try? await CurlCommand.run(["\(node.baseURL)/healthz"], timeout: 2))?.status ?? -1
            if lastStatus == 200 { return node }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let waited = String(format: "%.1f", Date().timeIntervalSince(started))
        throw ContractViolation(
            description:
                "\(name) did not start: \(attempts) probes of /healthz in \(waited) s, last status \(lastStatus), "
                + "running: \(process.isRunning)\n\(process.log().suffix(2000))", location: #fileID)
    }

    /// A dev token from `upload-node dev-token` (the CLI contract).
    public static func devToken(user: String, dataDirectory: String) async throws -> String {
        let (_, output) = try await ChildProcess.run(
            binDirectory + "/upload-node", ["dev-token", "--user", user, "--data-dir", dataDirectory])
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
