import Synchronization

// POSIX structs (sockaddr, timeval, sigset_t) used without Foundation in scope: with
// MemberImportVisibility their members can otherwise be attributed to CoreFoundation.
#if canImport(Glibc)
    import Glibc
#endif

/// Free TCP ports on 127.0.0.1 for servers the tests start.
///
/// Ports come from below the kernel's ephemeral range (`ip_local_port_range`), never from it:
/// a port the kernel hands out for `bind(0)` is also what it hands to the next outgoing
/// `connect`, and the tests make thousands of those. A port is handed out once per process and
/// only after a test bind to it succeeds. It can still be taken before the server binds it (CI
/// runs lost a redis-server start to `Address already in use` with ports from either range, by
/// causes not found), so servers started on a picked port retry on a new one.
public enum FreePort {
    /// `count` different ports that were free a moment ago.
    public static func distinct(_ count: Int) -> [Int] {
        (0..<count).map { _ in next() }
    }

    /// A port that was free a moment ago and has not been handed out before in this process.
    public static func next() -> Int {
        let range = candidates
        while true {
            let port = handedOut.withLock { used -> Int? in
                let port = Int.random(in: range)
                return used.insert(port).inserted ? port : nil
            }
            if let port, isFree(port) { return port }
        }
    }

    /// Runs `start` (which starts a server on ports it picks) up to three times: a port picked as
    /// free can be taken before the server binds it, and new picks then succeed.
    /// - Throws: The last attempt's error.
    public static func retrying<Server>(_ start: () async throws -> Server) async throws -> Server {
        for _ in 0..<2 {
            if let server = try? await start() { return server }
        }
        return try await start()
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// The ports below the ephemeral range (10000 up to its start, at least 10000 ports).
    private static let candidates: ClosedRange<Int> = {
        var bytes = [UInt8](repeating: 0, count: 64)
        let fd = open("/proc/sys/net/ipv4/ip_local_port_range", O_RDONLY)
        let count = fd < 0 ? 0 : max(0, read(fd, &bytes, bytes.count))
        if fd >= 0 { close(fd) }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        let ephemeralStart =
            text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first
            .flatMap { Int($0) } ?? 32768
        return 10000...max(20000, ephemeralStart - 1)
    }()

    private static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

/// Process spawning with a clean signal state.
enum PosixSpawn {
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module
    /// does not export: looked up once by name.
    private static let closeFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else {
            fatalError("glibc 2.34 or later is required (posix_spawn_file_actions_addclosefrom_np)")
        }
        return unsafeBitCast(
            symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// Starts `/bin/sh -c script` detached from the test runner: stdio on /dev/null (the runner
    /// must not wait for it) and every signal back to its default and unblocked — Foundation's
    /// `Process` passes on the runner's ignored SIGCHLD and blocked SIGTERM, which would make
    /// `wait` hang in the shell and SIGTERM never reach the server.
    static func shell(script: String, environment: [String: String]) throws {
        _ = try spawn(
            "/bin/sh", ["-c", script], environment: environment.map { "\($0.key)=\($0.value)" }, stdoutPath: "/dev/null"
        )
    }

    /// Starts `path` with `arguments` and `environment` (`KEY=value` lines): stdin and stderr on
    /// /dev/null, stdout to `stdoutPath`, no other descriptor of the test process, every signal
    /// at its default and unblocked.
    /// - Returns: The child's PID (the caller reaps it, or leaves it to the runner's exit).
    static func spawn(_ path: String, _ arguments: [String], environment: [String], stdoutPath: String) throws -> pid_t
    {
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
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Nothing else of the test process reaches the child: NIO accepts connections without
        // close-on-exec, so a server started while a test's connection is open would hold that
        // socket and its FIN would never be sent when the node closes it (the node's close is
        // then only the child's reference going away).
        guard closeFrom(&actions, 3) == 0 else {
            throw ContractViolation(description: "posix_spawn_file_actions_addclosefrom_np failed", location: #fileID)
        }
        var argv = ([path] + arguments).map { strdup($0) } + [nil]
        var envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, &argv, &envp)
        guard result == 0 else {
            throw ContractViolation(description: "posix_spawn \(path) failed: \(result)", location: #fileID)
        }
        return pid
    }
}

/// Tiny blocking TCP exchanges with local servers (readiness probes of test servers).
public enum PosixSockets {
    /// A blocking TCP socket connected to 127.0.0.1:`port` whose sends and receives give up after
    /// `timeout` seconds, or `nil` (nothing left open) when the connection fails.
    public static func connectLoopback(port: Int, timeout: Double) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Sends `request` to 127.0.0.1:`port` and returns up to 64 bytes of the reply (empty on failure),
    /// waiting at most half a second each way; with `halfClose`, shuts the sending side before
    /// reading (`shutdown(SHUT_WR)`).
    public static func exchange(port: Int, request: [UInt8], halfClose: Bool = false) -> [UInt8] {
        guard let fd = connectLoopback(port: port, timeout: 0.5) else { return [] }
        defer { close(fd) }
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return [] }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        var reply = [UInt8](repeating: 0, count: 64)
        let count = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(reply[0..<count]) : []
    }
}
