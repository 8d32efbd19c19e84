import Foundation

/// A real `haproxy` on a free port of 127.0.0.1 standing in for the AWS load balancer: host rules
/// (`upload.localhost` → the upload pool, `download.localhost` → the download pool) and health
/// checks on each node's `/readyz`, as the ALB's target groups do. Stopped by PID.
public final class HAProxyServer: Sendable {
    /// The frontend port; send requests here with `Host: upload.localhost` or `download.localhost`.
    public let port: Int
    /// The running process.
    public let process: ManagedProcess

    /// Whether haproxy tests can run: `haproxy` is installed, or `REQUIRE_INTEGRATION=1` (then they run and fail).
    public static var isAvailable: Bool { IntegrationEnvironment.isRequired || executable != nil }

    private static var executable: String? {
        ManagedProcess.resolve("haproxy") ?? ManagedProcess.resolve("/usr/sbin/haproxy")
    }

    private init(port: Int, process: ManagedProcess) {
        self.port = port
        self.process = process
    }

    /// Starts haproxy in front of the given nodes and waits (up to 10 s) until its frontend answers.
    /// - Parameters:
    ///   - uploadPorts: Ports of the upload nodes on 127.0.0.1.
    ///   - downloadPorts: Ports of the download nodes on 127.0.0.1.
    /// - Throws: ``ContractViolation`` when it does not come up.
    public static func start(uploadPorts: [Int], downloadPorts: [Int]) async throws -> HAProxyServer {
        try await FreePort.retrying {
            try await launch(port: FreePort.next(), uploadPorts: uploadPorts, downloadPorts: downloadPorts)
        }
    }

    /// The configuration: one frontend with host rules, a backend per node kind, `/readyz` checks
    /// every 500 ms that may take 3 s (a node is out after 3 failures, in after 1 success; without
    /// `timeout check` haproxy would fail a check slower than its interval, and a node busy with 200
    /// uploads answers `/readyz` slower than that), and a retry on another node when a connection
    /// cannot be made (the ALB does the same for a refused connection).
    public static func configuration(port: Int, uploadPorts: [Int], downloadPorts: [Int]) -> String {
        func servers(_ prefix: String, _ ports: [Int]) -> String {
            ports.enumerated().map { index, port in
                "    server \(prefix)\(index + 1) 127.0.0.1:\(port) check inter 500ms fall 3 rise 1"
            }.joined(separator: "\n")
        }
        return """
            global
                maxconn 4096
            defaults
                mode http
                timeout connect 2s
                timeout client 120s
                timeout server 120s
                timeout check 3s
                retries 2
                option redispatch
            frontend alb
                bind 127.0.0.1:\(port)
                monitor-uri /haproxy-alive
                stats enable
                stats uri /haproxy-stats
                acl upload_host hdr_beg(host) -i upload.localhost
                acl download_host hdr_beg(host) -i download.localhost
                use_backend uploads if upload_host
                use_backend downloads if download_host
            backend uploads
                balance roundrobin
                option httpchk GET /readyz
                http-check expect status 200
            \(servers("upload", uploadPorts))
            backend downloads
                balance roundrobin
                option httpchk GET /readyz
                http-check expect status 200
            \(servers("download", downloadPorts))

            """
    }

    private static func launch(port: Int, uploadPorts: [Int], downloadPorts: [Int]) async throws -> HAProxyServer {
        let directory = IntegrationEnvironment.temporaryDirectory("haproxy-\(port)")
        let configPath = directory + "/haproxy.cfg"
        try configuration(port: port, uploadPorts: uploadPorts, downloadPorts: downloadPorts)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let process = try ManagedProcess(
            executable: executable ?? "haproxy", arguments: ["-db", "-f", configPath],
            logPath: directory + "/haproxy.log")
        let server = HAProxyServer(port: port, process: process)
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let reply = PosixSockets.exchange(port: port, request: Array("GET /haproxy-alive HTTP/1.0\r\n\r\n".utf8))
            if reply.starts(with: Array("HTTP/1.1 200".utf8)) { return server }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.kill()
        throw ContractViolation(
            description: "haproxy on port \(port) did not answer: \(process.log())", location: #fileID)
    }

    /// Stops haproxy (SIGKILL) and waits up to 5 s for it to exit.
    public func stop() async {
        process.kill()
        await process.waitForExit(timeout: 5)
    }
}
