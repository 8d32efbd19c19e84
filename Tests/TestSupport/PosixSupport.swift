// POSIX structs (sockaddr, timeval, sigset_t) used without Foundation in scope: with
// MemberImportVisibility their members can otherwise be attributed to CoreFoundation.
#if canImport(Glibc)
import Glibc
#endif

/// Free TCP ports on 127.0.0.1 (bind port 0, read it back, close).
public enum FreePort {
    /// `count` different ports that were free a moment ago.
    public static func distinct(_ count: Int) -> [Int] {
        var ports: [Int] = []
        while ports.count < count {
            let port = next()
            if !ports.contains(port) { ports.append(port) }
        }
        return ports
    }

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

/// Process spawning with a clean signal state.
enum PosixSpawn {
    /// Starts `/bin/sh -c script` detached from the test runner: stdio on /dev/null (the runner
    /// must not wait for it) and every signal back to its default and unblocked — Foundation's
    /// `Process` passes on the runner's ignored SIGCHLD and blocked SIGTERM, which would make
    /// `wait` hang in the shell and SIGTERM never reach the server.
    static func shell(script: String, environment: [String: String]) throws {
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

}

/// Tiny blocking TCP exchanges with local servers (readiness probes of test servers).
public enum PosixSockets {
    /// Sends `request` to 127.0.0.1:`port` and returns up to 64 bytes of the reply (empty on failure),
    /// waiting at most half a second each way; with `halfClose`, shuts the sending side before
    /// reading (`shutdown(SHUT_WR)`).
    public static func exchange(port: Int, request: [UInt8], halfClose: Bool = false) -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return [] }
        guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == request.count else { return [] }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        var reply = [UInt8](repeating: 0, count: 64)
        let count = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(reply[0..<count]) : []
    }
}
