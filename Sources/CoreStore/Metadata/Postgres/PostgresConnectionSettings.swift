import Foundation

/// One PostgreSQL database, parsed from a libpq-style URL:
/// `postgres://user:password@host:port/database?sslmode=…&sslrootcert=/path/ca.pem`
/// (`postgresql://` too; user name and password percent-decoded).
///
/// `sslmode` is `disable`, `prefer` (the default, as in libpq: TLS when the server offers it,
/// unverified), `require` (TLS, unverified), `verify-ca` (TLS, chain checked against
/// `sslrootcert` or the system roots) or `verify-full` (chain and host name checked).
public struct PostgresConnectionSettings: Sendable, Equatable {
    /// How the connection is encrypted and verified.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, without verification.
        case prefer
        /// TLS or fail, without verification.
        case require
        /// TLS, certificate chain verified (not the host name).
        case verifyCA = "verify-ca"
        /// TLS, certificate chain and host name verified.
        case verifyFull = "verify-full"
    }

    /// Server host name or IP address.
    public var host: String
    /// Server port (default 5432).
    public var port: Int
    /// Role to log in as.
    public var user: String
    /// Password; `nil` for none (trust or certificate authentication).
    public var password: String?
    /// Database name; `nil` uses the user name (as libpq does).
    public var database: String?
    /// Encryption and verification.
    public var tlsMode: TLSMode
    /// PEM file of the certificate authorities to trust (`sslrootcert`); `nil` for the system roots.
    public var rootCertificatePath: String?

    /// Parses a URL.
    /// - Parameters:
    ///   - url: The URL.
    ///   - fallbackPassword: Used when the URL carries no password (the password file).
    /// - Throws: ``PostgresURLError`` naming what is wrong, with the URL redacted.
    public init(url: String, fallbackPassword: String? = nil) throws(PostgresURLError) {
        let shown = Self.redact(url)
        func fail(_ problem: String) -> PostgresURLError { PostgresURLError("\(problem) in \(shown)") }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw fail("not a URL")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw fail("unknown scheme '\(scheme)' (expected postgres:// or postgresql://)")
        }
        guard let host = components.host, !host.isEmpty else { throw fail("missing host") }
        guard let user = components.user, !user.isEmpty else { throw fail("missing user name") }
        if let port = components.port, !(1...65535).contains(port) { throw fail("port out of range") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else { throw fail("database name contains '/'") }
        var tlsMode = TLSMode.prefer
        var rootCertificatePath: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    let known = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail("unknown sslmode '\(item.value ?? "")' (expected one of \(known))")
                }
                tlsMode = mode
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { throw fail("empty sslrootcert") }
                rootCertificatePath = value
            default:
                throw fail("unknown parameter '\(item.name)' (only sslmode and sslrootcert are read)")
            }
        }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password ?? fallbackPassword
        self.database = path.isEmpty ? nil : path
        self.tlsMode = tlsMode
        self.rootCertificatePath = rootCertificatePath
    }

    /// `host:port/database`, for logs and readiness reports (no user, no password).
    public var label: String { "\(host):\(port)/\(database ?? user)" }

    /// `text` with the password of any `scheme://user:password@` part replaced by `***`, for
    /// messages about URLs that may not even parse.
    /// - Parameter text: A URL or a list of them.
    public static func redact(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let schemeEnd = rest.range(of: "://") {
            output += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "," }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                output += authority[...colon] + "***" + authority[at...]
            } else {
                output += authority
            }
            rest = rest[authorityEnd...]
        }
        return output + rest
    }
}
