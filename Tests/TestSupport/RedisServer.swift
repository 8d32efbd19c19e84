import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real `redis-server` on a free port of 127.0.0.1, started for tests (no persistence).
///
/// ``shared()`` is one lazily started instance per test process; ``start(port:)`` makes a private
/// one for tests that kill or pause the server; ``start(tls:port:)`` one that speaks only TLS
/// (`--port 0 --tls-port …`). The child dies with the test process (see ``ManagedProcess``).
public final class RedisServer: Sendable {
    /// How a TLS-only server is set up.
    public struct TLS: Sendable {
        /// Where the CA, server and client certificates are.
        public var certificates: TestCertificates
        /// `tls-auth-clients yes`: a client must present a certificate signed by the CA.
        public var requireClientCertificate: Bool
        /// Serve the certificate for `redis.invalid` instead of the one for `localhost`/`127.0.0.1`.
        public var misnamedCertificate: Bool

        /// Creates the settings.
        public init(
            certificates: TestCertificates, requireClientCertificate: Bool = false, misnamedCertificate: Bool = false
        ) {
            self.certificates = certificates
            self.requireClientCertificate = requireClientCertificate
            self.misnamedCertificate = misnamedCertificate
        }
    }

    /// The TCP port (the TLS port of a TLS server).
    public let port: Int
    /// The TLS settings, or `nil` for a plain server.
    public let tls: TLS?
    /// `redis://127.0.0.1:<port>`, or `rediss://127.0.0.1:<port>` for a TLS server.
    public var url: String { tls == nil ? "redis://127.0.0.1:\(port)" : "rediss://127.0.0.1:\(port)" }
    /// The running process.
    public let process: ManagedProcess
    /// The server's working directory (log, pid file).
    public let directory: String

    /// Whether Redis tests can run: `redis-server` is on PATH, or `REQUIRE_INTEGRATION=1` (then they run and fail).
    public static var isAvailable: Bool {
        IntegrationEnvironment.isRequired || ManagedProcess.resolve("redis-server") != nil
    }

    /// Whether Redis TLS tests can run: `redis-server` and `openssl` (to make the certificates) are
    /// on PATH, or `REQUIRE_INTEGRATION=1` (then they run and fail).
    public static var isTLSAvailable: Bool {
        IntegrationEnvironment.isRequired || (isAvailable && TestCertificates.isAvailable)
    }

    private init(port: Int, tls: TLS?, process: ManagedProcess, directory: String) {
        self.port = port
        self.tls = tls
        self.process = process
        self.directory = directory
    }

    /// The per-process shared server, started on first use.
    /// - Throws: ``ContractViolation`` when it cannot be started.
    public static func shared() async throws -> RedisServer {
        try await SharedRedisServer.instance.server()
    }

    /// Starts a private server and waits (up to 10 s) until it answers `PING`.
    /// - Parameter port: The port (e.g. a killed server's, to restart it); a free one when `nil`.
    /// - Throws: ``ContractViolation`` when it does not come up.
    public static func start(port: Int? = nil) async throws -> RedisServer {
        if let port { return try await launch(port: port, tls: nil) }
        return try await FreePort.retrying { try await launch(port: FreePort.next(), tls: nil) }
    }

    /// Starts a private server that listens only for TLS and waits (up to 10 s) until its port accepts connections.
    /// - Parameters:
    ///   - tls: Certificates and client-certificate policy.
    ///   - port: The TLS port (e.g. a killed server's, to restart it); a free one when `nil`.
    /// - Throws: ``ContractViolation`` when it does not come up.
    public static func start(tls: TLS, port: Int? = nil) async throws -> RedisServer {
        if let port { return try await launch(port: port, tls: tls) }
        return try await FreePort.retrying { try await launch(port: FreePort.next(), tls: tls) }
    }

    private static func launch(port: Int, tls: TLS?) async throws -> RedisServer {
        let directory = IntegrationEnvironment.temporaryDirectory("redis-\(port)")
        var arguments = [
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--protected-mode", "no",
        ]
        if let tls {
            let pki = tls.certificates
            let (certificate, key) =
                tls.misnamedCertificate
                ? (pki.misnamedServerCertificateFile, pki.misnamedServerKeyFile)
                : (pki.serverCertificateFile, pki.serverKeyFile)
            arguments += [
                "--port", "0", "--tls-port", String(port), "--tls-cert-file", certificate, "--tls-key-file", key,
                "--tls-ca-cert-file", pki.caFile,
                "--tls-auth-clients", tls.requireClientCertificate ? "yes" : "no",
            ]
        } else {
            arguments += ["--port", String(port)]
        }
        let process = try ManagedProcess(
            executable: "redis-server", arguments: arguments, logPath: directory + "/redis.log")
        let server = RedisServer(port: port, tls: tls, process: process, directory: directory)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if tls == nil ? Self.answersPing(port: port) : Self.acceptsConnections(port: port) { return server }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.kill()
        throw ContractViolation(
            description: "redis-server on port \(port) did not come up: \(process.log())", location: #fileID)
    }

    /// Kills the server with SIGKILL and waits (up to 5 s) for it to exit.
    public func kill() async {
        process.kill()
        await process.waitForExit(timeout: 5)
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open but nothing answers.
    public func pause(_ paused: Bool) {
        _ = Glibc.kill(process.pid, paused ? SIGSTOP : SIGCONT)
    }

    /// Whether something on `port` accepts a TCP connection (a TLS server cannot be pinged in plain text).
    public static func acceptsConnections(port: Int) -> Bool {
        guard let fd = PosixSockets.connectLoopback(port: port, timeout: 0.5) else { return false }
        close(fd)
        return true
    }

    /// Whether something on `port` answers `PING` with `+PONG` within half a second.
    public static func answersPing(port: Int) -> Bool {
        let reply = PosixSockets.exchange(port: port, request: Array("PING\r\n".utf8))
        return reply.count >= 5 && Array(reply[0..<5]) == Array("+PONG".utf8)
    }
}

/// Holds the lazily started shared server of this test process.
private actor SharedRedisServer {
    static let instance = SharedRedisServer()
    private var starting: Task<RedisServer, any Error>?

    /// PID of the shared server, killed by an `atexit` hook: the watchdog shell of a server that
    /// outlives its test process keeps the runner's output pipe open, so it must die with the process.
    static let pid = Atomic<Int32>(0)

    /// The running server; concurrent first callers share one start-up.
    func server() async throws -> RedisServer {
        if let starting, let server = try? await starting.value, server.process.isRunning { return server }
        let task = Task { try await RedisServer.start() }
        starting = task
        let server = try await task.value
        if Self.pid.exchange(server.process.pid, ordering: .relaxed) == 0 {
            atexit {
                let pid = SharedRedisServer.pid.load(ordering: .relaxed)
                if pid > 0 { _ = Glibc.kill(pid, SIGKILL) }
            }
        }
        return server
    }
}
