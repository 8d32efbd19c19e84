import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started by a test (a real `redis-server`, `weed`, or a node binary).
///
/// The child is wrapped in a small shell watchdog that kills it when the test process dies,
/// so a crashed or interrupted test run never leaves servers behind. Stop it by PID with
/// ``terminate()`` / ``kill()``.
public final class ManagedProcess: Sendable {
    /// The child's PID (the real server, not the watchdog).
    public let pid: Int32
    /// Where stdout and stderr go.
    public let logPath: String

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - executable: Absolute path or a name looked up on PATH.
    ///   - arguments: Arguments.
    ///   - environment: Extra environment variables.
    ///   - logPath: File receiving stdout and stderr.
    public init(
        executable: String, arguments: [String], environment: [String: String] = [:], logPath: String
    ) throws {
        guard let path = ManagedProcess.resolve(executable) else {
            throw ContractViolation(description: "\(executable) not found on PATH", location: #fileID)
        }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let quoted = ([path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let parent = getpid()
        let pidFile = logPath + ".pid"
        // The watchdog: start the child, record its pid, and kill it once the test process is gone.
        let script = """
            \(quoted.joined(separator: " ")) >>'\(logPath)' 2>&1 &
            child=$!
            echo $child > '\(pidFile)'
            ( while kill -0 \(parent) 2>/dev/null; do sleep 0.5; done; kill -9 $child 2>/dev/null ) &
            watcher=$!
            wait $child
            echo $? > '\(pidFile).exit'
            kill $watcher 2>/dev/null
            """
        var environmentStrings = ProcessInfo.processInfo.environment
        for (key, value) in environment { environmentStrings[key] = value }
        try PosixSpawn.shell(script: script, environment: environmentStrings)
        self.logPath = logPath
        var childPID: Int32 = 0
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let value = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                childPID = value
                break
            }
            usleep(10_000)
        }
        guard childPID > 0 else {
            throw ContractViolation(description: "could not start \(executable)", location: #fileID)
        }
        self.pid = childPID
    }

    /// The child's exit status once it has exited (128 + signal number when killed).
    public var exitStatus: Int32? {
        guard let text = try? String(contentsOfFile: logPath + ".pid.exit", encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Whether the child is still running.
    public var isRunning: Bool { Glibc.kill(pid, 0) == 0 && !isZombie }

    private var isZombie: Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.contains(") Z ")
    }

    /// Sends SIGTERM.
    public func terminate() { _ = Glibc.kill(pid, SIGTERM) }

    /// Sends SIGKILL.
    public func kill() { _ = Glibc.kill(pid, SIGKILL) }

    /// Waits up to `timeout` seconds for the child to exit; returns whether it did.
    @discardableResult
    public func waitForExit(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !isRunning && exitStatus != nil { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return !isRunning
    }

    /// The log so far (for failure messages).
    public func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if isRunning { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// Absolute path of an executable, searching PATH.
    public static func resolve(_ name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Whether integration tests can run, and whether they must.
public enum IntegrationEnvironment {
    /// `REQUIRE_INTEGRATION=1`: missing servers fail the tests instead of skipping them.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["REQUIRE_INTEGRATION"] == "1" }

    /// True when `redis-server` and `weed` are on PATH, or when they are required (so the tests run and fail).
    public static var isAvailable: Bool {
        isRequired || (ManagedProcess.resolve("redis-server") != nil && ManagedProcess.resolve("weed") != nil)
    }

    /// A fresh temporary directory, inside this test process's own root (``processRoot``).
    public static func temporaryDirectory(_ label: String) -> String {
        let path = processRoot + "/\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `uds-tests-<pid>` in the system's temporary directory: everything this test process writes
    /// (server data and logs, node data directories). Made on first use, which also removes the
    /// roots of earlier test processes that have exited, so repeated runs do not fill the disk
    /// (they had left ~11 GB on a developer box) while the last run's logs stay until the next.
    public static let processRoot: String = {
        let temporary = NSTemporaryDirectory()
        let prefix = "uds-tests-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
        where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(),
                Glibc.kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? FileManager.default.removeItem(atPath: temporary + name)
        }
        let root = temporary + prefix + String(getpid())
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }()
}
