import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real PostgreSQL server on a free port of 127.0.0.1, started for tests: `initdb` with trust
/// authentication into a folder under ``IntegrationEnvironment/processRoot``, then `postgres`
/// as a ``ManagedProcess`` (no Unix socket, `fsync` off). As root, both run as the `postgres` OS
/// user through `setpriv` (PostgreSQL refuses to run as root; `setpriv` execs, so the managed PID
/// is the postmaster's own and stopping by PID stops the server).
///
/// ``shared()`` is one lazily started instance per test process; ``start()`` makes a private one
/// for tests that kill it. Tests make their own databases with ``createDatabase(_:)``.
public final class PostgresServer: Sendable {
    /// The TCP port.
    public let port: Int
    /// The running postmaster.
    public let process: ManagedProcess
    /// The server's folder (data directory and log).
    public let directory: String

    /// The folder holding `initdb`, `postgres`, `createdb` and `psql`: `$UDS_POSTGRES_BIN`,
    /// else the newest `/usr/lib/postgresql/<version>/bin`, else the folder of `postgres` on PATH.
    public static let binDirectory: String? = {
        if let configured = ProcessInfo.processInfo.environment["UDS_POSTGRES_BIN"] {
            return FileManager.default.isExecutableFile(atPath: configured + "/postgres") ? configured : nil
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init)
            .sorted()
        if let newest = versions.last, FileManager.default.isExecutableFile(atPath: "\(root)/\(newest)/bin/postgres") {
            return "\(root)/\(newest)/bin"
        }
        return ManagedProcess.resolve("postgres").map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }()

    /// Whether PostgreSQL tests can run: the binaries are there, or `REQUIRE_INTEGRATION=1` (then they run and fail).
    public static var isAvailable: Bool { IntegrationEnvironment.isRequired || binDirectory != nil }

    /// Why PostgreSQL suites are skipped when ``isAvailable`` is false.
    public static let skipReason =
        "PostgreSQL binaries not found (no /usr/lib/postgresql/<version>/bin/postgres, postgres on PATH or UDS_POSTGRES_BIN)"

    private init(port: Int, process: ManagedProcess, directory: String) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// `postgres://postgres@127.0.0.1:<port>/<database>?sslmode=disable`.
    public func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// The per-process shared server, started on first use.
    /// - Throws: ``ContractViolation`` when it cannot be started.
    public static func shared() async throws -> PostgresServer {
        try await SharedPostgresServer.instance.server()
    }

    /// Initializes a fresh cluster, starts a private server and waits (up to 30 s) until it accepts connections.
    /// - Throws: ``ContractViolation`` when the binaries are missing or the server does not come up.
    public static func start() async throws -> PostgresServer {
        guard let bin = binDirectory else {
            throw ContractViolation(
                description: "PostgreSQL binaries not found (set UDS_POSTGRES_BIN)", location: #fileID)
        }
        let directory = IntegrationEnvironment.temporaryDirectory("postgres")
        if getuid() == 0 { _ = chown(directory, postgresUser.uid, postgresUser.gid) }
        let initdb = try await ChildProcess.run(
            asPostgres(bin + "/initdb"),
            asPostgresArguments(bin + "/initdb")
                + ["-D", directory + "/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"])
        guard initdb.status == 0 else {
            throw ContractViolation(description: "initdb failed (\(initdb.status)) in \(directory)", location: #fileID)
        }
        return try await FreePort.retrying { try await launch(bin: bin, directory: directory, port: FreePort.next()) }
    }

    private static func launch(bin: String, directory: String, port: Int) async throws -> PostgresServer {
        let arguments = [
            "-D", directory + "/data", "-p", String(port), "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=300",
        ]
        let process = try ManagedProcess(
            executable: asPostgres(bin + "/postgres"), arguments: asPostgresArguments(bin + "/postgres") + arguments,
            logPath: directory + "/postgres-\(port).log")
        let server = PostgresServer(port: port, process: process, directory: directory)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if acceptsLogin(port: port) { return server }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.kill()
        await process.waitForExit(timeout: 5)
        throw ContractViolation(
            description: "postgres on port \(port) did not accept connections: \(process.log().suffix(2000))",
            location: #fileID)
    }

    /// Whether the server on `port` lets `postgres` log in (trust authentication): a protocol 3.0
    /// startup message answered by `R` (authentication request/ok), not `E` ("the database system
    /// is starting up"). A socket exchange, not `pg_isready`: polling with child processes raced
    /// Foundation's child reaping when several tests spawned at once (a lost exit hung a run).
    public static func acceptsLogin(port: Int) -> Bool {
        var body: [UInt8] = [0x00, 0x03, 0x00, 0x00]
        for text in ["user", "postgres", "database", "postgres"] { body += Array(text.utf8) + [0] }
        body.append(0)
        let length = UInt32(body.count + 4)
        let message = [
            UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF),
        ]
        let reply = PosixSockets.exchange(port: port, request: message + body)
        return reply.first == UInt8(ascii: "R")
    }

    /// Creates an empty database and returns its name (`uds_<label>_<random>`).
    /// - Throws: ``ContractViolation`` when `createdb` fails.
    public func createDatabase(_ label: String) async throws -> String {
        let name = "uds_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        let result = try await ChildProcess.run(
            Self.binDirectory! + "/createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
        guard result.status == 0 else {
            throw ContractViolation(description: "createdb \(name) failed (\(result.status))", location: #fileID)
        }
        return name
    }

    /// Runs SQL with `psql` (unaligned, tuples only) and returns its output, trimmed.
    /// - Throws: ``ContractViolation`` when `psql` fails.
    public func psql(database: String, _ sql: String) async throws -> String {
        let result = try await ChildProcess.run(
            Self.binDirectory! + "/psql",
            [
                "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
                "-Atc", sql,
            ])
        guard result.status == 0 else {
            throw ContractViolation(description: "psql failed (\(result.status)): \(sql)", location: #fileID)
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Kills the postmaster with SIGKILL (its backends notice and exit) and waits up to 5 s.
    public func kill() async {
        process.kill()
        await process.waitForExit(timeout: 5)
    }

    /// Starts the postmaster again on the same port and data directory after ``kill()``: crash
    /// recovery replays the WAL, as after a real crash. Retries (up to 60 s in all) while the old
    /// backends still hold the shared memory block.
    /// - Throws: ``ContractViolation`` when it does not come back.
    public func restarted() async throws -> PostgresServer {
        guard let bin = Self.binDirectory else {
            throw ContractViolation(description: "PostgreSQL binaries not found", location: #fileID)
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                return try await Self.launch(bin: bin, directory: directory, port: port)
            } catch  where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// The `postgres` OS user's ids (the server must not run as root).
    private static let postgresUser: (uid: uid_t, gid: gid_t) = {
        guard let entry = getpwnam("postgres") else { return (0, 0) }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }()

    /// The program to run for `executable`: itself, or `setpriv` when running as root.
    private static func asPostgres(_ executable: String) -> String {
        getuid() == 0 ? "/usr/bin/setpriv" : executable
    }

    /// The arguments that make `setpriv` exec `executable` as `postgres` (none when not root).
    private static func asPostgresArguments(_ executable: String) -> [String] {
        getuid() == 0 ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable] : []
    }
}

/// Holds the lazily started shared server of this test process.
private actor SharedPostgresServer {
    static let instance = SharedPostgresServer()
    private var starting: Task<PostgresServer, any Error>?

    /// PID of the shared postmaster, killed by an `atexit` hook so it dies with the test process.
    static let pid = Atomic<Int32>(0)

    /// The running server; concurrent first callers share one start-up.
    func server() async throws -> PostgresServer {
        if let starting, let server = try? await starting.value, server.process.isRunning { return server }
        let task = Task { try await PostgresServer.start() }
        starting = task
        let server = try await task.value
        if Self.pid.exchange(server.process.pid, ordering: .relaxed) == 0 {
            atexit {
                let pid = SharedPostgresServer.pid.load(ordering: .relaxed)
                if pid > 0 { _ = Glibc.kill(pid, SIGKILL) }
            }
        }
        return server
    }
}
