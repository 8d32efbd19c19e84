/// Where a Redis server is, whether to speak TLS to it and how to log in: a parsed
/// `redis://` or `rediss://` URL.
struct RedisEndpoint: Sendable, Equatable {
    /// Host name or IP address.
    var host: String
    /// TCP port.
    var port: Int
    /// ACL user name (Redis 6+), if any.
    var username: String?
    /// Password for `AUTH`, if any.
    var password: String?
    /// Database index for `SELECT` (0 skips the command).
    var database: Int
    /// `rediss://`: the connection is TLS (SwiftNIO + NIOSSL) instead of plain TCP (hiredis).
    var usesTLS = false
}

extension RedisEndpoint {
    /// Parses `redis[s]://[[user]:password@]host[:port][/db]` (IPv6 hosts in brackets).
    init?(url: String) {
        let usesTLS: Bool
        var rest: Substring
        if url.hasPrefix("redis://") {
            usesTLS = false
            rest = Substring(url.dropFirst("redis://".count))
        } else if url.hasPrefix("rediss://") {
            usesTLS = true
            rest = Substring(url.dropFirst("rediss://".count))
        } else {
            return nil
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user = userInfo.firstIndex(of: ":").map { userInfo[..<$0] } ?? ""
            let secret = userInfo.firstIndex(of: ":").map { userInfo[userInfo.index(after: $0)...] } ?? userInfo
            if !user.isEmpty {
                guard let decoded = Self.percentDecoded(String(user)) else { return nil }
                username = decoded
            }
            if !secret.isEmpty {
                guard let decoded = Self.percentDecoded(String(secret)) else { return nil }
                password = decoded
            }
            if username != nil && password == nil { return nil }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { return nil }
                database = number
            }
            rest = rest[..<slash]
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        var port = 6379
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else { return nil }
            port = number
        }
        guard !host.isEmpty else { return nil }
        self.init(
            host: String(host), port: port, username: username, password: password, database: database,
            usesTLS: usesTLS)
    }

    private static func percentDecoded(_ text: String) -> String? {
        var out = [UInt8]()
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            guard byte == 0x25 else {
                out.append(byte)
                continue
            }
            guard let high = bytes.next(), let low = bytes.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            out.append(value)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
