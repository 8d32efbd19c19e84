import Foundation

/// A throw-away PKI made with the openssl CLI (P-256 keys, valid for two days): a CA, a server
/// certificate it signed for `localhost` and `127.0.0.1`, one for another name only
/// (`redis.invalid`, for host-name checks), a client certificate, and an unrelated CA (for
/// "wrong CA" checks). The same shape as the self-signed certificate of the node-TLS test
/// (LifecycleTests), signed by a CA because Redis verifies client certificates against one.
public struct TestCertificates: Sendable {
    /// The directory holding every file.
    public let directory: String

    /// The CA that signed the server and client certificates (PEM).
    public var caFile: String { directory + "/ca.pem" }
    /// A CA that signed nothing here (PEM).
    public var otherCAFile: String { directory + "/other-ca.pem" }
    /// The server certificate for `localhost`, `127.0.0.1` and `::1`.
    public var serverCertificateFile: String { directory + "/server.pem" }
    /// Its key.
    public var serverKeyFile: String { directory + "/server.key" }
    /// A server certificate for `redis.invalid` only.
    public var misnamedServerCertificateFile: String { directory + "/misnamed.pem" }
    /// Its key.
    public var misnamedServerKeyFile: String { directory + "/misnamed.key" }
    /// A client certificate (`CN=uds-node`).
    public var clientCertificateFile: String { directory + "/client.pem" }
    /// Its key.
    public var clientKeyFile: String { directory + "/client.key" }

    /// Whether certificates can be made (`openssl` on PATH).
    public static var isAvailable: Bool { ManagedProcess.resolve("openssl") != nil }

    /// Makes a fresh set in a temporary directory.
    /// - Throws: ``ContractViolation`` naming the openssl step that failed.
    public static func make() async throws -> TestCertificates {
        let set = TestCertificates(directory: IntegrationEnvironment.temporaryDirectory("pki"))
        try await set.makeCA("ca", name: "uds-test-ca")
        try await set.makeCA("other-ca", name: "uds-other-ca")
        try await set.issue(
            "server", name: "localhost",
            extensions: "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                + "extendedKeyUsage=serverAuth\n")
        try await set.issue(
            "misnamed", name: "redis.invalid",
            extensions: "subjectAltName=DNS:redis.invalid\nextendedKeyUsage=serverAuth\n")
        try await set.issue("client", name: "uds-node", extensions: "extendedKeyUsage=clientAuth\n")
        return set
    }

    private func makeCA(_ stem: String, name: String) async throws {
        let config = directory + "/\(stem).cnf"
        try """
        [req]
        distinguished_name = dn
        x509_extensions = ca
        prompt = no
        [dn]
        CN = \(name)
        [ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash

        """.write(toFile: config, atomically: true, encoding: .utf8)
        try await openssl([
            "req", "-x509", "-config", config, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-days", "2", "-keyout", directory + "/\(stem).key", "-out", directory + "/\(stem).pem",
        ])
    }

    private func issue(_ stem: String, name: String, extensions: String) async throws {
        let extensionsFile = directory + "/\(stem).ext"
        try extensions.write(toFile: extensionsFile, atomically: true, encoding: .utf8)
        try await openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj",
            "/CN=\(name)",
            "-keyout", directory + "/\(stem).key", "-out", directory + "/\(stem).csr",
        ])
        try await openssl([
            "x509", "-req", "-in", directory + "/\(stem).csr", "-CA", caFile, "-CAkey", directory + "/ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", extensionsFile, "-out", directory + "/\(stem).pem",
        ])
    }

    private func openssl(_ arguments: [String]) async throws {
        let (status, output) = try await ChildProcess.run("openssl", arguments)
        guard status == 0 else {
            throw ContractViolation(
                description: "openssl \(arguments.prefix(2).joined(separator: " ")) failed (\(status)): \(output)",
                location: #fileID)
        }
    }
}
