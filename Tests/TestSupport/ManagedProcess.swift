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
        FileManager.default.createFile(atPath: logPath, contents: nil)
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
        try Self.spawnShell(script: script, environment: environmentStrings)
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

    /// Starts `/bin/sh -c script` detached from the test runner: stdio on /dev/null (the runner
    /// must not wait for it) and every signal back to its default and unblocked — Foundation's
    /// `Process` passes on the runner's ignored SIGCHLD and blocked SIGTERM, which would make
    /// `wait` hang in the shell and SIGTERM never reach the server.
    private static func spawnShell(script: String, environment: [String: String]) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let arguments = ["/bin/sh", "-c", script]
        let environmentLines = environment.map { "\($0.key)=\($0.value)" }
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environmentLines.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw ContractViolation(description: "posix_spawn failed: \(result)", location: #fileID)
        }
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

/// Free TCP ports on 127.0.0.1 (bind port 0, read it back, close).
public enum FreePort {
    /// A port that was free a moment ago.
    public static func next() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
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

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "uds-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
